"""Errors that carry a Japanese message for the clerk (the CLI prints them, the GUI shows them)."""

from __future__ import annotations


class AsahiError(Exception):
    """Base of every error the user is meant to read; `str(e)` is the Japanese message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(AsahiError):
    """Bad input from a file or a form: names the place (file, sheet, row, column, field)."""

    def __init__(self, message: str, where: str | None = None) -> None:
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)
        self.detail = message


class NotFoundError(AsahiError):
    """A fiscal year, program or other record that the request names does not exist."""


class ConflictError(AsahiError):
    """The request would overwrite or duplicate something that already exists."""
