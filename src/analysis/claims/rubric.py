"""The claims rubric (docs/CLAIMS.md): the verdict vocabulary, the thresholds, and one pure rule per claim.

Every rule takes the measured numbers and returns a verdict; none reads a table, so each can be tested at its
boundary with hand-written values. Only evidence dated on or before the statement reaches these rules
(:func:`split_at`); later data are reported beside the verdict as "since then".
"""

from __future__ import annotations

import pandas as pd

SUPPORTED, CONSISTENT, NOT_CONTRADICTED = "supported", "consistent with the data", "not contradicted"
CONTRADICTED, NOT_MEASURABLE = "contradicted", "not measurable"
VERDICTS = (SUPPORTED, CONSISTENT, NOT_CONTRADICTED, CONTRADICTED, NOT_MEASURABLE)
MEANING = {
    SUPPORTED: "the evidence dated up to the statement shows what the claim says, by the claim's own definition",
    CONSISTENT: "the evidence agrees with the claim but cannot prove it (an interpretation, or a proxy measure)",
    NOT_CONTRADICTED: "the evidence bears on the claim only partly or indirectly and does not show the opposite",
    CONTRADICTED: "the evidence shows the opposite of the claim",
    NOT_MEASURABLE: "the claim is qualitative, or nothing dated up to the statement bears on it",
}
INTERPRETIVE = ("interpretation",)  # kinds of claim (statement.KIND) that can be no more than CONSISTENT

WINDOW_DAYS = 31  # "recently" / "near the statement"
WAVE_MIN = 10  # claim 6: a "wave" frees at least this many people
SEVERAL = 3  # "several" = at least three
MANY_SHARE = 0.5  # claim 3: "many were taken abroad" = at least half of everyone released in the period
TOP_K = 5  # claim 9: "among the highest" = in the top five

RULES: dict[int, str] = {
    1: f"Release events in the window_days up to the statement: supported if they freed at least {SEVERAL} people "
       f"named in international news; not contradicted if 1-2; contradicted if no release event. Professions are "
       f"not coded, so the composition is not checked.",
    2: "Qualitative: not measurable.",
    3: f"Everyone released by release events from past_year_start to the statement is the denominator; share "
       f"taken abroad = people documented as taken abroad / everyone released (unknown destination counts as not "
       f"documented). Supported if >= {MANY_SHARE:.0%}; not contradicted if > 0; contradicted if 0. Sensitivity: "
       f"US-brokered releases only; without foreign citizens sent home and people who refused to leave.",
    4: "Qualitative: not measurable.",
    5: "Prospective claim about people abroad: non-UN figures on in-absentia convictions and the in-absentia law "
       "can be consistent with it but cannot confirm it, so at best not contradicted; not measurable if no "
       "non-UN figure exists (the UN's own figures are the claim, not evidence).",
    6: f"Release events freeing >= {WAVE_MIN} people from past_year_start to the statement: supported if >= "
       f"{SEVERAL} and one release in the period names every person the claim names; contradicted if < 2 or no "
       f"such release in the period; otherwise not contradicted.",
    7: f"Viasna's monthly counts of newly recognised political prisoners in the statement's calendar year, dated "
       f"up to the statement: supported if > 0 in every month with a figure and at least {SEVERAL} months have "
       f"one; contradicted if 0 in every such month; otherwise not contradicted.",
    8: "Counts of political prisoners held, dated within window_days up to the statement (claims.check_over), "
       "against the statement's own figure: supported if every count is above it ('at least X' counts as above "
       "X); contradicted if every exact count is at or below it; otherwise not contradicted.",
    9: f"Belarus's per-capita rank (stats.ranking) on figures dated up to the statement, under the definitions "
       f"that use figures within 12 months and rank more than top_k countries: supported if within the top_k "
       f"under every such definition and the upper end of its rank interval is too; not contradicted if within "
       f"the top_k under more than half; contradicted otherwise.",
    10: "Rows (UN statements excluded) dated up to the statement that name the person and report a return to "
        "prison after his release: supported if at least one; not contradicted if he was released but no such "
        "row exists; not measurable if he appears nowhere.",
    11: "Rows (UN statements excluded) dated up to the statement linking an in-absentia case to a released "
        "person: supported if any; not contradicted if only general in-absentia figures exist; not measurable "
        "if none.",
    12: "Art. 411 figures and events (UN statements excluded) dated up to the statement: not contradicted if any "
        "shows Art. 411 cases against political prisoners; the share of expelled people whose terms were "
        "extended needs person-level data, so never supported here.",
    13: "Qualitative: not measurable.",
    14: f"Distinct recognised political prisoners who died in custody (Viasna's definition, deaths_in_custody "
        f"person_status), dated up to the statement: supported if >= {SEVERAL}; not contradicted if 1-2; "
        f"contradicted if none. Sensitivity: adding deaths after release, on restriction of liberty, and of "
        f"protest and administrative detainees. Whether circumstances were suspicious or investigated is not "
        f"measured.",
    15: "Interpretation, so at most consistent with the data. The last stock figure before the first release "
        "wave against the last exact count up to the statement plus everyone released before that count: "
        "consistent if, even with the smallest count of people released, the stock without the releases would be "
        "at least the level before the waves (new prisoners replaced those freed); contradicted if, even with "
        "the largest count, it would be lower; otherwise not contradicted.",
}


