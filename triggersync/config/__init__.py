"""Files to Config: discovery, the YAML loader with locations, the schema, ${VAR}."""
