"""Design of a Cox model: event indicator for all-cause or cause-specific models, dummy coding against an explicit
reference level, strata codes, and entry times that follow the (entry, exit] risk-set rule."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.stats.survival.checks import Checked, fail
from analysis.stats.survival.codes import CENSORED, EVENT_LABELS, UNKNOWN_MODES, UNKNOWN_ROUTE


def event_status(chk: Checked, cause: int | None, unknown: str, where: str) -> tuple[np.ndarray, np.ndarray, int]:
    """(row mask kept, 0/1 status, n unknown-route rows excluded) for all-cause or cause-specific analysis."""
    if unknown not in UNKNOWN_MODES:
        raise ValueError(f"unknown must be one of {UNKNOWN_MODES}")
    if cause is None:
        return np.ones(len(chk.code), bool), (chk.code != CENSORED).astype(int), 0
    if cause not in chk.codes or cause == CENSORED:
        raise fail(where, None, f"cause {cause!r} is not an event code of the declared mapping {sorted(chk.codes)}")
    is_unknown_route = chk.codes.get(UNKNOWN_ROUTE) == EVENT_LABELS[UNKNOWN_ROUTE]
    drop = (chk.code == UNKNOWN_ROUTE) if (unknown == "exclude" and is_unknown_route) else np.zeros(len(chk.code), bool)
    return ~drop, (chk.code[~drop] == cause).astype(int), int(drop.sum())


def reference_level(x: pd.Series) -> object:
    """Default reference: first category present of a Categorical, else the first level in sorted order (as R)."""
    if isinstance(x.dtype, pd.CategoricalDtype):
        return next(c for c in x.cat.categories if (x == c).any())
    return sorted(pd.unique(x), key=str)[0]


def design(df: pd.DataFrame, covariates: list[str], reference: dict[str, object] | None,
            where: str) -> tuple[pd.DataFrame, list[dict]]:
    """Dummy-code categorical covariates against their reference level; numeric/bool covariates enter as-is."""
    cols, terms = {}, []
    for c in covariates:
        x = df[c]
        if pd.api.types.is_bool_dtype(x) or (
            pd.api.types.is_numeric_dtype(x) and not isinstance(x.dtype, pd.CategoricalDtype)
        ):
            cols[c] = x.astype(float).to_numpy()
            terms.append({"term": c, "covariate": c, "level": None, "reference": None})
            continue
        levels = ([v for v in x.cat.categories if (x == v).any()] if isinstance(x.dtype, pd.CategoricalDtype)
                  else sorted(pd.unique(x), key=str))
        ref = (reference or {}).get(c, reference_level(x))
        if ref not in levels:
            raise fail(where, c, f"reference level {ref!r} is not among the levels present {levels}")
        for lev in levels:
            if lev == ref:
                continue
            term = f"{c}[{lev}]"
            cols[term] = (x == lev).astype(float).to_numpy()
            terms.append({"term": term, "covariate": c, "level": lev, "reference": ref})
    return pd.DataFrame(cols, index=df.index), terms


def strata_codes(df: pd.DataFrame, strata: list[str]) -> np.ndarray | None:
    """One integer code per combination of the strata columns (None when unstratified)."""
    if not strata:
        return None
    return df[strata].astype(str).agg("|".join, axis=1).factorize(sort=True)[0]


def strict_entry(time: np.ndarray, entry: np.ndarray | None) -> np.ndarray | None:
    """Entry times nudged up by half the smallest gap between distinct times: PHReg keeps a subject entering
    exactly at an event time in that risk set (Stata's rule); R and lifelines use (entry, exit], as we do."""
    if entry is None:
        return None
    values = np.unique(np.r_[time, entry])
    gap = np.diff(values).min() if len(values) > 1 else 1.0
    return entry + gap / 2
