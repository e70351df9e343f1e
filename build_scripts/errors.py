"""The exception hierarchy. The CLI turns any of these into a one-line message."""
from __future__ import annotations


class ArchiveError(Exception):
    """Base class for every error the archive reports to a user."""

    def __init__(self, message: str, *, path: str | None = None, key: str | None = None,
                 line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.key = key
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where += f":{self.line}"
        if self.key:
            where += f" [{self.key}]"
        return f"{where}: {self.message}" if where else self.message


class CaptureError(ArchiveError):
    """A capture cannot be read or holds no article. The capture is skipped."""


class DecodeError(CaptureError):
    """The bytes of a capture cannot be decoded as text."""


class EmptyCaptureError(CaptureError):
    """A capture is empty, blank or has no article text in it."""


class KnowledgeError(ArchiveError):
    """A curated knowledge file (events, people, ...) is malformed."""


class FrontMatterError(ArchiveError):
    """A page's front matter is malformed or has a wrong type."""


class CheckFailed(ArchiveError):
    """``build --check`` found pages that differ from what the build produces."""
