"""Moodle (Éléa) through its REST web services: the client, its models and errors, the token check."""
