"""Display names for code names (columns, groups, definitions), kept in one place for tables, figures and the site.

`label("custodial_broadest_12m")` gives "Custodial, broadest definition, 12-month window"; a name not in
`LABELS` is spelled out by rule (underscores to spaces, known abbreviations expanded, first letter capitalised),
so a new column never reaches a reader as snake_case. `relabel(df)` applies the same to a DataFrame's column
names, index names and text values, for a table a person will read (not for one a program will read back).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# Exact display names; add a name here when the rule below does not read well.
LABELS: dict[str, str] = {
    # report 01: counts, flows and the trend model
    "currently_held": "People held",
    "implied_outflow": "Outflow implied by the change in the number held",
    "inflow": "Newly recognised",
    "new_recognized": "Newly recognised",
    "released": "Released",
    "net_change": "Net change",
    "mean_per_month": "Mean per month",
    "n_months": "Months",
    "n_records": "Records",
    "months_observed": "Months with a published figure",
    "months_interpolated": "Months interpolated",
    "latest_count": "Latest count",
    "latest_month": "Latest month",
    "peak_count": "Highest count",
    "peak_month": "Month of the highest count",
    "held_qualifier": "Qualifier of the count",
    "at_least": "at least",
    "exact": "exact",
    "viasna_repost": "Viasna count re-posted by media",
    "width_ratio": "Width ratio",
    "days_from_date": "Days from the date",
    "std_err": "Standard error",
    "p_value": "p-value",
    "p": "p-value",
    "hr": "Hazard ratio",
    "estimate_ar1": "Estimate (AR(1) errors)",
    "estimate_hac": "Estimate (HAC errors)",
    "ci_low_ar1": "95% CI, lower (AR(1))",
    "ci_high_ar1": "95% CI, upper (AR(1))",
    "ci_low_hac": "95% CI, lower (HAC)",
    "ci_high_hac": "95% CI, upper (HAC)",
    "ci_low": "95% CI, lower",
    "ci_high": "95% CI, upper",
    "median_ci_low": "Median, 95% CI lower",
    "median_ci_high": "Median, 95% CI upper",
    "un_claim_verdict": "Verdict on the UN claim",
    "mean_inflow_per_month": "Mean inflow per month",
    "mean_implied_outflow_per_month": "Mean implied outflow per month",
    # sources and provenance
    "source_org": "Source",
    "source_url": "Source address",
    "source_type": "Kind of source",
    "source_published": "Published",
    "as_of_date": "As of",
    "accessed": "Accessed",
    "sha256": "SHA-256",
    # report 02: waves, survival, custody
    "event_date": "Date",
    "all_pardoned": "All pardoned",
    "all_released": "All released",
    "deportation_exile": "Deported into exile",
    "exiled": "Taken abroad",
    "exiled_known": "Destination known",
    "exiled_basis": "Basis for 'taken abroad'",
    "exiled_share_of_known": "Share taken abroad (of known destination)",
    "exiled_share_of_known_destination": "Share taken abroad (of known destination)",
    "brokered_by": "Brokered by",
    "refused_deportation": "Refused deportation",
    "released_in_events": "Released in events",
    "released_in_waves_to_date": "Released in waves to date",
    "released_with_known_destination": "Released with known destination",
    "stock_without_waves": "Number held had there been no waves",
    "observed_stock": "Number held (observed)",
    "in_custody": "in custody",
    "after_release": "after release",
    "in_custody_or_after_release": "in custody or after release",
    "deaths_in_custody_people": "Deaths in custody (people)",
    "deaths_after_release_people": "Deaths after release (people)",
    "re_arrested_after_release": "Re-arrested after release",
    "returnees_arrested": "Returnees arrested",
    "in_absentia_cases": "Trials in absentia",
    "sources_disagree_on_custody": "Sources disagree on custody",
    "political_prisoners_named": "Political prisoners (named lists)",
    "political_prisoners_viasna": "Political prisoners (Viasna)",
    "date_of_death": "Date of death",
    "date_precision": "Date precision",
    "death_id": "Case",
    "count_scope": "What is counted",
    "n_sources": "Sources",
    "survival_records": "Records in the survival analysis",
    "person_source": "Person-level source",
    "cox_strata": "Cox strata",
    "compared_by": "Compared by",
    "age_group": "Age group",
    "article_family": "Article family",
    "insult_of_officials": "Insulting officials",
    "violence_against_police": "Violence against police",
    "extremism": "Extremism",
    "protest": "Protest",
    # cleaning counts
    "input_rows": "Input rows",
    "clean_rows": "Clean rows",
    "quarantined_rows": "Rows quarantined",
    "field_problems": "Field problems",
    # report 03: sentencing and Article 411
    "verdict_year": "Year of verdict",
    "detention_cohort": "Detention cohort",
    "sentence_median": "Median sentence (months)",
    "sentence_q25": "25th percentile (months)",
    "sentence_q75": "75th percentile (months)",
    "sentence_suppressed": "Suppressed (fewer than 5)",
    "median_sentence_months": "Median sentence (months)",
    "p90_sentence_months": "90th percentile of sentence (months)",
    "gap_median_months": "Median gap (months)",
    "gap_q25_months": "Gap, 25th percentile (months)",
    "gap_q75_months": "Gap, 75th percentile (months)",
    "n_411": "Records with Art. 411",
    "n_411_with_sentence": "Art. 411 records with a sentence",
    "art411_records": "Records with Art. 411",
    "art411_inferred_extensions": "Inferred Art. 411 extensions",
    "art411_latest_published_cases": "Latest published Art. 411 count",
    "art411_latest_published_date": "Date of the latest published Art. 411 count",
    "411_first_record_of_person": "Art. 411 in a person's first record",
    "411_without_verdict_date": "Art. 411 without a verdict date",
    "inferred_extensions": "Inferred extensions",
    "share_before_term_end": "Share before the end of the term",
    "share_of_all": "Share of all",
    "share_of_year": "Share of the year",
    "family_with_longest_median": "Family with the longest median",
    "longest_family_median_months": "Longest median of a family (months)",
    "median_difference_female_vs_male_months": "Median difference, women vs men (months)",
    "records_in_sample": "Records in the sample",
    "records_used_in_regression": "Records used in the regression",
    "records_with_411": "Records with Art. 411",
    "true_difference": "True difference",
    "un_statement": "UN statement",
    "law_adopted": "Law adopted",
    "event_type": "Kind of event",
    # report 04: definitions of the per-capita ranking
    "main_within_12m": "Main list, figures within 12 months",
    "main_latest": "Main list, latest figure",
    "any_within_12m": "Any list, figures within 12 months",
    "custodial_broadest_12m": "Custodial, broadest definition, 12-month window",
    "recognition_lists_12m": "Recognition lists, 12-month window",
    "named_lists_latest": "Named lists, latest figure",
    "highest_2024_2026": "Highest, 2024–2026",
    "lowest_2024_2026": "Lowest, 2024–2026",
    "no": "No.",
    "remained_in_Belarus": "Stayed in Belarus",
    "all_pardoned": "Everyone pardoned (may include non-political)",
    "political_prisoners": "Political prisoners",
    "cohort": "Detention cohort",
    "gender": "Gender",
}

# Word-by-word spelling for names not in LABELS.
ABBREVIATIONS: dict[str, str] = {
    "ci": "CI", "hac": "HAC", "ar1": "AR(1)", "hr": "hazard ratio", "un": "UN", "pp": "political prisoners",
    "n": "number", "q25": "25th percentile", "q50": "median", "q75": "75th percentile", "p90": "90th percentile",
    "12m": "12-month window", "art411": "Art. 411", "411": "Art. 411", "id": "ID", "url": "address",
    "pct": "%", "vs": "vs",
}
CLAIM_VERDICT = re.compile(r"claim_(\d+)_verdict")
SNAKE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")


def label(name: object) -> str:
    """The display name of a code name; names that are not code names come back unchanged (as text)."""
    text = str(name)
    if text in LABELS:
        return LABELS[text]
    if m := CLAIM_VERDICT.fullmatch(text):
        return f"Claim {int(m.group(1))}: verdict"
    if not SNAKE.fullmatch(text):
        return text
    words = [ABBREVIATIONS.get(w, w) for w in text.split("_")]
    spelled = " ".join(words)
    return spelled[0].upper() + spelled[1:]


def _value_label(value: object) -> object:
    """A cell value relabelled only when it is a snake_case code name ("no", "exact" stay as they are)."""
    return label(value) if isinstance(value, str) and SNAKE.fullmatch(value) else value


def relabel(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with readable column names, index names and text values (for display, not for reuse)."""
    import pandas as pd

    out = df.copy()
    out.columns = out.columns.map(lambda c: tuple(label(x) for x in c) if isinstance(c, tuple) else label(c))
    out.index = out.index.map(lambda v: tuple(_value_label(x) for x in v) if isinstance(v, tuple) else _value_label(v))
    out.index.names = [label(n) if n is not None else None for n in out.index.names]
    out.columns.names = [label(n) if n is not None else None for n in out.columns.names]
    for col in out.columns:
        if out[col].dtype == object or isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].map(_value_label)
    return out
