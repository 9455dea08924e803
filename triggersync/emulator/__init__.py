"""The local API emulator: the Chat Triggers API of SPEC §1 on loopback, backed by SQLite.

Nothing is imported here so that `triggersync --version` does not pay for the HTTP server;
import `triggersync.emulator.server`, `.store` or `.faults` directly.
"""
