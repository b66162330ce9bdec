"""Composition roots: which adapters each entry point gives its use cases."""
