"""The foundation's policy on parent communication, as code (spec: shared/seed/)."""
