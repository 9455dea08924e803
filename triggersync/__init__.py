"""triggersync: Zendesk Chat triggers as code."""

__version__ = "0.1.0"
