"""/api/v1: a JSON API with bearer tokens and an OpenAPI description. Owns no rule."""
