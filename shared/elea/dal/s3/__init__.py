"""S3 adapters."""
