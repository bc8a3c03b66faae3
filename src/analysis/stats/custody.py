"""Deaths in custody and re-arrests from the curated tables: one row per person or figure, with sources."""

from __future__ import annotations

import pandas as pd

REARREST_METRICS = ("re_arrested_after_release", "returnees_arrested", "refused_deportation", "in_absentia_cases")


def deaths_by_person(deaths: pd.DataFrame) -> pd.DataFrame:
    """One row per death_id: earliest stated date, custody status, who they were (``person_status``: Viasna's
    ``political_prisoner`` or another group), age, and how many sources report it."""
    d = deaths.sort_values(["death_id", "date_of_death"], kind="mergesort", na_position="last")
    first = d.groupby("death_id", sort=True).first()
    out = pd.DataFrame({
        "death_id": first.index,
        "date_of_death": first["date_of_death"].to_numpy(),
        "date_precision": first["date_precision"].to_numpy(),
        "in_custody_or_after_release": first["in_custody_or_after_release"].to_numpy(),
        "person_status": first["person_status"].to_numpy() if "person_status" in d else pd.NA,
        "age": first["age"].to_numpy(),
        "n_sources": d.groupby("death_id", sort=True)["source_url"].nunique().to_numpy(),
        "source_url": first["source_url"].to_numpy(),
    })
    conflicting = d.groupby("death_id", sort=True)["in_custody_or_after_release"].nunique().gt(1).to_numpy()
    out["sources_disagree_on_custody"] = conflicting
    return out.reset_index(drop=True)


def deaths_per_year(by_person: pd.DataFrame) -> pd.DataFrame:
    """Deaths per calendar year and custody status (undated deaths counted apart)."""
    year = by_person["date_of_death"].dt.year.astype("Int64").astype(str).replace("<NA>", "undated")
    return (by_person.assign(year=year).groupby(["year", "in_custody_or_after_release"]).size()
            .unstack(fill_value=0).rename_axis(columns=None).reset_index())


def rearrest_figures(other: pd.DataFrame) -> pd.DataFrame:
    """Dated aggregate figures on re-arrests, arrests of returnees, refusals of exile and trials in absentia."""
    f = other.loc[other["metric"].isin(REARREST_METRICS)]
    cols = ["as_of_date", "metric", "value", "qualifier", "scope", "source_org", "source_url"]
    return f.sort_values(["metric", "as_of_date"], kind="mergesort")[cols].reset_index(drop=True)
