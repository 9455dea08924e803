"""Files → Config: discovery, the YAML reader that records places, the schema, ${VAR}.

The public API: `load` (paths → Config, or ConfigError with every problem), `load_vars` (a
`--vars` file), and the values they return.
"""

from triggersync.config.files import Config, IgnoreGlob, load, load_vars

__all__ = ["Config", "IgnoreGlob", "load", "load_vars"]
