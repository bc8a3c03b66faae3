"""What changed between two cleaned snapshots of the person-level list: one class per person, exact accounting.

Aggregate counts only imply flows (stock change = inflow - outflow); two dated snapshots of the list show them
person by person. Records are matched on ``record_id`` and people on ``person_id`` (both keyed hashes, stable
across snapshots cleaned with the same key). A person whose records were linked differently in the two snapshots
(a new record merging two people, say) is one *unit*: every ``person_id`` of either snapshot that shares a record
with another is in the same unit, so no one is counted twice.

Each unit falls in exactly one class, the first rule that applies:

1. ``record_removed``   in the old snapshot only;
2. ``newly_recognised`` in the new snapshot only with a recognised status (current or former), or
   not recognised before and recognised now;
3. ``newly_listed``     in the new snapshot only, not recognised;
4. ``died``             flagged dead now, not before;
5. ``re_arrested``      held now, not held before, with a record that is new;
6. ``released``         held before, not held now (route: the ``exit_type`` of the record that was held);
7. ``status_changed``   any other change of status;
8. ``field_corrected``  same status, but a compared field of a common record changed, records were added or
   removed without changing the status, or the records were linked into people differently;
9. ``unchanged``.

"Held" means a record with status ``current`` that is not flagged dead. The class decides the event date used for
monthly counts: detention of the newest record for newcomers and re-arrests, release date for releases and deaths.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps

from analysis import disclosure

CLASSES: tuple[str, ...] = (
    "newly_listed", "newly_recognised", "re_arrested", "released", "died", "status_changed",
    "record_removed", "field_corrected", "unchanged",
)
RECOGNISED = ("current", "former")
STATUS_ORDER = {"current": 0, "former": 1, "not_recognised": 2}  # a person's status: the strongest record's
COMPARED_FIELDS: tuple[str, ...] = (
    "status", "ex_post_facto", "gender", "birth_year", "detention_date", "verdict_date", "release_date",
    "articles", "article_family", "sentence_months", "penalty_type", "regime", "prison", "released_marker",
    "died", "region",
)
INFLOW_CLASSES = ("newly_recognised", "re_arrested")
OUTFLOW_CLASSES = ("released", "died")
NO_ROUTE = ""


def _units(old: pd.DataFrame, new: pd.DataFrame) -> dict[str, str]:
    """person_id (of either snapshot) -> unit id: person_ids sharing a record are one unit (union-find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for table in (old, new):
        for pid in table["person_id"]:
            find(pid)
    both = old[["record_id", "person_id"]].merge(new[["record_id", "person_id"]], on="record_id",
                                                 suffixes=("_old", "_new"))
    for a, b in zip(both["person_id_old"], both["person_id_new"]):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the smallest id names the unit: deterministic
    return {pid: find(pid) for pid in list(parent)}


def _person_state(table: pd.DataFrame) -> pd.DataFrame:
    """Per unit: strongest status, held, died, the set of record ids, and the newest detention date."""
    t = table.assign(_rank=table["status"].map(STATUS_ORDER).fillna(len(STATUS_ORDER)),
                     _held=table["status"].eq("current") & ~table["died"].astype(bool))
    g = t.groupby("unit", sort=True)
    rank = g["_rank"].min()
    inverse = {v: k for k, v in STATUS_ORDER.items()}
    return pd.DataFrame({
        "status": rank.map(inverse),
        "held": g["_held"].any(),
        "died": g["died"].any(),
        "records": g["record_id"].agg(lambda s: frozenset(s)),
        "person_ids": g["person_id"].agg(lambda s: frozenset(s)),
        "n_records": g["record_id"].size(),
    })


def _fields_differ(old: pd.DataFrame, new: pd.DataFrame) -> pd.Series:
    """Per unit: True when a compared field of a record present in both snapshots differs."""
    fields = [f for f in COMPARED_FIELDS if f in old.columns and f in new.columns]
    both = old[["record_id", "unit", *fields]].merge(new[["record_id", *fields]], on="record_id",
                                                     suffixes=("_old", "_new"))
    differs = pd.Series(False, index=both.index)
    for f in fields:
        a, b = both[f"{f}_old"], both[f"{f}_new"]
        differs |= ~((a == b).fillna(False) | (a.isna() & b.isna()))  # known <-> missing (nullable dtypes) differs
    return differs.groupby(both["unit"]).any()


def _held_record_route(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Per unit: route and release date (in the new snapshot) of the first record held in the old one."""
    held_old = old.loc[old["status"].eq("current") & ~old["died"].astype(bool), ["record_id", "unit"]]
    later = held_old.merge(new[["record_id", "exit_type", "release_date"]], on="record_id", how="inner")
    later = later.sort_values(["unit", "record_id"]).drop_duplicates("unit")
    return later.set_index("unit")[["exit_type", "release_date"]]


def classify(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """One row per person unit of either snapshot: its class, release route, event date and states before/after.

    ``old`` and ``new`` are cleaned people tables (people.csv read with typed dates and booleans).
    """
    units = _units(old, new)
    old = old.assign(unit=old["person_id"].map(units))
    new = new.assign(unit=new["person_id"].map(units))
    a, b = _person_state(old), _person_state(new)
    idx = a.index.union(b.index)
    a, b = a.reindex(idx), b.reindex(idx)
    in_old, in_new = a["status"].notna(), b["status"].notna()
    held_a = a["held"].eq(True)
    held_b = b["held"].eq(True)
    died_a = a["died"].eq(True)
    died_b = b["died"].eq(True)
    rec_a = a["records"].where(in_old, frozenset())
    rec_b = b["records"].where(in_new, frozenset())
    has_new_record = pd.Series([len(y - x) > 0 for x, y in zip(rec_a, rec_b)], index=idx)
    records_changed = pd.Series([x != y for x, y in zip(rec_a, rec_b)], index=idx)
    relinked = in_old & in_new & a["person_ids"].ne(b["person_ids"])
    fields = _fields_differ(old, new).reindex(idx, fill_value=False).astype(bool)
    recognised_a, recognised_b = a["status"].isin(RECOGNISED), b["status"].isin(RECOGNISED)

    rules = [
        ("record_removed", in_old & ~in_new),
        ("newly_recognised", recognised_b & (~in_old | (in_old & ~recognised_a))),
        ("newly_listed", ~in_old & in_new),
        ("died", died_b & ~died_a),
        ("re_arrested", held_b & ~held_a & has_new_record),
        ("released", held_a & ~held_b),
        ("status_changed", a["status"].ne(b["status"])),
        ("field_corrected", fields | records_changed | relinked),
    ]
    klass = np.select([r for _, r in rules], [name for name, _ in rules], default="unchanged")
    out = pd.DataFrame({"unit": idx, "change": klass, "status_old": a["status"].to_numpy(),
                        "status_new": b["status"].to_numpy(), "held_old": held_a.to_numpy(),
                        "held_new": held_b.to_numpy()}, index=idx)

    route = _held_record_route(old, new).reindex(idx)
    out["route"] = np.where(out["change"].eq("released"), route["exit_type"].fillna("unknown"), NO_ROUTE)
    newest_new = new.groupby("unit")["detention_date"].max().reindex(idx)
    fresh = new.loc[~new["record_id"].isin(old["record_id"])].groupby("unit")["detention_date"].max().reindex(idx)
    dead_release = new.loc[new["died"].astype(bool)].groupby("unit")["release_date"].max().reindex(idx)
    event = pd.Series(pd.NaT, index=idx, dtype="datetime64[ns]")
    event = event.mask(out["change"].isin(["newly_listed", "newly_recognised"]), fresh.fillna(newest_new))
    event = event.mask(out["change"].eq("re_arrested"), fresh)
    event = event.mask(out["change"].eq("released"), route["release_date"])
    event = event.mask(out["change"].eq("died"), dead_release)
    out["event_date"] = pd.to_datetime(event)
    out["event_month"] = out["event_date"].dt.to_period("M").dt.to_timestamp()
    return out.reset_index(drop=True).sort_values("unit", kind="stable").reset_index(drop=True)


def check_accounting(changes: pd.DataFrame, old: pd.DataFrame, new: pd.DataFrame) -> dict[str, int]:
    """Prove the accounting: every person of either snapshot is in exactly one unit and one class."""
    units = _units(old, new)
    persons = set(old["person_id"]) | set(new["person_id"])
    if set(units) != persons or set(units.values()) != set(changes["unit"]):
        raise ValueError("changes do not cover exactly the people of the two snapshots")
    if changes["unit"].duplicated().any() or not changes["change"].isin(CLASSES).all():
        raise ValueError("a person falls in more than one class, or in none")
    return {"persons_old": int(old["person_id"].nunique()), "persons_new": int(new["person_id"].nunique()),
            "units": int(len(changes)), "classified": int(changes["change"].value_counts().sum())}


def summary(changes: pd.DataFrame) -> pd.DataFrame:
    """People per class (every class listed, zeros included), and how each class moves the number held."""
    g = changes.groupby("change")
    out = pd.DataFrame({
        "people": g.size(),
        "held_before": g["held_old"].sum(),
        "held_after": g["held_new"].sum(),
    }).reindex(list(CLASSES), fill_value=0).astype("int64")
    out["change_in_held"] = out["held_after"] - out["held_before"]
    out.index.name = "change"
    return out.reset_index()


def release_routes(changes: pd.DataFrame) -> pd.DataFrame:
    """People released between the snapshots, by route (exit type of the record that was held)."""
    r = changes.loc[changes["change"].eq("released"), "route"].value_counts()
    routes = ("early_release", "sentence_served", "unknown")
    return r.reindex(list(routes) + sorted(set(r.index) - set(routes)), fill_value=0).rename_axis("route") \
        .rename("people").reset_index()


def by_month(changes: pd.DataFrame) -> pd.DataFrame:
    """People per class and month of the event (classes with dates only; NaT month = date not known)."""
    dated = changes.loc[changes["change"].isin(["newly_listed", "newly_recognised", "re_arrested", "released",
                                                "died"])]
    table = dated.groupby(["event_month", "change"], dropna=False).size().unstack("change", fill_value=0)
    cols = [c for c in CLASSES if c in table.columns]
    table = table.reindex(columns=cols).sort_index()
    table.columns.name = None
    return table.reset_index().rename(columns={"event_month": "month"})


def snapshot_flows(changes: pd.DataFrame, old_date: pd.Timestamp, new_date: pd.Timestamp) -> dict[str, float]:
    """Inflow into and outflow out of the people held between two snapshots, in total and per 30.44 days.

    Inflow: people held now who were not held before and are newly recognised or re-arrested. Outflow: people held
    before who were released or died. The remaining change in the number held (status corrections, removals)
    is ``other``, so that held_new - held_old = inflow - outflow + other exactly.
    """
    s = summary(changes).set_index("change")
    inflow = int(s.loc[list(INFLOW_CLASSES), "held_after"].sum() - s.loc[list(INFLOW_CLASSES), "held_before"].sum())
    outflow = int(s.loc[list(OUTFLOW_CLASSES), "held_before"].sum() - s.loc[list(OUTFLOW_CLASSES), "held_after"].sum())
    held_old, held_new = int(s["held_before"].sum()), int(s["held_after"].sum())
    other = held_new - held_old - inflow + outflow
    months = (pd.Timestamp(new_date) - pd.Timestamp(old_date)).days / (365.2425 / 12)
    if months <= 0:
        raise ValueError(f"the newer snapshot ({new_date:%Y-%m-%d}) is not after the older ({old_date:%Y-%m-%d})")
    return {"old_date": pd.Timestamp(old_date), "new_date": pd.Timestamp(new_date), "months": round(months, 4),
            "held_old": held_old, "held_new": held_new, "inflow": inflow, "outflow": outflow, "other": other,
            "inflow_per_month": inflow / months, "outflow_per_month": outflow / months}


def overview(snapshots: list[tuple[pd.Timestamp, pd.DataFrame]]) -> pd.DataFrame:
    """Per snapshot: date, records, people and people held (status current, not dead)."""
    rows = []
    for day, t in snapshots:
        held = (t["status"].eq("current") & ~t["died"].astype(bool)).groupby(t["person_id"]).any()
        rows.append({"snapshot": f"{day:%Y-%m-%d}", "records": len(t), "people": t["person_id"].nunique(),
                     "held": int(held.sum())})
    return pd.DataFrame(rows)


def consecutive_flows(snapshots: list[tuple[pd.Timestamp, pd.DataFrame]]) -> pd.DataFrame:
    """snapshot_flows for each pair of consecutive dated snapshots (oldest first), one row per interval."""
    rows = []
    for (d0, t0), (d1, t1) in zip(snapshots, snapshots[1:]):
        rows.append(snapshot_flows(classify(t0, t1), d0, d1))
    return pd.DataFrame(rows)


def _mean_ci(x: pd.Series, level: float = 0.95) -> tuple[int, float, float, float]:
    """n, mean and t-interval of the mean of the observed values (months treated as independent, as in report 01)."""
    x = x.dropna().astype(float)
    if len(x) < 2:
        return len(x), (float(x.mean()) if len(x) else np.nan), np.nan, np.nan
    half = float(sps.t.ppf(0.5 + level / 2, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x)))
    return len(x), float(x.mean()), float(x.mean()) - half, float(x.mean()) + half


def compare_with_aggregates(intervals: pd.DataFrame, balance: pd.DataFrame, reference_months: int = 12) -> pd.DataFrame:
    """Snapshot flows per month beside the aggregate series' inflow and implied outflow.

    For each interval and measure: the snapshot's rate; the aggregate series' mean over the calendar months the
    interval touches (where observed; ``balance`` is ``flows.flow_balance`` of report 01); and its mean over the
    ``reference_months`` observed months up to the interval's last month, with a 95% t-interval.
    """
    b = balance.dropna(subset=["inflow", "implied_outflow"], how="all")
    rows = []
    for _, iv in intervals.iterrows():
        first = iv["old_date"].to_period("M").to_timestamp()
        last = iv["new_date"].to_period("M").to_timestamp()
        same = b.loc[b["month"].between(first, last)]
        before = b.loc[b["month"] <= last].sort_values("month").tail(reference_months)
        for measure, snap, agg in (("inflow", "inflow_per_month", "inflow"),
                                   ("outflow", "outflow_per_month", "implied_outflow")):
            n, mean, lo, hi = _mean_ci(before[agg])
            rows.append({
                "old_date": iv["old_date"], "new_date": iv["new_date"], "measure": measure,
                "snapshots_per_month": float(iv[snap]),
                "aggregate_same_months": float(same[agg].mean()) if same[agg].notna().any() else np.nan,
                "aggregate_months_observed": int(same[agg].notna().sum()),
                "reference_start": before["month"].min() if len(before) else pd.NaT,
                "reference_end": before["month"].max() if len(before) else pd.NaT,
                "reference_months": n, "reference_mean": mean, "reference_ci_low": lo, "reference_ci_high": hi,
            })
    return pd.DataFrame(rows)


def _mean_and_ci(row: pd.Series) -> tuple[str, str]:
    """('49', ' (95% CI 40–57)'): a reference mean and its interval; ' (one month: no interval)' without one."""
    if pd.isna(row["reference_ci_low"]):
        return f"{row['reference_mean']:.0f}", " (one month: no interval)"
    return f"{row['reference_mean']:.0f}", f" (95% CI {row['reference_ci_low']:.0f}–{row['reference_ci_high']:.0f})"


def _count(n: int, threshold: int = disclosure.MIN_CELL) -> str:
    return f"fewer than {threshold}" if 0 < n < threshold else f"{n:,}"


def true_classes(old: pd.DataFrame, new: pd.DataFrame, truth: pd.DataFrame) -> pd.Series:
    """Per person unit, the true class from a truth table (``record_id``, ``change``); people not in it: unchanged."""
    units = _units(old, new)
    records = pd.concat([old[["record_id", "person_id"]], new[["record_id", "person_id"]]]).drop_duplicates()
    records["unit"] = records["person_id"].map(units)
    labelled = records.merge(truth[["record_id", "change"]], on="record_id", how="left")
    per_unit = labelled.groupby("unit")["change"].agg(lambda v: sorted(set(v.dropna())))
    if per_unit.map(len).gt(1).any():
        raise ValueError("the records of one person carry different true classes")
    return per_unit.map(lambda v: v[0] if v else "unchanged").rename("true_change")


def recovery(changes: pd.DataFrame, truth: pd.Series) -> pd.DataFrame:
    """Per class: people truly in it, people the diff put in it, and people in both (all equal = exact recovery)."""
    both = changes.set_index("unit")["change"].to_frame().join(truth, how="outer")
    out = pd.DataFrame({
        "change": list(CLASSES),
        "true": [int(both["true_change"].eq(c).sum()) for c in CLASSES],
        "found": [int(both["change"].eq(c).sum()) for c in CLASSES],
        "found_and_true": [int((both["change"].eq(c) & both["true_change"].eq(c)).sum()) for c in CLASSES],
    })
    out["recovered"] = out["true"].eq(out["found"]) & out["true"].eq(out["found_and_true"])
    return out


def key_findings(summary_table: pd.DataFrame, interval: dict, comparison: pd.DataFrame, units: int,
                 recovered: pd.DataFrame | None = None) -> list[str]:
    """The report's key findings, as sentences generated from its results (small counts never given exactly)."""
    s = summary_table.set_index("change")["people"]
    d0, d1 = interval["old_date"], interval["new_date"]
    out = [
        f"Between the snapshots of {d0:%d %B %Y} and {d1:%d %B %Y}, {_count(int(s['released']))} people held were "
        f"released and {_count(int(s['died']))} died; {_count(int(s['newly_recognised']))} were newly recognised "
        f"and {_count(int(s['re_arrested']))} re-arrested.",
    ]
    parts = [interval["inflow"], interval["outflow"], abs(interval["other"])]
    held = f"the number held went from {interval['held_old']:,} to {interval['held_new']:,}"
    if all(p == 0 or p >= disclosure.MIN_CELL for p in parts):
        held += (f" = {interval['held_old']:,} + {interval['inflow']:,} in − {interval['outflow']:,} out"
                 f" {'+' if interval['other'] >= 0 else '−'} {abs(interval['other']):,} other changes of status")
    out.append(f"Every one of the {units:,} people in either snapshot falls in exactly one class of change; {held}.")
    c = comparison.loc[comparison["new_date"].eq(d1)].set_index("measure")
    if {"inflow", "outflow"} <= set(c.index) and all(p == 0 or p >= disclosure.MIN_CELL for p in parts[:2]):
        i, o = c.loc["inflow"], c.loc["outflow"]
        text = (f"Per month, the snapshots show an inflow of {i['snapshots_per_month']:.0f} and an outflow of "
                f"{o['snapshots_per_month']:.0f} people")
        observed = [r for r in (i, o) if r["reference_months"]]
        reference = [template.format(*_mean_and_ci(r)) for r, template in
                     ((i, "{} newly recognised{}"), (o, "an implied outflow of {}{}")) if r["reference_months"]]
        if reference:
            start, end = min(r["reference_start"] for r in observed), max(r["reference_end"] for r in observed)
            text += f"; over {start:%b %Y}–{end:%b %Y} the aggregate series averaged {' and '.join(reference)} a month"
        seen_in, seen_out = bool(i["aggregate_months_observed"]), bool(o["aggregate_months_observed"])
        if seen_in and seen_out:
            text += (f", and {i['aggregate_same_months']:.0f} in and {o['aggregate_same_months']:.0f} out in the "
                     "same calendar months")
        elif seen_in:
            text += (f", and {i['aggregate_same_months']:.0f} newly recognised a month in the same calendar months "
                     "(no implied outflow there)")
        elif seen_out:
            text += (f", and an implied outflow of {o['aggregate_same_months']:.0f} a month in the same calendar "
                     "months (no inflow figure there)")
        else:
            text += "; the aggregate series has no figure for the months between the snapshots"
        out.append(text + ".")
    if recovered is not None:
        missed = recovered.loc[~recovered["recovered"], "change"].tolist()
        out.append("On this synthetic pair the diff recovers the generator's true change of every person exactly."
                   if not missed else f"On this synthetic pair the diff misses the true counts of: {', '.join(missed)}.")
    return out
