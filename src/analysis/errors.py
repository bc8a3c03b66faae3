"""Errors that the command line reports as one clear line instead of a traceback."""

from __future__ import annotations


class DataError(Exception):
    """A problem with an input file: says which file, row and column, and what is wrong."""

    def __init__(self, file: object, message: str, row: int | None = None, column: str | None = None):
        self.file, self.row, self.column, self.detail = str(file), row, column, message
        where = self.file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")


class UsageError(Exception):
    """Bad command-line arguments or notebook parameters, reported before any work starts."""
