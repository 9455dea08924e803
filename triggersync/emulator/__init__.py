"""The local API emulator: the Chat Triggers API (docs/api.md) on loopback, backed by SQLite.

Nothing is imported here so that `triggersync --version` does not pay for the HTTP server;
import `triggersync.emulator.server`, `.store` or `.faults` directly.
"""
