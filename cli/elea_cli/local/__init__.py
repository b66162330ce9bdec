"""Local-only tooling: the import chain on moto, no Docker, no AWS account. Not deployed."""
