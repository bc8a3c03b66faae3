"""Report 03 (sentencing and Article 411): key-finding sentences built from the report's results."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis import disclosure
from analysis.findings import count, month_name, months, person_source
from analysis.report import display_name

ART411_SOURCE = "Viasna, as transcribed in other_figures.csv"



def key_findings(r: Mapping) -> list[str]:
    """3–7 sentences for the top of report 03, each with its number, date and source."""
    src = person_source(r)
    out = [
        f"Across {count(r['records_in_sample'])} prison sentences with a verdict from {month_name(r['window_start'])} to "
        f"{month_name(r['window_end'])}, the median term was {months(r['median_sentence_months'])} months and one in ten "
        f"was {months(r['p90_sentence_months'])} months or longer ({src}).",
    ]
    if r.get("family_with_longest_median"):
        out.append(
            f"The article family “{display_name(r['family_with_longest_median'])}” had the longest median term, "
            f"{months(r['longest_family_median_months'])} months, among families of at least 5 people "
            f"(verdicts {r['window_start'][:4]}–{r['window_end'][:4]}; {src}).")
    diff = r.get("median_difference_female_vs_male_months")
    if diff is not None and np.isfinite(diff):
        ci = ""
        if r.get("female_ci_low") is not None and r.get("female_ci_high") is not None:
            ci = f" (95% CI {months(r['female_ci_low'])} to {months(r['female_ci_high'])})"
        out.append(
            f"With article family and verdict year held fixed, women's median term differed from men's by "
            f"{months(diff)} months{ci} by median regression over verdicts {r['window_start'][:4]}–"
            f"{r['window_end'][:4]} ({src}).")
    if r.get("art411_latest_published_cases") is not None:
        bound = "at least " if r.get("art411_latest_qualifier") == "at_least" else ""
        out.append(
            f"By {month_name(r['art411_latest_published_date'])}, {bound}{r['art411_latest_published_cases']:,.0f} "
            f"political prisoners had a new Article 411 case for \"malicious disobedience\" ({ART411_SOURCE}); "
            f"no later count was found.")
    if r.get("art411_records") is not None:
        n = int(r["art411_records"])
        ext = int(r.get("art411_inferred_extensions") or 0)
        what = (f"{count(n)} records include Article 411 and {count(ext)} extensions can be inferred from a person's "
                f"earlier record" if n else "no record includes Article 411, so no extension can be inferred")
        out.append(f"In the person-level records, {what} ({src}); the export does not link a 411 conviction to the "
                   "term it extends.")
    return out[:7]


RESULT_LABELS = {
    "window_start": "verdicts from", "window_end": "verdicts to", "person_source": "person-level data",
    "person_as_of": "person-level data as of", "records_in_sample": "sentences in the sample",
    "records_used_in_regression": "sentences used in the regression",
    "median_sentence_months": "median sentence (months)", "p90_sentence_months": "90th percentile (months)",
    "family_with_longest_median": "family with the longest median",
    "longest_family_median_months": "its median (months)",
    "median_difference_female_vs_male_months": "median difference, women vs men (months, adjusted)",
    "art411_records": "records with Art. 411", "art411_inferred_extensions": "inferred Art. 411 extensions",
    "art411_latest_published_cases": "latest published count of Art. 411 cases",
    "art411_latest_published_date": "date of that count",
}


def _num(x):
    return None if x is None or pd.isna(x) else float(x)


def results(sample: pd.DataFrame, qr: pd.DataFrame, by_family: pd.DataFrame, art411_people: pd.DataFrame,
            extensions: pd.DataFrame, art411_figures: pd.DataFrame, person, start_date: str, end_date: str,
            bootstrap: Mapping) -> dict:
    """The key numbers of report 03 (what results.json holds and the key findings are made from)."""
    med = qr.loc[qr["quantile"] == 0.5].set_index("term")
    shown = by_family.loc[~by_family["suppressed"]].sort_values(["median", "article_family"])
    top = shown.iloc[-1] if len(shown) else None
    cases = art411_figures.loc[art411_figures["metric"] == "art411_cases"]
    female = "gender[T.female]"
    return {
        "window_start": str(pd.Timestamp(start_date).date()), "window_end": str(pd.Timestamp(end_date).date()),
        "person_source": person.source, "person_as_of": pd.Timestamp(person.as_of).strftime("%Y-%m-%d"),
        "synthetic": bool(person.synthetic),
        "records_in_sample": int(len(sample)), "records_used_in_regression": int(qr.attrs.get("n_used", len(sample))),
        "median_sentence_months": _num(sample["sentence_months"].median()),
        "p90_sentence_months": _num(sample["sentence_months"].quantile(0.9)),
        "family_with_longest_median": None if top is None else str(top["article_family"]),
        "longest_family_median_months": None if top is None else _num(top["median"]),
        "median_difference_female_vs_male_months": _num(med["estimate"].get(female)),
        "female_ci_low": _num(med["ci_low"].get(female)), "female_ci_high": _num(med["ci_high"].get(female)),
        "art411_records": int(art411_people.loc[art411_people["period"] == "all", "n_411"].iloc[0]),
        "art411_inferred_extensions": int(len(extensions)),
        "art411_latest_published_cases": _num(cases["value"].iloc[-1]) if len(cases) else None,
        "art411_latest_published_date": str(cases["date"].iloc[-1]) if len(cases) else None,
        "art411_latest_qualifier": str(cases["qualifier"].iloc[-1]) if len(cases) else None,
        "bootstrap": dict(bootstrap),
    }


def art411_shown(table: pd.DataFrame) -> pd.DataFrame:
    """Art. 411 records by verdict year as published: small counts '<5', complements withheld across years, shares
    blanked where their count is hidden; the 'all' row is the published total."""
    counts = ["n_records", "n_411", "n_411_with_sentence"]
    derived = {"n_411": ["share_of_year", "share_of_all"], "n_records": ["share_of_year"]}
    body, total = table.loc[table["period"] != "all"], table.loc[table["period"] == "all"]
    parts = [disclosure.protect(body, counts, lines=[()], derived=derived),
             disclosure.protect(total, counts, lines=[()], derived=derived)]
    return pd.concat([p for p in parts if len(p)], ignore_index=True)


def extensions_shown(overview: pd.DataFrame) -> pd.DataFrame:
    """The one-row Art. 411 extension overview as published: the parts of the 411 records are protected as one line
    (they add up to the total), gap statistics only from 5 or more extensions."""
    row = overview.iloc[0]
    parts = ["411_without_verdict_date", "411_first_record_of_person", "inferred_extensions"]
    long = pd.DataFrame({"what": parts, "n": [row[p] for p in parts]})
    shown = disclosure.protect(long, ["n"], lines=[()]).set_index("what")["n"]
    out = overview.astype(object).copy()
    for p in parts:
        out.loc[out.index[0], p] = shown[p]
    total = row["records_with_411"]
    out.loc[out.index[0], "records_with_411"] = disclosure.SMALL if 0 < total < disclosure.MIN_CELL else int(total)
    if not row["with_gap"] >= disclosure.MIN_CELL:
        for c in ["gap_median_months", "gap_q25_months", "gap_q75_months", "share_before_term_end"]:
            out.loc[out.index[0], c] = None
        out.loc[out.index[0], "with_gap"] = disclosure.SMALL if row["with_gap"] > 0 else 0
    return out
