"""tracing package."""
