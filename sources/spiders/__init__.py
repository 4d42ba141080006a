"""Scrapy spiders for live sources: one spider a file, each with pure parse functions.

Crawls always run in their own subprocess (`python -m sources.spiders.run JOB.json`): Twisted's
reactor cannot be restarted, so a process never runs two crawls.
"""
