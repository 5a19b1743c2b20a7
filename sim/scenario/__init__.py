"""Scenarios: the YAML format, its linter, the event library and the engine
that plays a timeline on a workspace's sim clock."""
