"""Release waves from the curated events: one row per wave, how many were freed and how many taken abroad.

Rules (documented here once):
- one row per `event_id`: the row marked `is_primary = 1` (the best-sourced account);
- people taken abroad (`exiled`): the primary row's `exiled_count`; if empty, the smallest `exiled_count` stated
  by another row of the same event (conservative); if none is stated, the whole wave when the destination is a
  foreign country (Lithuania, Ukraine) or the mechanism is deportation/exile, zero when the destination is
  `remained_in_Belarus`, and unknown otherwise (the domestic holiday decrees do not say where people went);
- `count_scope` says what `released_count` counts: decree totals (`all_pardoned`) can include non-political convicts.
"""

from __future__ import annotations

import pandas as pd

ABROAD = ("Lithuania", "Ukraine")
SINGLE_RELEASE_MAX = 3  # negotiated releases of 1-3 named people (foreigners, priests) are events, not waves


def primary_waves(events: pd.DataFrame, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """One row per release event with the number freed, the number taken abroad and how that was decided."""
    primary = events.loc[events["is_primary"].eq(1)].copy()
    stated_elsewhere = (events.loc[events["is_primary"].eq(0) & events["exiled_count"].notna()]
                        .groupby("event_id")["exiled_count"].min())
    exiled = primary["exiled_count"].astype("Float64")
    basis = pd.Series("stated by the primary source", index=primary.index).where(exiled.notna())
    other = primary["event_id"].map(stated_elsewhere).astype("Float64")
    use_other = exiled.isna() & other.notna()
    exiled, basis = exiled.where(~use_other, other), basis.where(~use_other, "stated by another source")
    abroad = primary["destination"].isin(ABROAD) | primary["mechanism"].eq("deportation_exile")
    use_dest = exiled.isna() & abroad
    exiled = exiled.where(~use_dest, primary["released_count"].astype("Float64"))
    basis = basis.where(~use_dest, "whole wave: destination abroad")
    stayed = exiled.isna() & primary["destination"].eq("remained_in_Belarus")
    exiled, basis = exiled.where(~stayed, 0.0), basis.where(~stayed, "whole wave stayed in Belarus")
    out = pd.DataFrame({
        "event_id": primary["event_id"], "event_date": primary["event_date"],
        "released": primary["released_count"].astype("Float64"), "qualifier": primary["count_qualifier"],
        "count_scope": primary["count_scope"], "mechanism": primary["mechanism"],
        "destination": primary["destination"], "exiled": exiled, "exiled_basis": basis.fillna("not stated"),
        "brokered_by": primary["brokered_by"], "notable_people": primary["notable_people"],
        "source_org": primary["source_org"], "source_url": primary["source_url"],
    })
    out["exiled_share"] = out["exiled"] / out["released"]
    out["single_release"] = out["released"].le(SINGLE_RELEASE_MAX)
    out["foreign_brokered"] = out["brokered_by"].notna()
    if start is not None:
        out = out.loc[out["event_date"] >= pd.Timestamp(start)]
    if end is not None:
        out = out.loc[out["event_date"] <= pd.Timestamp(end)]
    return out.sort_values("event_date", kind="mergesort").reset_index(drop=True)


def wave_summary(waves: pd.DataFrame) -> pd.DataFrame:
    """Totals by kind of release: waves, people freed, people known to be taken abroad, and share of the known."""
    kind = pd.Series("domestic decree", index=waves.index)
    kind = kind.where(~waves["foreign_brokered"], "foreign-brokered")
    kind = kind.where(~waves["single_release"], "single negotiated release")
    known = waves["exiled"].notna()
    g = waves.assign(kind=kind, known_released=waves["released"].where(known))
    rows = g.groupby("kind", sort=True).agg(
        events=("event_id", "size"), released=("released", "sum"),
        released_with_known_destination=("known_released", "sum"), exiled=("exiled", "sum"))
    rows["exiled_share_of_known"] = rows["exiled"] / rows["released_with_known_destination"]
    total = rows.sum(numeric_only=True)
    total["exiled_share_of_known"] = total["exiled"] / total["released_with_known_destination"]
    rows.loc["all"] = total
    return rows.reset_index()
