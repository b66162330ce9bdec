"""SES adapters."""
