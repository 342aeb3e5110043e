"""One exception tree for the whole product, so CLI and web map errors in one place."""

from __future__ import annotations


class MissionGraphError(Exception):
    """Root of every error we raise on purpose; carries the offending input."""

    def __init__(self, message: str, input: str | None = None):
        super().__init__(message)
        self.message = message
        self.input = input

    def __str__(self) -> str:
        return self.message


class InputError(MissionGraphError):
    """The user gave something we cannot use (bad file, bad query, bad option)."""


class LoadError(InputError):
    """A file could not be read or parsed; ``input`` is its path."""


class NotFoundError(MissionGraphError):
    """A symbol, document or entity asked for is not in the store."""


class StoreError(MissionGraphError):
    """The graph store failed or its contents are inconsistent."""


class ConfigError(MissionGraphError):
    """A setting is missing or wrong (unknown backend, missing model)."""
