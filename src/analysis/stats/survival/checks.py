"""One input check shared by every survival estimator: bad input raises one DataError, never a silent answer.

Rules (docs/SURVIVAL.md, "Input rules"): durations numeric, finite, ≥ 0; event codes integers from the declared
mapping (0/1 unless declared); entry times numeric, finite, ≥ 0; covariates with more than one value; no missing
value in any column used unless the caller passes `dropna=True`, and then the number excluded is in the notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.stats.survival.codes import BINARY_CODES, CENSORED, EVENT_CODES_ATTR

Codes = Mapping[int, str] | Sequence[int] | None


@dataclass
class Checked:
    """Rows that passed the checks, with duration, integer event code and entry time as arrays, plus notes."""

    data: pd.DataFrame
    time: np.ndarray
    code: np.ndarray
    entry: np.ndarray | None
    codes: dict[int, str]
    notes: list[str] = field(default_factory=list)
    n_missing: int = 0  # rows excluded for a missing value (dropna=True)
    n_late_entry: int = 0  # rows excluded because they entered on or after their exit


def fail(where: str, column: str | None, rule: str, n_bad: int | None = None, hint: str = "") -> DataError:
    """One-line DataError naming the estimator, the column, the rule broken and how many rows break it."""
    count = "" if n_bad is None else f" ({n_bad} row{'s' if n_bad != 1 else ''} break{'s' if n_bad == 1 else ''} it)"
    return DataError(f"{where}()", f"{rule}{count}{'; ' + hint if hint else ''}", column=column)


def declared_codes(df: pd.DataFrame, event: str, codes: Codes) -> dict[int, str]:
    """Event-code mapping: the caller's, else the one the frame declares in attrs, else 0 = censored / 1 = event."""
    if codes is None:
        codes = df.attrs.get(EVENT_CODES_ATTR, {}).get(event, BINARY_CODES)
    mapping = dict(codes) if isinstance(codes, Mapping) else {int(c): str(c) for c in codes}
    if CENSORED not in mapping:
        mapping[CENSORED] = "censored"
    return {int(k): v for k, v in mapping.items()}


def _numeric(df: pd.DataFrame, col: str, where: str, what: str) -> np.ndarray:
    """Column as float array; a non-numeric column (strings, text digits, booleans) raises naming the rule."""
    x = df[col]
    if pd.api.types.is_bool_dtype(x) or not pd.api.types.is_numeric_dtype(x):
        as_num = pd.to_numeric(x, errors="coerce")
        bad = int((as_num.isna() & x.notna()).sum()) if not pd.api.types.is_bool_dtype(x) else len(x)
        raise fail(where, col, f"{what} must be numbers (column dtype is {x.dtype})", bad or len(x),
                   "convert it with pd.to_numeric first" if bad == 0 else "")
    return x.to_numpy(dtype=float, na_value=np.nan)


def _check_time(df: pd.DataFrame, col: str, where: str, what: str) -> np.ndarray:
    """Durations / entry times: numeric, finite, ≥ 0."""
    t = _numeric(df, col, where, what)
    if (n := int((~np.isfinite(t)).sum())):
        raise fail(where, col, f"{what} must be finite (no inf)", n)
    if (n := int((t < 0).sum())):
        raise fail(where, col, f"{what} must be ≥ 0", n)
    return t


def _check_codes(df: pd.DataFrame, col: str, where: str, mapping: dict[int, str]) -> np.ndarray:
    """Event column: integer codes (bool allowed) from the declared mapping."""
    x = df[col]
    allowed = sorted(mapping)
    rule = f"event codes must be one of {allowed} (0 = censored)"
    if pd.api.types.is_bool_dtype(x):
        return x.to_numpy(dtype=int)
    if not pd.api.types.is_numeric_dtype(x):
        raise fail(where, col, f"{rule}; the column holds {x.dtype} values, not numbers", len(x),
                   "map text codes to integers first")
    v = x.to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isin(v, allowed)
    if (n := int(bad.sum())):
        seen = ", ".join(f"{u:g}" for u in sorted(pd.unique(v[bad]))[:5])
        raise fail(where, col, f"{rule}; found {seen}", n,
                   "recode (R's 1/2 is 0/1 here) or declare the codes with codes={code: label}")
    return v.astype(int)


