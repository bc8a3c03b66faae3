"""Quarantine rows (one per problem), with the shape of a bad value instead of its text.

A quarantine row says which input row and column could not be used and why:

=========  ========================================================================================
row        1-based data row number in the input file (header not counted)
column     input column name as written in the file (canonical name when the file lacks the column)
value_shape  the cell's shape, never its text: ``len=23 letters+digits+punct`` or ``empty``
             (:func:`shape`), enough to find and fix the cell in the source file, not to read it
reason     why it could not be used
whole_row  True when the whole record is held out of people.csv; False for a field problem (the
           parsed value is left NA and the record is kept) or a note such as a possible duplicate
=========  ========================================================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

COLUMNS: tuple[str, ...] = ("row", "column", "value_shape", "reason", "whole_row")
SHAPE_CLASSES: tuple[str, ...] = ("letters", "digits", "spaces", "punct", "other")
# A spreadsheet treats a cell starting with one of these as a formula (CSV/formula injection, OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
INERT_PREFIX = "'"


def empty() -> pd.DataFrame:
    """A quarantine table with no rows and the right dtypes."""
    return pd.DataFrame({
        "row": pd.Series(dtype="int64"), "column": pd.Series(dtype=object),
        "value_shape": pd.Series(dtype=object), "reason": pd.Series(dtype=object),
        "whole_row": pd.Series(dtype=bool),
    })


def shape(value: object) -> str:
    """A cell's redacted shape: its length and character classes (``len=10 digits+punct``), or ``empty``."""
    text = value if isinstance(value, str) else ("" if value is None or value != value else str(value))
    if not text:
        return "empty"
    found = set()
    for ch in text:
        if ch.isalpha():
            found.add("letters")
        elif ch.isdigit():
            found.add("digits")
        elif ch.isspace():
            found.add("spaces")
        elif ch.isprintable():
            found.add("punct")
        else:
            found.add("other")
    return f"len={len(text)} " + "+".join(c for c in SHAPE_CLASSES if c in found)


def shapes(values: pd.Series) -> np.ndarray:
    """:func:`shape` of each value, computed once per distinct value."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    table = np.array([shape(u) for u in uniques] + ["empty"], dtype=object)
    return table[codes]


def problems(
    raw: pd.DataFrame, mask: pd.Series | np.ndarray, column: str, reason: str | pd.Series, whole_row: bool,
    source_columns: Mapping[str, str] | None = None, row_column: str = "_row",
) -> pd.DataFrame:
    """Quarantine rows for the records of ``raw`` where ``mask`` is True, about canonical ``column``.

    ``reason`` is one text for all, or a Series aligned with ``raw``; ``value_shape`` is the cell's shape.
    """
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return empty()
    picked = raw.loc[mask]
    value = picked[column] if column in picked else pd.Series("", index=picked.index, dtype=object)
    why = reason.loc[picked.index].astype(object) if isinstance(reason, pd.Series) else reason
    return pd.DataFrame({
        "row": picked[row_column].astype("int64").to_numpy(),
        "column": (source_columns or {}).get(column, column),
        "value_shape": shapes(value),
        "reason": np.asarray(why, dtype=object) if isinstance(why, pd.Series) else why,
        "whole_row": bool(whole_row),
    })


def collect(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate quarantine pieces, drop exact repeats, sort deterministically."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty()
    out = pd.concat(frames, ignore_index=True)[list(COLUMNS)]
    out = out.astype({"row": "int64", "column": object, "value_shape": object, "reason": object, "whole_row": bool})
    out = out.drop_duplicates()
    out = out.sort_values(["row", "whole_row", "column", "reason"], ascending=[True, False, True, True], kind="stable")
    return out.reset_index(drop=True)
