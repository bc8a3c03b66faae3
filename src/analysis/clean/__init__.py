"""Cleaning of person-level exports: vectorised parsers of messy text, then the cleaning pipeline.

The three parsers live in their own modules and share the conventions and helpers defined here:

- ``analysis.clean.dates.parse_dates``
- ``analysis.clean.articles.parse_articles`` (+ ``FAMILIES``, ``article_family``, ``has_article``)
- ``analysis.clean.sentences.parse_sentences``

(also importable as ``from analysis.clean import parse_dates`` etc.).

Contract shared by every parser
-------------------------------
* Input is a pandas Series of raw cell values (usually ``str``; NaN/None/empty allowed; stray non-text
  values such as ``datetime`` or integers from spreadsheets are turned into text first, other objects
  are read through ``str()``).
* Output is a DataFrame with the *same index* as the input (duplicates and order kept), the parsed
  columns plus an ``error`` column. Text columns hold ``str`` or ``NaN`` (object dtype), as
  ``pandas.read_csv`` would give.
* Row invariant (tested with hypothesis in tests/test_parse_*.py):

  - missing input (NA, empty, blank) or an "unknown" marker (``UNKNOWN_MARKERS``) -> every parsed column
    NA and ``error`` NA: missing is not an error;
  - otherwise *exactly one* of: the primary parsed column(s) are set and ``error`` is NA, or every parsed
    column is NA and ``error`` is a non-empty reason. A parser never returns a partial value together
    with an error, and never guesses.
* Parsers never raise on cell contents.
* Speed: a column is factorised (``pandas.factorize``, hashing in C), a small per-value function with
  precompiled regexes runs once per *distinct* value, and the results are gathered back to every row
  with one ``take``. Real exports repeat values heavily (a few hundred distinct sentence texts in
  thousands of rows), so a million rows cost about the time of factorising them.
"""

from __future__ import annotations

import datetime as _dt
import numbers
import re
from typing import Callable

import numpy as np
import pandas as pd

__all__ = [
    "UNKNOWN_MARKERS",
    "UNKNOWN_PATTERN",
    "is_unknown",
    "is_unknown_value",
    "normalise_text",
    "normalise_value",
    "parse_unique",
    "parse_dates",
    "parse_articles",
    "parse_sentences",
]

# Cell values meaning "not known" (checked after normalisation: lower case, single spaces, no trailing
# full stop). The first six are the markers used by the Viasna export; the rest are common spreadsheet
# spellings of the same thing ("nan"/"none"/"null" appear when a column went through str()).
UNKNOWN_MARKERS: tuple[str, ...] = (
    "unknown", "неизвестно", "невядома", "—", "-", "n/a",
    "–", "?", "na", "n.a", "nan", "none", "null", "не известно", "нет данных", "няма звестак",
    "невядомы", "невядомая", "неизвестна", "неизвестен", "не указано", "not known",
)
UNKNOWN_PATTERN = r"^(?:" + "|".join(
    sorted((re.escape(m) for m in UNKNOWN_MARKERS), key=len, reverse=True)
) + r")$"

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
_DIGIT_DASH = re.compile(rf"(?<=[0-9])\s?[{_DASHES}]\s?(?=[0-9])")
_UNKNOWN = re.compile(UNKNOWN_PATTERN)
_CHAR_MAP = str.maketrans({"ё": "е", "’": "'", "ʼ": "'", **{
    k: v for k, v in zip("¹²³⁴⁵⁶⁷⁸⁹", ["-1", "-2", "-3", "-4", "-5", "-6", "-7", "-8", "-9"])}})
_NEEDS_MAP = re.compile("[ё’ʼ¹²³⁴⁵⁶⁷⁸⁹]")


