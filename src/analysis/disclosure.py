"""Disclosure control: the one place that decides what of the person-level data may be shown.

Rule (README, "Person-level data"): no group of fewer than MIN_CELL people is shown, directly or by
subtraction. Every table, figure group, risk table and group statistic built from person-level rows
passes through here:

- `merge_small` pools the levels of a grouping column that hold fewer than MIN_CELL people (into
  "other", or into the smallest large level when the pool itself stays small), *before* any
  statistic, curve or model is computed, so no statistic ever rests on a small group;
- `protect` hides small counts ("<5") and, complementarily, enough other counts ("withheld") that no
  hidden count can be worked out from shown cells and shown totals (every line of a table — a row
  or a column of a cross-table, whose total is taken as published — hides either nothing, or at least
  two cells adding up to MIN_CELL or more);
- `protect_summary` does both for a grouped summary: statistics of a small group are blanked;
- `pool_steps` merges consecutive steps of an exclusion/selection count table so that no step
  removes between 1 and MIN_CELL−1 records (a removed count is always recoverable from the totals);
- `risk_shown` / `cut_curves` for Kaplan–Meier numbers at risk and curves.

The threshold can be raised, never lowered: `threshold()` clamps anything below MIN_CELL up.
Zero is not a small cell (an empty group discloses nobody).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

MIN_CELL = 5
SMALL = f"<{MIN_CELL}"  # the label of a hidden small count at the default threshold; small_label(t) for others
WITHHELD = "withheld"
OTHER = "other"
PERSON = "person_id"
NOTE_WITHHELD = (f"'{SMALL}': fewer than {MIN_CELL} people; '{WITHHELD}': hidden as well, so that a small count "
                 "cannot be worked out by subtraction from the totals.")


def small_label(min_n: int = MIN_CELL) -> str:
    """How a count below the threshold is shown: '<5', or '<10' under a threshold of 10 (never a lower bound)."""
    return f"<{max(int(min_n), MIN_CELL)}"


def threshold(requested: int | None = None) -> tuple[int, str | None]:
    """The small-cell threshold actually used (never below MIN_CELL) and a note when a lower one was asked for."""
    if requested is None:
        return MIN_CELL, None
    value = int(requested)
    if value < MIN_CELL:
        return MIN_CELL, (f"small-cell threshold {value} is below the minimum of {MIN_CELL}; "
                          f"{MIN_CELL} is used (groups of fewer than {MIN_CELL} people are never shown)")
    return value, None


def _people(df: pd.DataFrame, column: str, person: str = PERSON) -> pd.Series:
    """Number of distinct people per level of `column` (rows when there is no person id)."""
    key = df[column].astype("object").where(df[column].notna(), "unknown")
    if person in df.columns:
        return df.assign(_k=key).groupby("_k")[person].nunique()
    return key.value_counts()


def merge_small(df: pd.DataFrame, columns: Sequence[str], min_n: int = MIN_CELL, other: str = OTHER,
                person: str = PERSON) -> tuple[pd.DataFrame, list[str]]:
    """Pool levels holding fewer than `min_n` people, column by column; returns the frame and one note per pool.

    The small levels go into `other` (joining an existing `other` level). If the pool is still smaller than
    `min_n`, the smallest remaining level joins it and the pool is labelled "<that level> + other". If the whole
    column has fewer than `min_n` people it becomes a single level `other`. Missing values count as "unknown".
    """
    min_n, _ = threshold(min_n)
    out, notes = df.copy(), []
    for col in columns:
        if col not in out.columns:
            continue
        values = out[col].astype("object").where(out[col].notna(), "unknown").astype(str)
        sizes = _people(out.assign(**{col: values}), col, person).sort_values(kind="mergesort")
        small = [lvl for lvl, n in sizes.items() if n < min_n and lvl != other]
        if not small:
            continue  # the column keeps its type (e.g. an ordered categorical)
        pool = set(small) | ({other} if other in sizes.index else set())
        label = other
        pooled = int(out.loc[values.isin(pool), person].nunique()) if person in out else int(values.isin(pool).sum())
        rest = [lvl for lvl in sizes.index if lvl not in pool]
        while pooled < min_n and rest:
            joined = rest.pop(0)
            pool.add(joined)
            label = f"{joined} + {other}"
            pooled = int(out.loc[values.isin(pool), person].nunique()) if person in out else int(values.isin(pool).sum())
        out[col] = values.where(~values.isin(pool), label)
        names = ", ".join(sorted(str(s) for s in small))
        notes.append(f"{col.replace('_', ' ')}: levels with fewer than {min_n} people ({names}) are shown "
                     f"together as '{label}'")
    return out, notes


def _is_small(values: pd.Series, t: int) -> pd.Series:
    v = pd.to_numeric(values, errors="coerce")
    return (v > 0) & (v < t)


def _lines(table: pd.DataFrame, keys: Sequence[str]) -> list[pd.Index]:
    """Row labels of each line: rows sharing the values of `keys` (missing values form their own line)."""
    if not keys:
        return [table.index]
    codes = table.groupby(list(keys), dropna=False, sort=False, observed=True).ngroup().to_numpy()
    return [table.index[codes == c] for c in np.unique(codes)]


def hidden(table: pd.DataFrame, count: str, lines: Sequence[Sequence[str]] = ((),), primary: pd.Series | None = None,
           min_n: int = MIN_CELL) -> tuple[pd.Series, pd.Series]:
    """(primary, hidden) masks of `count`: primary = small cells (or the given mask), hidden = primary plus the
    complementary cells needed so that each line (rows sharing the values of one key list; `()` = the whole
    table) hides nothing, or at least two cells whose counts add up to `min_n` or more."""
    t, _ = threshold(min_n)
    n = pd.to_numeric(table[count], errors="coerce").fillna(0)
    first = _is_small(n, t) if primary is None else primary.reindex(table.index, fill_value=False).astype(bool)
    hide = first.copy()
    changed = True
    while changed:
        changed = False
        for keys in lines:
            for idx in _lines(table, keys):
                h = hide.loc[idx]
                if not h.any():
                    continue
                if h.sum() >= 2 and n.loc[idx][h].sum() >= t:
                    continue
                candidates = n.loc[idx][~h & (n.loc[idx] > 0)]
                if candidates.empty:
                    continue
                hide.loc[candidates.sort_values(kind="mergesort").index[0]] = True
                changed = True
    return first, hide


def shown_counts(values: pd.Series, primary: pd.Series, hide: pd.Series, min_n: int = MIN_CELL) -> pd.Series:
    """Counts as published: integers, '<5' (small_label) for small cells, 'withheld' for their complements."""
    out = pd.Series([str(int(v)) if pd.notna(v) else "–" for v in pd.to_numeric(values, errors="coerce")],
                    index=values.index, dtype=object)
    out[hide & ~primary] = WITHHELD
    out[primary] = small_label(min_n)
    return out


def protect(table: pd.DataFrame, counts: Sequence[str], lines: Sequence[Sequence[str]] = ((),),
            derived: dict[str, Sequence[str]] | None = None, min_n: int = MIN_CELL) -> pd.DataFrame:
    """Counts of a table ready to publish: small ones '<5', complements 'withheld'; columns derived from a count
    (shares, rates) are blanked wherever that count is hidden. `lines` say along which keys totals are known."""
    out = table.copy()
    derived = dict(derived or {})
    for c in counts:
        primary, hide = hidden(table, c, lines, min_n=min_n)
        out[c] = shown_counts(table[c], primary, hide, min_n)
        for d in derived.get(c, ()):
            out[d] = table[d].astype("object").where(~hide, None)
    return out


def protect_summary(summary: pd.DataFrame, lines: Sequence[Sequence[str]] = ((),), count: str = "n",
                    stats: Sequence[str] | None = None, extra_counts: Sequence[str] = (),
                    min_n: int = MIN_CELL) -> pd.DataFrame:
    """A grouped summary ready to publish: statistics of groups with fewer than `min_n` people blanked, counts
    protected along `lines` (for a cross-table pass both keys, `[["a"], ["b"]]`: row and column totals are
    taken as published). An extra count (e.g. events) is hidden where it or its complement in the group
    (n − events) is small, with complements withheld along the same lines."""
    t, _ = threshold(min_n)
    primary, hide = hidden(summary, count, lines, min_n=t)
    out = summary.copy()
    numeric = [c for c in summary.columns if pd.api.types.is_numeric_dtype(summary[c])
               and not pd.api.types.is_bool_dtype(summary[c])]
    stats = [c for c in (stats if stats is not None else numeric) if c not in [count, *extra_counts]]
    for c in stats:
        out[c] = summary[c].where(~primary)
    if "suppressed" in out.columns:
        out["suppressed"] = summary["suppressed"].astype(bool) | primary
    out[count] = shown_counts(summary[count], primary, hide, t)
    n = pd.to_numeric(summary[count], errors="coerce")
    for c in extra_counts:
        v = pd.to_numeric(summary[c], errors="coerce")
        _, h2 = hidden(summary, c, lines, primary=(_is_small(v, t) | _is_small(n - v, t)) & ~primary, min_n=t)
        out[c] = shown_counts(summary[c], _is_small(v, t) & ~primary, h2 & ~primary, t).where(~primary, small_label(t))
    return out


def pool_steps(steps: pd.DataFrame, label: str, removed: str, left: str | None = None,
               min_n: int = MIN_CELL) -> pd.DataFrame:
    """Merge consecutive steps of a selection/exclusion table until each removes 0 or at least `min_n` records.

    A removed count is always recoverable from the counts left, so small steps are pooled, not hidden; the
    pooled label joins the step labels with '; '. A trailing small step joins the one before it.
    """
    t, _ = threshold(min_n)
    rows: list[dict] = []
    pending: dict | None = None
    for _, r in steps.iterrows():
        cur = r.to_dict()
        if pending is not None:
            cur[label] = f"{pending[label]}; {cur[label]}"
            cur[removed] = pending[removed] + cur[removed]
        if 0 < cur[removed] < t:
            pending = cur
            continue
        pending = None
        rows.append(cur)
    if pending is not None:
        if rows and rows[-1][removed] > 0:
            prev = rows.pop()
            prev[label] = f"{prev[label]}; {pending[label]}"
            prev[removed] += pending[removed]
            if left is not None:
                prev[left] = pending[left]
            rows.append(prev)
        else:  # nothing to join: the whole selection removed fewer than min_n records
            pending[removed] = small_label(t)
            rows.append(pending)
    return pd.DataFrame(rows, columns=steps.columns)


def risk_shown(risk: pd.DataFrame, time: str = "time", count: str = "at_risk", min_n: int = MIN_CELL) -> pd.DataFrame:
    """Numbers at risk as published: below `min_n` shown '<5', complements withheld across groups at each time."""
    return protect(risk, [count], lines=[[time]], min_n=min_n)


def cut_curves(curves: pd.DataFrame, group: str = "group", count: str = "at_risk", min_n: int = MIN_CELL) -> pd.DataFrame:
    """Kaplan–Meier (or similar) curves cut before the first step where fewer than `min_n` people remain at risk."""
    t, _ = threshold(min_n)
    keep = []
    for _, c in curves.groupby(group, sort=False):
        small = (pd.to_numeric(c[count], errors="coerce") < t).to_numpy()
        stop = int(np.argmax(small)) if small.any() else len(c)
        keep.append(c.iloc[:stop])
    return pd.concat(keep) if keep else curves.iloc[:0]


def small_cells(table: pd.DataFrame, counts: Sequence[str], min_n: int = MIN_CELL) -> pd.DataFrame:
    """Rows of `table` where a count column holds a number from 1 to min_n−1 (what must never be published)."""
    mask = pd.Series(False, index=table.index)
    for c in counts:
        if c in table.columns:
            mask |= _is_small(table[c], min_n)
    return table.loc[mask]


def check(table: pd.DataFrame, counts: Sequence[str], name: str = "table") -> None:
    """Refuse to publish a table whose count columns still show a group of fewer than MIN_CELL people."""
    bad = small_cells(table, counts)
    if len(bad):
        col = next(c for c in counts if c in table.columns and _is_small(table[c], MIN_CELL).any())
        raise ValueError(f"{name}: column {col!r} shows a count below {MIN_CELL} in row {int(bad.index[0])}; "
                         "pass it through analysis.disclosure before publishing")
