"""Read replicas: a mirror of the primary's store, fetched by git, served only once signed."""
