"""pytest's view of a project, read statically: ini settings, collection, fixtures."""