def _check_variance(df: pd.DataFrame, col: str, where: str) -> None:
    """A covariate must take more than one value among the rows used (else it has no effect to estimate)."""
    values = pd.unique(df[col])
    if len(values) < 2:
        value = values[0].item() if isinstance(values[0], np.generic) else values[0]  # 1, not np.int64(1)
        raise fail(where, col, f"a covariate must vary, but all {len(df)} rows hold {value!r}", len(df),
                   "drop it from covariates (or stratify on it)")


def check_input(
    df: pd.DataFrame,
    duration: str,
    event: str | None,
    where: str,
    *,
    entry: str | None = None,
    group: str | None = None,
    covariates: Sequence[str] = (),
    strata: Sequence[str] = (),
    cluster: str | None = None,
    codes: Codes = None,
    dropna: bool = False,
) -> Checked:
    """Validate the columns an estimator uses; return the rows kept and notes on every row excluded."""
    if not isinstance(df, pd.DataFrame):
        raise fail(where, None, f"expects a pandas DataFrame, got {type(df).__name__}")
    used = [c for c in [duration, event, entry, group, *covariates, *strata, cluster] if c is not None]
    for c in dict.fromkeys(used):
        if c not in df.columns:
            raise fail(where, c, "column not found in the data frame")
    used = list(dict.fromkeys(used))
    notes: list[str] = []
    n_missing = n_late = 0
    missing = df[used].isna()
    if missing.any().any():
        if not dropna:
            col = missing.sum().idxmax()
            raise fail(where, col, "missing values (NaN) are not allowed", int(missing[col].sum()),
                       "fill them (e.g. an explicit 'unknown' group) or pass dropna=True to exclude and count them")
        n = n_missing = int(missing.any(axis=1).sum())
        notes.append(f"{n} rows with a missing value in {', '.join(c for c in used if missing[c].any())} "
                     "excluded (dropna=True).")
        df = df[~missing.any(axis=1).to_numpy()]
    if df.empty:
        raise fail(where, duration, "no rows to analyse", 0)
    time = _check_time(df, duration, where, "durations")
    mapping = declared_codes(df, event, codes) if event is not None else dict(BINARY_CODES)
    code = _check_codes(df, event, where, mapping) if event is not None else np.zeros(len(df), int)
    start = None
    if entry is not None:
        start = _check_time(df, entry, where, "entry times")
        late = start >= time
        if late.all():
            raise fail(where, entry, "entry time must be before the exit time (duration)", int(late.sum()))
        if late.any():
            n_late = int(late.sum())
            notes.append(f"{int(late.sum())} rows entered on or after their exit time (e.g. recognised after "
                         "release) are never at risk and were excluded (delayed entry).")
            keep = ~late
            df, time, code, start = df[keep], time[keep], code[keep], start[keep]
    for c in covariates:
        if not (pd.api.types.is_numeric_dtype(df[c]) or pd.api.types.is_bool_dtype(df[c])
                or isinstance(df[c].dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(df[c])
                or df[c].dtype == object):
            raise fail(where, c, f"covariate dtype {df[c].dtype} is neither numeric nor categorical", len(df))
        if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]):
            if (n := int((~np.isfinite(df[c].to_numpy(dtype=float))).sum())):
                raise fail(where, c, "numeric covariates must be finite", n)
        _check_variance(df, c, where)
    return Checked(data=df, time=time, code=code, entry=start, codes=mapping, notes=notes, n_missing=n_missing,
                   n_late_entry=n_late)


def group_levels(df: pd.DataFrame, group: str | None) -> list[tuple[object, np.ndarray]]:
    """(label, boolean row mask) per group level in categorical or sorted order; one level when no group."""
    from analysis.stats.survival.codes import ALL_GROUP

    if group is None:
        return [(ALL_GROUP, np.ones(len(df), bool))]
    x = df[group]
    if isinstance(x.dtype, pd.CategoricalDtype):
        levels = [c for c in x.cat.categories if (x == c).any()]
    else:
        levels = sorted(pd.unique(x), key=lambda v: (str(type(v)), v))
    return [(lev, (x == lev).to_numpy()) for lev in levels]
