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


class StaleError(ConflictError):
    """A write or an undo based on a version of a row that is no longer current: someone else changed it.
    The message names who changed what and when; `table` and `row_id` name the row, so the form can show
    its current value."""

    def __init__(self, message: str, table: str = "", row_id: int = 0) -> None:
        super().__init__(message)
        self.table = table
        self.row_id = row_id
