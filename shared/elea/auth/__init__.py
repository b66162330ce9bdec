"""Activation and login of establishments' local management accounts (behind the HTTP API)."""
