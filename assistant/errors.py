"""A small error hierarchy. Library code raises these; the CLI and app translate them.

The base class and the file errors live in ``ingest.errors`` (the lowest layer) and are re-exported here."""

from __future__ import annotations

from ingest.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    IngestError,
    NoTextError,
    RegassistError,
    UnsupportedFileError,
)

__all__ = [
    "CorruptFileError",
    "EmptyFileError",
    "EncryptedFileError",
    "FileTooLargeError",
    "IndexMismatchError",
    "IndexMissingError",
    "IngestError",
    "LLMError",
    "NoTextError",
    "RegassistError",
    "UnsupportedFileError",
    "UsageError",
]


class UsageError(RegassistError):
    """The user asked for something malformed (bad flag value, unknown document)."""

    exit_code = 2


class IndexMismatchError(RegassistError):
    """The index on disk was built with other embedding/chunking settings."""


class IndexMissingError(RegassistError):
    """No index exists in the data directory yet."""


class LLMError(RegassistError):
    """The LLM endpoint failed or gave no usable answer (the assistant answers extractively)."""
