"""Éléa Import domain code, deployed as a Lambda layer. No AWS calls outside `dal/`."""
