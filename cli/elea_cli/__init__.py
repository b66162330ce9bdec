"""The `elea-import` command line: local runs and operator commands."""
