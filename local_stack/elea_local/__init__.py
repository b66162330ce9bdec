"""The local stack shared by `run`, `approve` and `serve`: moto, the template's resources, the in-process
Lambdas and the state dir. Local-only tooling, never deployed: no Docker, no AWS account."""