def _to_text(value: object) -> object:
    """One raw cell -> str or None (only ever called on distinct values)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (pd.Timestamp, _dt.datetime)):
        return None if pd.isna(value) else value.strftime("%Y-%m-%d")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        try:
            f = float(value)
        except (TypeError, ValueError, OverflowError):
            return None
        if f != f:
            return None
        return str(int(f)) if f.is_integer() else str(value)
    try:
        return str(value)
    except Exception:  # noqa: BLE001 - a cell whose str() fails is simply unreadable
        return None


def normalise_value(value: object, keep_newlines: bool = False) -> str | None:
    """Normalise one text: lower case, ``ё``->``е``, unified quotes, single spaces, trimmed, no trailing
    full stop; dashes between digits (en/em dash, minus, non-breaking hyphen) -> ``-``; superscript
    digits -> ``-N`` (``361¹`` -> ``361-1``). With ``keep_newlines`` line breaks are kept as ``\\n``
    (they separate items). Blank or non-text -> None."""
    if not isinstance(value, str):
        return None
    t = value.lower()
    if _NEEDS_MAP.search(t):
        t = t.translate(_CHAR_MAP)
    if any(c in t for c in _DASHES):
        t = _DIGIT_DASH.sub("-", t)
    if keep_newlines:
        t = "\n".join(line for line in (" ".join(x.split()) for x in t.splitlines()) if line)
    else:
        t = " ".join(t.split())
    t = t.rstrip(".").rstrip()
    return t or None


def is_unknown_value(normalised: object) -> bool:
    """True when an already normalised text is one of UNKNOWN_MARKERS."""
    return isinstance(normalised, str) and _UNKNOWN.match(normalised.replace("\n", " ")) is not None


def normalise_text(u: pd.Series, keep_newlines: bool = False) -> pd.Series:
    """``normalise_value`` over a Series (blank/non-text -> NaN); same index."""
    out = np.empty(len(u), dtype=object)
    out[:] = [_nan_if_none(normalise_value(v, keep_newlines)) for v in np.asarray(u, dtype=object)]
    return pd.Series(out, index=u.index, dtype=object)


def _nan_if_none(v: object) -> object:
    return np.nan if v is None else v


def is_unknown(normalised: pd.Series) -> pd.Series:
    """True where an already normalised value is one of UNKNOWN_MARKERS."""
    return pd.Series([is_unknown_value(v) for v in np.asarray(normalised, dtype=object)],
                     index=normalised.index, dtype=bool)


# ------------------------------------------------------------------------------ distinct values
def parse_unique(
    data: pd.Series | pd.DataFrame,
    parse_one: Callable[..., tuple],
    columns: dict[str, str],
) -> pd.DataFrame:
    """Apply ``parse_one`` to each distinct value (or distinct row of several columns) of ``data``.

    ``parse_one(*texts)`` gets one ``str``/None per input column (never all None) and returns one
    value per output column (``columns``: name -> "datetime64[ns]" (given as int days since
    1970-01-01), "float64", "Int64" or "object"; None for NA). Rows whose inputs are all NA get
    all-NA output. The result has the index of ``data``.
    """
    frame = data.to_frame() if isinstance(data, pd.Series) else pd.DataFrame(data)
    na_row = tuple(_NA[dtype] for dtype in columns.values())
    if frame.shape[1] == 1:  # one column: its own codes index the distinct values (-1 = NA, last row)
        row_codes, text = _factorize_text(frame.iloc[:, 0])
        results = [parse_one(v) for v in text] + [na_row]
    else:
        combined = np.zeros(len(frame), dtype=np.int64)
        texts = []
        for col in range(frame.shape[1]):
            codes, text = _factorize_text(frame.iloc[:, col])
            combined = combined * (len(text) + 1) + (codes + 1)  # code -1 (NA) -> 0
            texts.append(text)
        row_codes, distinct = pd.factorize(combined)
        rest = np.asarray(distinct, dtype=np.int64)
        per_column = []
        for text in reversed(texts):  # decode each distinct combination into one text per column
            per_column.append(np.append(np.asarray(text, dtype=object), None)[rest % (len(text) + 1) - 1])
            rest = rest // (len(text) + 1)
        per_column.reverse()
        results = [parse_one(*values) if any(v is not None for v in values) else na_row
                   for values in zip(*per_column)]
    out = {}
    for k, (name, dtype) in enumerate(columns.items()):
        out[name] = _column([r[k] for r in results], dtype)[row_codes]  # gather back to every row
    return pd.DataFrame(out, index=frame.index, copy=False)


_NA = {"datetime64[ns]": None, "float64": np.nan, "Int64": pd.NA, "object": np.nan}


def _column(values: list, dtype: str):
    if dtype == "datetime64[ns]":  # values: days since 1970-01-01 (int) or None
        days = np.array([np.nan if v is None else v for v in values], dtype="float64")
        missing = np.isnan(days)
        out = np.where(missing, 0, days).astype(np.int64).astype("datetime64[D]").astype("datetime64[ns]")
        out[missing] = np.datetime64("NaT", "ns")
        return out
    if dtype == "float64":
        return np.array(values, dtype="float64")
    if dtype == "Int64":
        return pd.array(values, dtype="Int64")
    arr = np.empty(len(values), dtype=object)
    arr[:] = [np.nan if v is None else v for v in values]
    return arr


def _factorize_text(s: pd.Series) -> tuple[np.ndarray, list]:
    """Codes (-1 for NA) and the distinct values as text (str or None)."""
    values = np.asarray(s, dtype=object) if not isinstance(s.dtype, pd.CategoricalDtype) else \
        np.asarray(s.astype(object), dtype=object)
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        seen = codes >= 0
        # pandas hashes str only up to a NUL character ("2025\x00x" == "2025"): check, and redo exactly
        if seen.any() and not (np.asarray(uniques, dtype=object)[codes[seen]] == values[seen]).all():
            codes, uniques = _factorize_exact(values)
    except TypeError:  # unhashable cells: compare them by their text
        codes, uniques = _factorize_exact(np.array([_to_text(v) for v in values], dtype=object))
    text = [_to_text(v) for v in uniques]
    if any(t is None for t in text):  # values that turned out to be NA (NaT objects...) count as NA
        dead = np.array([t is None for t in text], dtype=bool)
        codes = np.where((codes >= 0) & dead[np.maximum(codes, 0)], -1, codes)
        keep = np.flatnonzero(~dead)
        remap = np.full(len(text), -1, dtype=np.int64)
        remap[keep] = np.arange(len(keep))
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
        text = [text[i] for i in keep]
    return codes.astype(np.int64), text


def _factorize_exact(values: np.ndarray) -> tuple[np.ndarray, list]:
    """Slow exact factorisation with a dict (used only when pandas' fast one cannot be trusted)."""
    table: dict = {}
    codes = np.fromiter(
        (-1 if _to_text(v) is None else table.setdefault(v, len(table)) for v in values),
        dtype=np.int64, count=len(values))
    return codes, list(table)


def __getattr__(name: str):  # lazy re-exports, so submodules can import this package without cycles
    targets = {"parse_dates": "dates", "parse_articles": "articles", "parse_sentences": "sentences"}
    if name in targets:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{targets[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
