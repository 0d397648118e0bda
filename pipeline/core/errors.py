"""Exceptions raised by coopex.

    CoopexError                  root; every error coopex raises on purpose
    ├── ConfigError              bad settings (endpoint, paths, model files)
    │   └── EndpointUnreachableError  the endpoint cannot be reached at all: the run stops
    ├── InputError               an article that cannot be read (empty, binary, too large, ...)
    ├── BackendError             the model endpoint failed after its transport retries
    ├── ExtractionError          the model gave no valid answer after its re-asks
    ├── RecordValidationError    a record failed its JSON Schema
    ├── OutputLockedError        another run is writing the same output file
    ├── OutputIncompleteError    the batch output could not be written to the end (a full disk): resume
    └── OutputRefusedError       an output that is not coopex's, is an input, or cannot be written

Each carries what a user needs to act; ``stage`` names the pipeline stage for error records.
"""

from __future__ import annotations


class CoopexError(Exception):
    stage = "internal"


class ConfigError(CoopexError):
    stage = "config"


class EndpointUnreachableError(ConfigError):
    """Not one article's failure: every article would fail the same way, so the run stops."""


class InputError(CoopexError):
    stage = "ingest"


class BackendError(CoopexError):
    stage = "llm"

    def __init__(self, message: str, attempts: int = 0, usage: list[dict[str, int]] | None = None):
        super().__init__(message)
        self.attempts = attempts
        self.usage = usage or []


class ExtractionError(CoopexError):
    stage = "llm"

    def __init__(
        self,
        message: str,
        attempts: int = 0,
        last_raw: str | None = None,
        usage: list[dict[str, int]] | None = None,
    ):
        super().__init__(message)
        self.attempts = attempts
        self.last_raw = last_raw
        self.usage = usage or []


class RecordValidationError(CoopexError):
    stage = "validate"

    def __init__(self, message: str, errors: list[str] | None = None):
        super().__init__(message)
        self.errors = errors or []


class OutputLockedError(CoopexError):
    stage = "batch"


class OutputRefusedError(CoopexError):
    stage = "output"


class OutputIncompleteError(CoopexError):
    """The batch output stopped part-way (a full disk): the lines written are kept; run again to resume."""

    stage = "output"
