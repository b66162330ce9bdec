"""Where the operator commands act: the local moto platform (--state-dir) or the deployed stack (--deployed)."""