def evidence_date(df: pd.DataFrame, date_column: str) -> pd.Series:
    """When a row became evidence: the later of the figure's own date and the page's publication date (where
    the table has ``source_published`` and it is known)."""
    when = pd.to_datetime(df[date_column])
    if "source_published" in df.columns:
        when = pd.concat([when, pd.to_datetime(df["source_published"])], axis=1).max(axis=1)
        when = when.where(pd.to_datetime(df[date_column]).notna())
    return when


def split_at(df: pd.DataFrame, date_column: str, statement_date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows dated on or before the statement (they decide the verdict) and rows dated after it ("since then").

    A row's date is :func:`evidence_date` (a figure published after the statement is "since then" even if it
    refers to an earlier day). Undated rows are in neither: evidence that cannot be placed before the
    statement cannot decide it.
    """
    when = evidence_date(df, date_column)
    cut = pd.Timestamp(statement_date)
    return df.loc[when <= cut], df.loc[when > cut]


def cap(verdict: str, kind: str) -> str:
    """An interpretive claim can be no more than 'consistent with the data'."""
    return CONSISTENT if kind in INTERPRETIVE and verdict == SUPPORTED else verdict


def at_least_several(n: int, several: int = SEVERAL) -> str:
    """Claims 1 and 14: supported if n >= several, not contradicted if 1..several-1, contradicted if 0."""
    return SUPPORTED if n >= several else NOT_CONTRADICTED if n > 0 else CONTRADICTED


def share_taken_abroad(abroad: float, released: float, many: float = MANY_SHARE) -> str:
    """Claim 3 on everyone released in the period."""
    if released <= 0:
        return NOT_MEASURABLE
    share = abroad / released
    return SUPPORTED if share >= many else NOT_CONTRADICTED if share > 0 else CONTRADICTED


def waves_and_named(n_waves: int, named_release_in_period: bool, several: int = SEVERAL) -> str:
    """Claim 6: several waves and the named release inside the period."""
    if n_waves < 2 or not named_release_in_period:
        return CONTRADICTED
    return SUPPORTED if n_waves >= several else NOT_CONTRADICTED


def monthly_inflow(values: list[float], several: int = SEVERAL) -> str:
    """Claim 7: new recognitions in every month with a figure."""
    if not values:
        return NOT_MEASURABLE
    if all(v > 0 for v in values) and len(values) >= several:
        return SUPPORTED
    return CONTRADICTED if all(v == 0 for v in values) else NOT_CONTRADICTED


def over_threshold(values: list[float], exact: list[bool], threshold: float) -> str:
    """Claim 8: 'more than threshold'. A count stored as X with qualifier 'at least' means 'over X' already."""
    if not values:
        return NOT_MEASURABLE
    above = [v > threshold or (not e and v >= threshold) for v, e in zip(values, exact)]
    if all(above):
        return SUPPORTED
    if all(not a and e for a, e in zip(above, exact)):
        return CONTRADICTED
    return NOT_CONTRADICTED


def rank_in_top(ranks: list[int], highs: list[int], top_k: int = TOP_K) -> str:
    """Claim 9: Belarus's ranks (and interval upper ends) under the definitions the verdict uses."""
    if not ranks:
        return NOT_MEASURABLE
    inside = sum(r <= top_k for r in ranks)
    if inside == len(ranks) and max(highs) <= top_k:
        return SUPPORTED
    return NOT_CONTRADICTED if inside > len(ranks) / 2 else CONTRADICTED


def reports_found(n_reports: int, subject_found: bool) -> str:
    """Claims 10 and 11: a documented case supports; the subject without a case does not contradict."""
    if n_reports > 0:
        return SUPPORTED
    return NOT_CONTRADICTED if subject_found else NOT_MEASURABLE


def indirect(found: bool) -> str:
    """Claims 5 and 12: figures that bear on the claim only indirectly."""
    return NOT_CONTRADICTED if found else NOT_MEASURABLE


def replacement(base: float, end: float, released_low: float, released_high: float) -> str:
    """Claim 15 (before the interpretive cap): would the stock without releases be back at the base level?"""
    if end + released_low >= base:
        return SUPPORTED
    return CONTRADICTED if end + released_high < base else NOT_CONTRADICTED
