"""The UN Special Rapporteur's statement of 18 December 2025: its date, source and claims in our own words.

The statement is the object being checked, never evidence (docs/UN_STATEMENT.md). The numbers the claims state
("over 1,100") are read from the statement's own row in ``other_figures.csv`` by :func:`stated_figure`, so no
number of the claim is typed here; the names the claims mention are words of the claim, kept in :data:`NAMED`.
"""

from __future__ import annotations

import pandas as pd

from analysis.errors import DataError

STATEMENT_DATE = pd.Timestamp("2025-12-18")
STATEMENT = {
    "author": "Nils Muižnieks, UN Special Rapporteur on the situation of human rights in Belarus",
    "date": STATEMENT_DATE,
    "publisher": "UN Human Rights Office (OHCHR), press release, Geneva",
    "relay": "Mirage News, \"UN expert: Belarus repression persists despite releases\"",
    "relay_url": "https://www.miragenews.com/un-expert-belarus-repression-persists-despite-1591726",
}

# rows whose publisher is a UN body (or relays one) are the claims, not evidence for them
UN_SOURCE = r"\bUN\b|OHCHR|United Nations|Special Rapporteur|UN experts|UNOG|\bGIE\b"

CLAIMS: dict[int, str] = {
    1: "Several prominent prisoners were freed recently, among them politicians, lawyers, journalists, trade "
       "unionists, activists and human-rights defenders.",
    2: "Many of those freed had been convicted after unfair trials, as reprisal for their work or civic activity.",
    3: "The releases came with forced expulsion: many were driven straight to Ukraine or Lithuania.",
    4: "Those allowed to stay in Belarus live under surveillance, movement limits and bans from their professions.",
    5: "Going back would mean new charges and prison, so these are forced exile rather than pardons.",
    6: "There were several release waves in the past year, including a large one ({named_date}) that freed "
       "Bialiatski, Babaryka and Kalesnikava.",
    7: "Politically motivated arrests and new criminal cases go on despite the releases.",
    8: "Human-rights defenders count more than {remaining} political prisoners still held.",
    9: "That puts Belarus among the countries with the most political prisoners per head of population.",
    10: "Statkevich, who refused to leave the country after his release, was reportedly detained again.",
    11: "Some people freed earlier have had new criminal cases opened against them in absentia.",
    12: "Article 411 (malicious disobedience to the prison administration) is used to extend terms arbitrarily; "
        "several of those expelled had served, or nearly served, their terms before these extensions.",
    13: "Ill-treatment and inhumane conditions continue, above all for people linked to the 2020 protests.",
    14: "Several political prisoners died in custody or soon after release, in suspicious circumstances that "
        "were not investigated.",
    15: "State media call the releases pardons, but there is no sign of systemic change.",
}

# {named_date} and {remaining} are filled from the data (claims.claim_results): the date of the release that
# names the people of NAMED[6], and the statement's own figure (stated_figure)

# what kind of statement each claim is; an interpretation can at most be "consistent with the data"
KIND: dict[int, str] = {1: "event", 2: "qualitative", 3: "pattern", 4: "qualitative", 5: "prospective",
                        6: "events", 7: "trend", 8: "number", 9: "comparison", 10: "event", 11: "pattern",
                        12: "pattern", 13: "qualitative", 14: "events", 15: "interpretation"}

# people the claims name (claim 6: the large release; claim 10: the re-detained man)
NAMED: dict[int, tuple[str, ...]] = {6: ("Bialiatski", "Babaryka", "Kalesnikava"), 10: ("Statkevich",)}

# the statement's own figure of people still held, as entered in other_figures.csv
REMAINING_METRIC = "political_prisoners_remaining"


def is_un(df: pd.DataFrame) -> pd.Series:
    """Rows published by (or relaying) a UN body: the claims themselves, never evidence for them."""
    un = df["source_org"].fillna("").str.contains(UN_SOURCE, regex=True)
    if "event_type" in df:
        un |= df["event_type"].eq("un_statement")
    return un


def stated_figure(other: pd.DataFrame, metric: str = REMAINING_METRIC,
                  statement_date=STATEMENT_DATE) -> pd.Series:
    """The statement's own row of ``metric`` (dated the statement's day, published by a UN relay)."""
    rows = other.loc[other["metric"].eq(metric) & other["as_of_date"].eq(pd.Timestamp(statement_date))
                     & is_un(other)]
    if rows.empty:
        raise DataError("other_figures.csv", f"no row of the statement's own figure (metric {metric!r}, "
                        f"dated {pd.Timestamp(statement_date):%Y-%m-%d}, UN source)", column="metric")
    return rows.iloc[0]
