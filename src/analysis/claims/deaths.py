"""What the curated deaths table shows on claim 14: recognised political prisoners who died in custody, counted by
Viasna's definition (``person_status``), with the other people of the table as sensitivity lines."""

from __future__ import annotations

import pandas as pd

from analysis.claims import rubric
from analysis.claims.evidence import _measured
from analysis.claims.statement import STATEMENT_DATE, is_un

DEATHS_DEFINITION = "political_prisoner"  # Viasna's count of political prisoners who died in custody

def death_people(deaths_table: pd.DataFrame) -> pd.DataFrame:
    """One row per person (death_id): earliest stated date of death, earliest publication date, status and
    whether they died in custody or after release (most frequent value among their rows, ties: in_custody).
    Rows published by UN bodies are left out (the claim's own side); a person only they report is not counted."""
    d = deaths_table.loc[~is_un(deaths_table)].sort_values(["death_id", "date_of_death"], kind="mergesort")
    return d.groupby("death_id").agg(
        date=("date_of_death", "min"), reported=("source_published", "min"),
        status=("person_status", "first"),
        kind=("in_custody_or_after_release", lambda s: s.value_counts().sort_index().idxmax()))


def deaths(deaths_table: pd.DataFrame, other: pd.DataFrame | None = None, statement_date=STATEMENT_DATE,
           definition: str = DEATHS_DEFINITION) -> dict:
    """Claim 14: distinct political prisoners who died in custody (``person_status == definition``, Viasna's
    count) with a death, or if undated a first report, dated up to the statement; the other people of the table
    (deaths after release, restriction of liberty, protest and administrative detainees) as sensitivity lines.
    ``other``: published totals (metric ``deaths_in_custody_total``, UN rows left out) dated up to the statement."""
    end = pd.Timestamp(statement_date)
    people = death_people(deaths_table)
    people["when"] = people["date"].fillna(people["reported"])
    before, after = rubric.split_at(people, "when", end)
    core = before.loc[before["status"].eq(definition) & before["kind"].eq("in_custody")]
    by_status = before.groupby("status").size().to_dict()
    years = core["date"].dropna().dt.year.value_counts().sort_index()
    values = {"statement_date": end, "definition": definition, "count": len(core), "by_status": by_status,
              "all_people": len(before), "years": {int(y): int(c) for y, c in years.items()},
              "latest": core["date"].max() if len(core) else None, "later_people": len(after),
              "undated": int(people["when"].isna().sum()),
              "published": None}
    rows = [("deaths_in_custody", deaths_table.loc[deaths_table["death_id"].isin(core.index) & ~is_un(deaths_table)])]
    since = [("deaths_in_custody", deaths_table.loc[deaths_table["death_id"].isin(after.index)])]
    if other is not None:
        t = other.loc[other["metric"].eq("deaths_in_custody_total") & ~is_un(other)]
        t_before, t_after = rubric.split_at(t, "as_of_date", end)
        if len(t_before):
            last = t_before.sort_values("as_of_date", kind="mergesort").iloc[-1]
            values["published"] = (float(t_before["value"].min()), float(t_before["value"].max()),
                                   last["as_of_date"], float(last["value"]), last["source_org"])
            rows.append(("other_figures", t_before.loc[[last.name]]))
        since.append(("other_figures", t_after))
    return _measured(14, rubric.at_least_several(len(core)), values, rows, since)
