"""The base error and the errors of reading files. The lowest layer owns them; the CLI and app translate them."""

from __future__ import annotations


class RegassistError(Exception):
    """Base error: a message saying what went wrong and a hint saying what to do."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class IngestError(RegassistError):
    """One file could not be ingested. Carries the path and a short machine-readable reason."""

    reason = "unreadable"

    def __init__(self, path: str, message: str, hint: str = "") -> None:
        super().__init__(f"{path}: {message}", hint)
        self.path = path


class MissingFileError(IngestError):
    reason = "missing"


class EmptyFileError(IngestError):
    reason = "empty"


class CorruptFileError(IngestError):
    reason = "corrupt"


class EncryptedFileError(IngestError):
    reason = "encrypted"


class NoTextError(IngestError):
    reason = "no-text"


class UnsupportedFileError(IngestError):
    reason = "unsupported"


class FileTooLargeError(IngestError):
    reason = "too-large"
