"""matchers package."""
