"""AWS Secrets Manager: the deployed stack's secrets (one Moodle web-service token per platform)."""
