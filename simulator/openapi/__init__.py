"""OpenAPI contracts as the source of routes and request validation."""
