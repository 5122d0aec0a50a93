"""A GitOps registry for contracts and capsules."""
