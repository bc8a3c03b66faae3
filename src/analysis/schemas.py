"""Pandera schemas of the curated raw tables: the loader checks every file against these."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pandera.pandas as pa

# [0-9], not \d: \d also matches non-ASCII digits such as fullwidth "２０２６"
ISO_PARTIAL_DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
URL = r"^https?://\S+$"
# The date a row observes may not lie after the date its source was published (compared at the coarser
# precision of the two). legal_events is left out: a source may announce a hearing or a law's entry into force.
OBSERVED_DATE = {"pp_counts": "as_of_date", "release_events": "event_date", "deaths_in_custody": "date_of_death",
                 "other_figures": "as_of_date", "cross_country_pp": "as_of_date"}
PUBLISHED = "source_published"


def calendar_date(text: str) -> bool:
    """True for ISO text of year, month or day precision that exists in the calendar (no 2026-02-30)."""
    parts = str(text).split("-")
    if not str(text).isascii() or not all(p.isdigit() for p in parts):
        return False
    try:
        dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return False
    return True


def _date(partial: bool = True, nullable: bool = False) -> pa.Column:
    """A date column kept as ISO text (YYYY, YYYY-MM or YYYY-MM-DD) of a real calendar date; parsed by the loader."""
    return pa.Column(str, [pa.Check.str_matches(ISO_PARTIAL_DATE if partial else ISO_DATE),
                           pa.Check(calendar_date, element_wise=True, name="calendar_date")], nullable=nullable)


def after_publication(df: pd.DataFrame, name: str) -> pd.Series:
    """Rows whose observed date lies after the source's publication date (at the coarser precision)."""
    column = OBSERVED_DATE.get(name)
    if column not in df or PUBLISHED not in df:
        return pd.Series(False, index=df.index)
    observed, published = df[column].astype("string"), df[PUBLISHED].astype("string")
    width = pd.concat([observed.str.len(), published.str.len()], axis=1).min(axis=1)
    both = observed.notna() & published.notna()
    later = pd.Series(False, index=df.index)
    for size in (4, 7, 10):  # compare YYYY, YYYY-MM or YYYY-MM-DD prefixes (ISO text sorts as dates do)
        rows = both & (width == size)
        later |= rows & (observed.str.slice(0, size) > published.str.slice(0, size)).fillna(False)
    return later


def _count(nullable: bool = True) -> pa.Column:
    """A non-negative whole-number count."""
    return pa.Column("Int64", pa.Check.ge(0), nullable=nullable, coerce=True)


def _text(nullable: bool = True, isin: list[str] | None = None) -> pa.Column:
    """A text column, optionally restricted to a code list."""
    checks = [pa.Check.isin(isin)] if isin else []
    return pa.Column(str, checks, nullable=nullable)


SOURCE_COLUMNS = {
    "source_org": _text(nullable=False),
    "source_url": pa.Column(str, pa.Check.str_matches(URL), nullable=False),
    "source_published": _date(nullable=True),
}

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "pp_counts": pa.DataFrameSchema(
        {
            "as_of_date": _date(partial=False),
            "currently_held": _count(),
            "women_held": _count(),
            "cumulative_recognized_since_2020": _count(),
            "released_cumulative": _count(),
            "new_recognized_in_period": _count(),
            "released_in_period": _count(),
            "period": _text(),
            "held_qualifier": _text(nullable=True, isin=["exact", "at_least"]),
            "source_type": _text(nullable=False, isin=["viasna", "viasna_repost", "other"]),
            **SOURCE_COLUMNS,
            "date_inferred": _text(nullable=False, isin=["true", "false"]),
        },
        strict=False,
        name="pp_counts",
    ),
    "release_events": pa.DataFrameSchema(
        {
            "event_id": pa.Column(str, pa.Check.str_matches(r"^RW-\d{4}-\d{2}-\d{2}$")),
            "event_date": _date(),
            "date_precision": _text(nullable=False, isin=["day", "month"]),
            "released_count": _count(),
            "count_qualifier": _text(isin=["exact", "at_least"]),
            "recognised_pp_count": _count(),
            "exiled_count": _count(),
            "mechanism": _text(nullable=False, isin=["amnesty", "deportation_exile", "pardon", "unknown"]),
            "destination": _text(nullable=False),
            "is_primary": pa.Column("Int64", pa.Check.isin([0, 1]), coerce=True),
            **SOURCE_COLUMNS,
        },
        strict=False,
        name="release_events",
    ),
    "deaths_in_custody": pa.DataFrameSchema(
        {
            "death_id": pa.Column(str, pa.Check.str_matches(r"^DC-\d{3}$")),
            "date_of_death": _date(nullable=True),
            "date_precision": _text(isin=["day", "month", "year"]),
            "in_custody_or_after_release": _text(nullable=False, isin=["in_custody", "after_release"]),
            **SOURCE_COLUMNS,
        },
        strict=False,
        name="deaths_in_custody",
    ),
    "legal_events": pa.DataFrameSchema(
        {
            "event_date": _date(),
            "date_precision": _text(nullable=False),
            "event_type": _text(nullable=False),
            "title": _text(nullable=False),
            **SOURCE_COLUMNS,
        },
        strict=False,
        name="legal_events",
    ),
    "other_figures": pa.DataFrameSchema(
        {
            "as_of_date": _date(nullable=True),
            "metric": _text(nullable=False),
            "value": pa.Column(float, pa.Check.ge(0), coerce=True),
            "qualifier": _text(isin=["exact", "at_least", "about"]),
            **SOURCE_COLUMNS,
        },
        strict=False,
        name="other_figures",
    ),
    "cross_country_pp": pa.DataFrameSchema(
        {
            "country": _text(nullable=False),
            "iso3": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$")),
            "as_of_date": _date(nullable=True),
            "political_prisoners": _count(nullable=False),
            "qualifier": _text(nullable=False),
            "counting_org": _text(nullable=False),
            **SOURCE_COLUMNS,
        },
        strict=False,
        name="cross_country_pp",
    ),
    "population": pa.DataFrameSchema(
        {
            "country": _text(nullable=False),
            "iso3": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$")),
            "year": pa.Column("Int64", pa.Check.in_range(1990, 2100), coerce=True),
            "population": pa.Column("Int64", pa.Check.gt(0), coerce=True),
            **SOURCE_COLUMNS,
        },
        strict=False,
        name="population",
    ),
}
