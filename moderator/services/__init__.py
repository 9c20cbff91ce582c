"""Use cases: the steps a user takes, built on the store and the archive."""
