"""Synthetic person-level export with KNOWN truth, shaped like Viasna's list export (not real people).

Real person-level data is never committed; this generator produces a realistic stand-in on which every
person-level method (cleaning, survival, sentencing, stock series) can be run and *checked*, because the
true parameters and the true individual histories are known.

Public API
----------
- :data:`SYNTHETIC_STAMP`   text that every plot/report built on synthetic data must show.
- :class:`SynthParams`      all parameters; each field's ``metadata["source"]`` says where its value comes from.
- :func:`calibrate`         ``(pp_counts, release_events[, base]) -> SynthParams`` (pure).
- :func:`default_params`    calibrate from the curated tables (or the research copies) -- ONE place.
- :func:`generate`          ``(params, n=None, seed=0) -> (export DataFrame, truth dict)``.
- :func:`to_layout`         machine export -> localized ``ru`` / ``en`` label layout.
- :func:`export_bytes`, :func:`write_export`, :func:`truth_json`   deterministic writers.
- :func:`main`              CLI ``python -m analysis synth``.

Model (details and sources in docs/SYNTHETIC.md)
-----------------------------------------------
Records are cases. Recognised political prisoners enter custody ("detention") in month m with a
calibrated expected inflow I_m; each case draws an article family, a penalty type, a sentence and a
pre-trial time; custody ends at the earliest of sentence end, death in custody (constant hazard) or
selection in a release wave. Within a wave the k released are the first k of independent exponential
clocks with rate w_i = HR_female^female * HR_older^older, i.e. a proportional-hazards race with known
hazard ratios. ``np`` records ("repression documented", not recognised) follow the same case model but
never count in the stock and are never picked by waves. Text cells are rendered in messy forms with
known frequencies; a known number of deliberately malformed rows and duplicates are added.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as _dt
import io
import json
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.errors import DataError, UsageError

from analysis import SYNTHETIC_STAMP  # noqa: E402  (one constant for the whole package)

MACHINE_COLUMNS: tuple[str, ...] = (
    "id", "url", "name", "status", "gender", "photo", "description", "birthday", "arrested", "articles",
    "prison", "declaration", "decision", "penalty", "judge", "councel", "penalty_start_date",
    "release_date", "verdict_date", "appeal_date", "fake_terrorist_list", "died", "clusters",
)
# Localized label layouts (viasna_export_format.md §1.4): label -> machine column ("" = always empty).
LAYOUT_LABELS: dict[str, dict[str, str]] = {
    "ru": {
        "Имя и фамилия": "name", "Статус": "status", "Дата рождения": "birthday", "Пол": "gender",
        "Дата задержания": "arrested", "Предъявлены обвинения": "articles", "Дата приговора": "verdict_date",
        "Решение суда": "decision", "Вид наказания": "penalty", "Судья": "judge", "Прокурор": "",
        "Место заключения": "prison",
    },
    "en": {
        "Name and surname": "name", "Status": "status", "Date of birth": "birthday", "Gender": "gender",
        "Date of detention": "arrested", "Charges indicted": "articles", "Date of verdict": "verdict_date",
        "Sentence": "decision", "Penalty": "penalty", "Judge": "judge", "Prosecutor": "", "Prison": "prison",
    },
}
LAYOUTS = ("machine", "ru", "en")
FORMATS = ("csv", "xlsx")

FAMILIES = ("protest", "extremism", "insult_of_officials", "violence_against_police", "other")
PENALTY_TYPES = ("imprisonment", "restricted_freedom", "fine")
DATE_FORMS = ("iso", "dmy", "ru_day", "ru_month", "year", "unknown")
ARTICLE_FORMS = ("ru_part", "ru", "ru_code", "be", "en_part", "en")
SENTENCE_FORMS = ("ru", "ru_decimal", "be", "en")
MALFORMED_KINDS: dict[str, str] = {  # kind -> machine column it breaks ("*" = whole row)
    "release_before_detention": "release_date",
    "unparseable_date": "arrested",
    "missing_status": "status",
    "future_date": "arrested",
    "garbage_article": "articles",
    "formula_description": "description",
    "exact_duplicate": "*",
    "near_duplicate": "*",
}
FORMULA_TEXT = "=cmd|' /C calc'!A0"
UNPARSEABLE_DATES = ("32.13.2021", "2021-02-30", "весной позапрошлого года", "??.??.20??")
GARBAGE_ARTICLES = ("ст. ???", "#REF!", "lorem ipsum dolor", "ч. ст. УК", "Art. XYZ")
URL_BASE = "https://prisoners.spring96.org/ru/person/synthetic-"
NAME_RU, NAME_EN = "Синтетический Человек", "Synthetic Person"
DAYS_PER_MONTH = 365.25 / 12
EPOCH = np.datetime64("1970-01-01", "D")
NO_DATE = np.iinfo(np.int64).max // 4  # "never" (still held / not yet)

RU_GEN = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря")
RU_NOM = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
          "ноябрь", "декабрь")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")
# Facilities: generic designations with a placeholder postcode (never a real address).
PRE_TRIAL = (("СИЗО № 1", "Минск"), ("СИЗО № 2", "Витебск"), ("СИЗО № 3", "Гомель"), ("СИЗО № 7", "Брест"))
COLONIES = (("ИК № 1", "Новополоцк"), ("ИК № 2", "Бобруйск"), ("ИК № 3", "Витьба"), ("ИК № 4", "Гомель"),
            ("ИК № 9", "Горки"), ("ИК № 13", "Глубокое"), ("ИК № 15", "Могилёв"), ("ИК № 17", "Шклов"),
            ("ИК № 22", "Ивацевичи"), ("Тюрьма № 1", "Гродно"), ("Тюрьма № 4", "Могилёв"))
OPEN_TYPE = (("ИУОТ № 2", "Минск"), ("ИУОТ № 7", "Брест"))
RELEASED_MARKERS_M = ("освобождён", "освобожден", "released", "вызвалены")
RELEASED_MARKERS_F = ("освобождена", "освобождена", "released", "вызвалена")
PENALTY_RU = {"imprisonment": "лишение свободы", "restricted_freedom": "ограничение свободы", "fine": "штраф"}
PENALTY_EN = {"imprisonment": "imprisonment", "restricted_freedom": "restricted freedom", "fine": "fine"}

REAL_EXPORT_ROWS = {"active": 889, "former": 3953, "np": 3854}  # export of 2026-08-30, §1.6
DUR_SAMPLE = 200_000  # Monte-Carlo sample of custody durations used by calibrate()
DUR_SEED = 20200501


def _src(text: str) -> dict:
    return {"source": text}


# ------------------------------------------------------------------------------------------ parameters
@dataclass
class SynthParams:
    """Every parameter of the generator; ``dataclasses.fields(SynthParams)[i].metadata['source']`` cites it.

    Values marked ILLUSTRATIVE are plausible choices, not estimates; tests check that the generator
    reproduces them, not that they are true of Belarus.
    """

    start: str = field(default="2020-05-01", metadata=_src(
        "brief: simulation starts May 2020 (pre-election detentions; Viasna counts 25 on 2020-07-21)"))
    as_of: str = field(default="2026-03-31", metadata=_src(
        "brief: data date; pp_counts.csv ends 2026-03-19 (897 held)"))
    months: tuple = field(default=(), metadata=_src(
        "calibrate(): month starts from `start` to `as_of`"))
    stock_target: tuple = field(default=(), metadata=_src(
        "calibrate(): Viasna `currently_held` (pp_counts.csv) linearly interpolated in time at each month "
        "end (same-date conflicts -> median), held flat before the first/after the last figure"))
    inflow: tuple = field(default=(), metadata=_src(
        "calibrate(): expected monthly detentions of recognised records that make a cohort (fluid) model "
        "with the duration, death and wave parameters below follow `stock_target` (inflow >= 0)"))
    n_default: int = field(default=0, metadata=_src(
        "calibrate(): sum(inflow) recognised records / (1 - np_share), plus the duplicate rows"))
    real_cumulative_recognised: float = field(default=float("nan"), metadata=_src(
        "pp_counts.csv: largest `cumulative_recognized_since_2020` up to as_of (4,499 on 2026-03-05); "
        "compare with sum(inflow), for documentation only"))
    np_share: float = field(default=REAL_EXPORT_ROWS["np"] / sum(REAL_EXPORT_ROWS.values()), metadata=_src(
        "real export profile of 2026-08-30: np 3,854 of 8,696 rows (viasna_export_format.md §1.6)"))
    women_share: float = field(default=0.12, metadata=_src(
        "calibrate(): median of women_held/currently_held in pp_counts.csv (e.g. 168 of 1,452 end-2023)"))
    family_shares: dict = field(default_factory=lambda: {
        "protest": 0.34, "extremism": 0.34, "insult_of_officials": 0.12, "violence_against_police": 0.08,
        "other": 0.12}, metadata=_src(
        "ILLUSTRATIVE: protest (342) and 'extremism' (361-x, 130) dominate Viasna's reporting; family "
        "names follow analysis.clean.articles.FAMILIES"))
    family_codes: dict = field(default_factory=lambda: {
        "protest": {"342": 0.85, "293": 0.15},
        "extremism": {"361-1": 0.35, "361-4": 0.25, "130": 0.2, "361": 0.1, "361-2": 0.1},
        "insult_of_officials": {"368": 0.4, "369": 0.35, "367": 0.15, "391": 0.1},
        "violence_against_police": {"364": 0.6, "363": 0.4},
        "other": {"191": 0.3, "243": 0.2, "209": 0.2, "295": 0.15, "328": 0.15}}, metadata=_src(
        "ILLUSTRATIVE within-family code mix; 'other' codes are in no family of clean/articles.py"))
    part_probs: dict = field(default_factory=lambda: {1: 0.6, 2: 0.3, 3: 0.1}, metadata=_src(
        "ILLUSTRATIVE: part (ч.) of the article"))
    second_article_prob: float = field(default=0.25, metadata=_src(
        "ILLUSTRATIVE: share of cells with a 2nd article; drawn from the SAME family, so the family is "
        "unambiguous under any priority rule"))
    penalty_shares: dict = field(default_factory=lambda: {
        "imprisonment": 0.88, "restricted_freedom": 0.08, "fine": 0.04}, metadata=_src(
        "ILLUSTRATIVE: most recognised prisoners are sentenced to colony terms"))
    sentence_median_months: dict = field(default_factory=lambda: {
        "protest": 24.0, "extremism": 36.0, "insult_of_officials": 18.0, "violence_against_police": 30.0,
        "other": 48.0}, metadata=_src(
        "ILLUSTRATIVE lognormal medians (24-36 months for 342, longer for extremism); with these the "
        "calibrated inflow totals ~3,600 recognised records against Viasna's 4,499 recognised since 2020 "
        "(the rest: people recognised only after release, not modelled)"))
    sentence_sigma: dict = field(default_factory=lambda: {
        "protest": 0.35, "extremism": 0.45, "insult_of_officials": 0.4, "violence_against_police": 0.4,
        "other": 0.6}, metadata=_src("ILLUSTRATIVE lognormal log-sd of the sentence"))
    sentence_round_months: int = field(default=3, metadata=_src(
        "sentences are stated in years and months; rounded to 3 months, at least 3"))
    sentence_max_months: int = field(default=300, metadata=_src("cap: 25 years"))
    restricted_factor: float = field(default=0.6, metadata=_src(
        "ILLUSTRATIVE: restricted-freedom terms are shorter than colony terms (x0.6, max 60 months)"))
    pretrial_median_days: float = field(default=120.0, metadata=_src(
        "ILLUSTRATIVE: about 4 months from detention to verdict"))
    pretrial_sigma: float = field(default=0.6, metadata=_src("ILLUSTRATIVE"))
    age_mean: float = field(default=39.0, metadata=_src("ILLUSTRATIVE age at detention ~ N(39, 11)"))
    age_sd: float = field(default=11.0, metadata=_src("ILLUSTRATIVE"))
    age_min: float = field(default=18.0, metadata=_src("criminal majority (adult cases only)"))
    age_max: float = field(default=78.0, metadata=_src("ILLUSTRATIVE"))
    older_age: float = field(default=50.0, metadata=_src(
        "covariate 'older' = age at detention >= 50 (used by the wave selection model)"))
    hr_female: float = field(default=1.5, metadata=_src(
        "TRUE hazard ratio of being picked by a release wave, women vs men (brief; reports stress women "
        "and older/ill people among the pardoned)"))
    hr_older: float = field(default=1.3, metadata=_src("TRUE hazard ratio, age >= 50 vs younger (ILLUSTRATIVE)"))
    waves: tuple = field(default=(), metadata=_src(
        "calibrate(): release_events.csv rows with is_primary==1; size = recognised_pp_count when stated "
        "else released_count; exile share = exiled_count/released_count when stated, else 1 if "
        "mechanism is deportation_exile or destination is Lithuania/Ukraine/mixed, else 0"))
    deaths_target: float = field(default=8.0, metadata=_src(
        "Viasna count of political prisoners who died in custody since 2021 (~7-8; deaths_in_custody.csv "
        "lists 10 distinct in-custody names 2021-2025, not all recognised)"))
    death_hazard_per_year: float = field(default=0.0, metadata=_src(
        "calibrate(): deaths_target / person-years in custody under stock_target from 2021-01"))
    rearrest_share: float = field(default=0.004, metadata=_src(
        "share of recognised records that are a 2nd record of an earlier released person (same url, "
        "name, birthday); with the duplicates below ~ the 22 components / 54 rows of the real export"))
    malformed_rates: dict = field(default_factory=lambda: {k: 0.0007 for k in MALFORMED_KINDS}, metadata=_src(
        "share of rows per malformed kind (8 kinds, ~0.56% of rows in all; at least 1 row each)"))
    date_form_probs: dict = field(default_factory=lambda: {
        "iso": 0.72, "dmy": 0.12, "ru_day": 0.07, "ru_month": 0.04, "year": 0.03, "unknown": 0.02},
        metadata=_src("ILLUSTRATIVE frequencies of the date forms listed in viasna_export_format.md §1.5"))
    birthday_form_probs: dict = field(default_factory=lambda: {
        "iso": 0.75, "dmy": 0.15, "year": 0.05, "empty": 0.05}, metadata=_src("ILLUSTRATIVE"))
    dmy_zero_pad_prob: float = field(default=0.5, metadata=_src("'12.05.2021' vs '12.5.2021'"))
    release_missing_prob: float = field(default=0.1, metadata=_src(
        "ILLUSTRATIVE: former records without a release date (the prison cell may still say released)"))
    article_form_probs: dict = field(default_factory=lambda: {
        "ru_part": 0.35, "ru": 0.25, "ru_code": 0.08, "be": 0.1, "en_part": 0.12, "en": 0.1},
        metadata=_src("ILLUSTRATIVE frequencies of the article forms of §1.5"))
    article_newline_prob: float = field(default=0.5, metadata=_src("joiner of several articles: newline vs '; '"))
    en_dash_prob: float = field(default=0.2, metadata=_src("'361–1' (en dash) instead of '361-1'"))
    sentence_form_probs: dict = field(default_factory=lambda: {
        "ru": 0.75, "ru_decimal": 0.08, "be": 0.07, "en": 0.10}, metadata=_src(
        "ILLUSTRATIVE; ru_decimal ('2,5 года') only where the term is a whole number of half-years, "
        "otherwise it falls back to ru"))
    gender_capitalised_prob: float = field(default=0.02, metadata=_src("'Male' instead of 'male' (§1.3)"))
    region_shares: dict = field(default_factory=lambda: {
        "Minsk": 0.45, "Minsk region": 0.09, "Brest": 0.09, "Gomel": 0.1, "Grodno": 0.09, "Mogilev": 0.08,
        "Vitebsk": 0.1}, metadata=_src("ILLUSTRATIVE; `clusters` holds a place label (§1.3)"))
    fake_terrorist_prob: dict = field(default_factory=lambda: {"extremism": 0.3, "other_families": 0.05},
                                      metadata=_src("ILLUSTRATIVE"))
    counsel_prob: float = field(default=0.6, metadata=_src("ILLUSTRATIVE share with a (synthetic) counsel"))
    description_prob: float = field(default=0.03, metadata=_src("ILLUSTRATIVE free-text share"))

    def to_dict(self) -> dict:
        """JSON-serialisable copy (tuples become lists, dict keys strings)."""
        return json.loads(json.dumps(dataclasses.asdict(self), default=_json_default))


def _json_default(obj: object) -> object:
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


# ------------------------------------------------------------------------------------------ dates
def _days(value: str | pd.Timestamp) -> int:
    return int((np.datetime64(pd.Timestamp(value).date(), "D") - EPOCH).astype(np.int64))


def _month_starts(start: str, as_of: str) -> pd.DatetimeIndex:
    return pd.date_range(pd.Timestamp(start).to_period("M").start_time, pd.Timestamp(as_of), freq="MS")


# ------------------------------------------------------------------------------------------ case model
def _choice(rng: np.random.Generator, probs: dict, size: int) -> np.ndarray:
    """Indices into list(probs) drawn with the given (normalised) probabilities."""
    p = np.asarray(list(probs.values()), dtype=float)
    return rng.choice(len(p), size=size, p=p / p.sum())


def _draw_cases(rng: np.random.Generator, p: SynthParams, n: int) -> dict[str, np.ndarray]:
    """Family, penalty type, sentence (months), pre-trial and custody durations (days) of n cases."""
    fam = _choice(rng, p.family_shares, n)
    ptype = _choice(rng, p.penalty_shares, n)
    med = np.array([p.sentence_median_months[f] for f in FAMILIES])[fam]
    sig = np.array([p.sentence_sigma[f] for f in FAMILIES])[fam]
    raw = med * np.exp(sig * rng.standard_normal(n))
    restricted = ptype == PENALTY_TYPES.index("restricted_freedom")
    raw = np.where(restricted, np.minimum(raw * p.restricted_factor, 60.0), raw)
    step = p.sentence_round_months
    months = np.clip(np.round(raw / step) * step, step, p.sentence_max_months)
    pretrial = np.maximum(np.round(p.pretrial_median_days * np.exp(p.pretrial_sigma * rng.standard_normal(n))), 7)
    fine = ptype == PENALTY_TYPES.index("fine")
    months = np.where(fine, np.nan, months)
    term_days = np.round(np.nan_to_num(months) * DAYS_PER_MONTH)
    custody = np.where(fine, pretrial, term_days)
    pretrial = np.where(fine, pretrial, np.minimum(pretrial, term_days - 1))
    return {"family": fam, "ptype": ptype, "months": months, "pretrial": pretrial.astype(np.int64),
            "custody": custody.astype(np.int64)}


def _duration_survival(p: SynthParams, ages_months: np.ndarray) -> np.ndarray:
    """P(custody duration > a months) for each a, from a fixed-seed Monte-Carlo sample (deterministic)."""
    dur = np.sort(_draw_cases(np.random.default_rng(DUR_SEED), p, DUR_SAMPLE)["custody"]) / DAYS_PER_MONTH
    return 1.0 - np.searchsorted(dur, ages_months, side="right") / dur.size


# ------------------------------------------------------------------------------------------ calibration
def _stock_target(pp_counts: pd.DataFrame, months: pd.DatetimeIndex) -> np.ndarray:
    df = pp_counts.loc[:, ["as_of_date", "currently_held"]].copy()
    df["as_of_date"] = pd.to_datetime(df["as_of_date"], errors="coerce")
    df["currently_held"] = pd.to_numeric(df["currently_held"], errors="coerce")
    df = df.dropna()
    if df.empty:
        raise DataError("pp_counts", "no rows with both as_of_date and currently_held")
    obs = df.groupby("as_of_date")["currently_held"].median().sort_index()
    x = obs.index.to_numpy("datetime64[D]").astype(np.int64)
    ends = (months + pd.offsets.MonthEnd(0)).to_numpy("datetime64[D]").astype(np.int64)
    return np.interp(ends, x, obs.to_numpy(float))  # flat outside the observed range


def _waves(release_events: pd.DataFrame) -> tuple:
    ev = release_events.copy()
    ev = ev[pd.to_numeric(ev["is_primary"], errors="coerce") == 1]
    out = []
    for _, r in ev.sort_values(["event_date", "event_id"]).iterrows():
        released = pd.to_numeric(r.get("released_count"), errors="coerce")
        recognised = pd.to_numeric(r.get("recognised_pp_count"), errors="coerce")
        exiled = pd.to_numeric(r.get("exiled_count"), errors="coerce")
        size = recognised if pd.notna(recognised) else released
        if pd.isna(size):
            continue
        mech, dest = str(r.get("mechanism", "")), str(r.get("destination", ""))
        if pd.notna(exiled) and pd.notna(released) and released > 0:
            share = float(min(1.0, exiled / released))
        elif mech == "deportation_exile" or dest in {"Lithuania", "Ukraine", "mixed"}:
            share = 1.0
        else:
            share = 0.0
        out.append({"event_id": str(r["event_id"]), "date": pd.Timestamp(r["event_date"]).date().isoformat(),
                    "size": int(size), "exile_share": round(share, 6), "mechanism": mech, "destination": dest})
    return tuple(out)


def calibrate(pp_counts: pd.DataFrame, release_events: pd.DataFrame, base: SynthParams | None = None) -> SynthParams:
    """Fit the time-dependent parameters to the curated series (pure; no I/O, no global randomness).

    `pp_counts` needs ``as_of_date, currently_held`` (optionally ``women_held``,
    ``cumulative_recognized_since_2020``); `release_events` needs ``event_id, event_date,
    released_count, is_primary`` (optionally ``recognised_pp_count, exiled_count, mechanism,
    destination``). Other parameters are taken from `base` (defaults of :class:`SynthParams`).
    """
    p = dataclasses.replace(base or SynthParams())
    months = _month_starts(p.start, p.as_of)
    target = _stock_target(pp_counts, months)

    women = pd.to_numeric(pp_counts.get("women_held"), errors="coerce")
    held = pd.to_numeric(pp_counts.get("currently_held"), errors="coerce")
    ratio = (women / held).dropna() if women is not None else pd.Series(dtype=float)
    if len(ratio):
        p.women_share = round(float(ratio.median()), 4)
    if "cumulative_recognized_since_2020" in pp_counts:
        cum = pp_counts.loc[pd.to_datetime(pp_counts["as_of_date"], errors="coerce") <= pd.Timestamp(p.as_of),
                            "cumulative_recognized_since_2020"]
        cum = pd.to_numeric(cum, errors="coerce").dropna()
        p.real_cumulative_recognised = float(cum.max()) if len(cum) else float("nan")

    p.waves = _waves(release_events)
    since_2021 = months >= pd.Timestamp("2021-01-01")
    person_years = float(target[since_2021].sum()) / 12.0
    p.death_hazard_per_year = p.deaths_target / person_years if person_years > 0 else 0.0

    # Fluid cohort model: c[j] = expected recognised records detained in month j still in custody.
    n_m = len(months)
    ages = np.arange(n_m + 1) + 0.5  # entries mid-month: age at month end = k + 0.5 months
    surv = _duration_survival(p, np.concatenate([[0.0], ages]))
    s_half, s_ages = surv[1], surv[1:]
    monthly_death = np.exp(-p.death_hazard_per_year / 12.0)
    wave_month = pd.to_datetime([w["date"] for w in p.waves]).to_period("M") if p.waves else []
    wave_size = np.zeros(n_m)
    for per, w in zip(wave_month, p.waves):
        k = (per.start_time.year - months[0].year) * 12 + per.start_time.month - months[0].month
        if 0 <= k < n_m:
            wave_size[k] += w["size"]
    cohort = np.zeros(n_m)
    inflow = np.zeros(n_m)
    for m in range(n_m):
        if m:
            a = m - np.arange(m)  # age in whole months of cohorts 0..m-1 at the end of month m
            with np.errstate(invalid="ignore", divide="ignore"):
                step = np.where(s_ages[a - 1] > 0, s_ages[a] / s_ages[a - 1], 0.0)
            cohort[:m] *= step * monthly_death
        before = cohort[:m].sum()
        if wave_size[m] and before > 0:
            cohort[:m] *= 1.0 - min(1.0, wave_size[m] / before)
        entry = s_half * np.exp(-p.death_hazard_per_year / 24.0)
        inflow[m] = max(0.0, (target[m] - cohort[:m].sum()) / entry)
        cohort[m] = inflow[m] * entry

    p.months = tuple(d.date().isoformat() for d in months)
    p.stock_target = tuple(round(float(v), 3) for v in target)
    p.inflow = tuple(round(float(v), 3) for v in inflow)
    n_rec = float(inflow.sum())
    dup = p.malformed_rates["exact_duplicate"] + p.malformed_rates["near_duplicate"]
    p.n_default = int(round(n_rec / (1.0 - p.np_share) / (1.0 - dup)))
    return p


def default_params() -> SynthParams:
    """Calibration from the verified curated tables (checksums and schemas checked by the loader)."""
    from analysis.sources import curated

    return calibrate(curated.load("pp_counts"), curated.load("release_events"))


# ------------------------------------------------------------------------------------------ text helpers
# Text is built by LOOKUP: each row gets an integer key, the few distinct keys are rendered once in
# Python, and rows take their text by fancy indexing (fast and deterministic for 1M rows).
def _lookup(keys: np.ndarray, render) -> np.ndarray:
    """Object array of render(key) for each element of the int array `keys` (rendered once per key)."""
    uniq, inv = np.unique(keys, return_inverse=True)
    table = np.array([render(int(k)) for k in uniq] + [""], dtype=object)
    return table[inv.reshape(keys.shape)]


_ORDINAL_1970 = _dt.date(1970, 1, 1).toordinal()


def _date_of(day: int) -> _dt.date:
    return _dt.date.fromordinal(day + _ORDINAL_1970)


def _date_text(day: int, form: str, pad: bool) -> str:
    t = _date_of(day)
    if form == "iso":
        return f"{t.year:04d}-{t.month:02d}-{t.day:02d}"
    if form == "dmy":
        return f"{t.day:02d}.{t.month:02d}.{t.year}" if pad else f"{t.day}.{t.month}.{t.year}"
    if form == "ru_day":
        return f"{t.day} {RU_GEN[t.month - 1]} {t.year}"
    if form == "ru_month":
        return f"{RU_NOM[t.month - 1]} {t.year}"
    if form == "year":
        return str(t.year)
    if form == "unknown":
        return "неизвестно"
    return ""  # "empty"


def _iso(days: np.ndarray) -> np.ndarray:
    days = np.asarray(days, dtype=np.int64)
    return _lookup(days, lambda d: _date_text(d, "iso", True))


def _render_dates(rng: np.random.Generator, days: np.ndarray, known: np.ndarray, probs: dict,
                  zero_pad_prob: float) -> tuple[np.ndarray, np.ndarray]:
    """Date text in random forms; returns (text, form index into list(probs), -1 where unknown)."""
    n = days.size
    form = _choice(rng, probs, n)
    pad = rng.random(n) < zero_pad_prob
    labels = list(probs)
    nf = len(labels)
    key = (np.where(known, days, 0).astype(np.int64) * nf + form) * 2 + pad
    out = _lookup(key, lambda k: _date_text(k // 2 // nf, labels[(k // 2) % nf], bool(k % 2)))
    out[~known] = ""
    return out, np.where(known, form, -1)


def _plural_ru(k: int, one: str, few: str, many: str) -> str:
    if k % 10 == 1 and k % 100 != 11:
        return one
    if 2 <= k % 10 <= 4 and not 12 <= k % 100 <= 14:
        return few
    return many


def _term_text(months: int, form: str) -> str:
    """Sentence term text in one of SENTENCE_FORMS."""
    y, m = divmod(int(months), 12)
    if form == "ru_decimal" and m == 6 and y > 0:
        return f"{y},5 года"
    if form == "en":
        if m == 6 and y > 0:
            return f"{y} 1/2 years"
        parts = ([f"{y} year" + ("s" if y != 1 else "")] if y else []) + ([f"{m} months"] if m else [])
        return " ".join(parts)
    if form == "be":
        parts = ([f"{y} " + _plural_ru(y, "год", "гады", "гадоў")] if y else []) + (
            [f"{m} " + _plural_ru(m, "месяц", "месяцы", "месяцаў")] if m else [])
        return " ".join(parts)
    parts = ([f"{y} " + _plural_ru(y, "год", "года", "лет")] if y else []) + (
        [f"{m} " + _plural_ru(m, "месяц", "месяца", "месяцев")] if m else [])
    return " ".join(parts)


def _article_one(code: str, part: int, form: str, dash: bool) -> str:
    c = code.replace("-", "–") if dash else code
    return {
        "ru_part": f"ч. {part} ст. {c} УК",
        "ru": f"ст. {c}",
        "ru_code": f"ст. {c} Уголовного кодекса",
        "be": f"арт. {c}",
        "en_part": f"Part {part} of Art. {c} of the Criminal Code",
        "en": f"Art. {c} of the Criminal Code",
    }[form]


def _article_text(code_idx: np.ndarray, code_list: list[str], part: np.ndarray, form: np.ndarray,
                  dash: np.ndarray) -> np.ndarray:
    key = ((code_idx.astype(np.int64) * 10 + part) * len(ARTICLE_FORMS) + form) * 2 + dash
    nf = len(ARTICLE_FORMS)

    def render(k: int) -> str:
        d = k % 2
        k //= 2
        f = k % nf
        k //= nf
        return _article_one(code_list[k // 10], k % 10, ARTICLE_FORMS[f], bool(d))

    return _lookup(key, render)


def _facility_text(rng: np.random.Generator, table: tuple, n: int) -> np.ndarray:
    idx = rng.integers(0, len(table), n)
    two_lines = rng.random(n) < 0.8
    texts = np.array([f"{fac}\n000000, {city}" for fac, city in table]
                     + [f"{fac}; 000000, {city};" for fac, city in table], dtype=object)
    return texts[idx + np.where(two_lines, 0, len(table))]


def _counts(values: np.ndarray, labels: tuple | list) -> dict[str, int]:
    """Counts of form indices (-1 = not rendered) by label."""
    return {lab: int(np.sum(values == i)) for i, lab in enumerate(labels)}


def _quantiles(x: np.ndarray) -> dict:
    x = x[~np.isnan(x)]
    if not x.size:
        return {"n": 0}
    q = np.quantile(x, [0.1, 0.25, 0.5, 0.75, 0.9])
    return {"n": int(x.size), "mean": round(float(x.mean()), 4),
            **{f"q{int(k * 100):02d}": float(v) for k, v in zip([0.1, 0.25, 0.5, 0.75, 0.9], q)}}


# ------------------------------------------------------------------------------------------ generator
def _sizes(p: SynthParams, n: int) -> dict[str, int]:
    extra = {k: max(1, int(round(p.malformed_rates[k] * n))) for k in ("exact_duplicate", "near_duplicate")}
    base = n - sum(extra.values())
    if base < 10:
        raise UsageError(f"n={n} is too small for a synthetic export (need at least {10 + sum(extra.values())})")
    n_np = int(round(p.np_share * base))
    return {"base": base, "np": n_np, "rec": base - n_np, **extra}


def generate(params: SynthParams, n: int | None = None, seed: int = 0) -> tuple[pd.DataFrame, dict]:
    """Synthetic machine export (23 columns, all text) and its truth dict (JSON-serialisable).

    ``n`` is the number of export rows (including duplicate rows); ``None`` = ``params.n_default``.
    Inflow and wave sizes are rescaled by ``n / n_default``. Deterministic in (params, n, seed).
    """
    p = params
    if not p.inflow:
        raise UsageError("params are not calibrated (empty inflow): use calibrate() or default_params()")
    n = int(p.n_default if n is None else n)
    sz = _sizes(p, n)
    rng = np.random.default_rng(seed)
    as_of = _days(p.as_of)
    months = pd.DatetimeIndex(p.months)
    month_days = np.array([_days(m) for m in months], dtype=np.int64)
    month_len = np.array(months.days_in_month, dtype=np.int64)
    inflow = np.asarray(p.inflow, float)
    scale = sz["rec"] / inflow.sum()
    N, R = sz["base"], sz["rec"]
    rec = np.zeros(N, bool)
    rec[:R] = True

    # --- detention dates: recognised ~ calibrated inflow (exact multinomial counts); np the same shape
    m_idx = np.concatenate([np.repeat(np.arange(len(months)), rng.multinomial(R, inflow / inflow.sum())),
                            rng.choice(len(months), size=N - R, p=inflow / inflow.sum())])
    day_in_month = np.floor(rng.random(N) * month_len[m_idx]).astype(np.int64)
    det = month_days[m_idx] + day_in_month
    det = np.minimum(det, as_of)

    # --- person attributes and case
    female = rng.random(N) < p.women_share
    age = np.clip(rng.normal(p.age_mean, p.age_sd, N), p.age_min, p.age_max)
    birth = det - np.round(age * 365.25).astype(np.int64) - rng.integers(0, 365, N)
    cases = _draw_cases(rng, p, N)
    fam, ptype, months_sent = cases["family"], cases["ptype"], cases["months"]
    verdict = det + cases["pretrial"]
    natural_end = det + cases["custody"]
    death = np.where(rec, det + np.round(rng.exponential(365.25 / max(p.death_hazard_per_year, 1e-12), N)).astype(np.int64),
                     NO_DATE)
    region = _choice(rng, p.region_shares, N)
    person = rng.permutation(N) + 1  # person number (name/url); re-arrests copy it

    # --- re-arrests: a later recognised record of an earlier released (not dying) recognised person
    n_re_target = int(round(p.rearrest_share * R))
    eligible = np.flatnonzero(rec & (det >= _days("2021-03-01")))
    cand_ok = rec & (natural_end < death)
    re_rows = np.sort(rng.choice(eligible, size=min(n_re_target, eligible.size), replace=False))
    cand_ok[re_rows] = False
    cand = np.flatnonzero(cand_ok)
    cand = cand[np.argsort(natural_end[cand], kind="stable")]
    n_before = np.searchsorted(natural_end[cand], det[re_rows] - 30, side="left")
    pick_u = rng.random(re_rows.size)
    keep = n_before > 0
    re_rows = re_rows[keep]
    linked = cand[np.floor(pick_u[keep] * n_before[keep]).astype(np.int64)]
    person[re_rows], female[re_rows], birth[re_rows] = person[linked], female[linked], birth[linked]
    older = (det - birth) >= np.round(p.older_age * 365.25)

    # --- release waves: exponential race with rates w_i among recognised people in custody
    exit_day = np.where(rec, np.minimum(natural_end, death), natural_end)
    wave_of = np.full(N, -1)
    exiled = np.zeros(N, bool)
    weight = np.where(female, p.hr_female, 1.0) * np.where(older, p.hr_older, 1.0)
    wave_truth = []
    for w_i, w in enumerate(p.waves):
        t = _days(w["date"])
        planned = int(max(1, round(w["size"] * scale))) if w["size"] > 0 else 0
        pool = np.flatnonzero(rec & (det <= t) & (exit_day > t))
        k = min(planned, pool.size)
        chosen = np.array([], dtype=np.int64)
        if k > 0 and t <= as_of:
            keys = rng.exponential(size=pool.size) / weight[pool]
            chosen = np.sort(pool[np.argpartition(keys, k - 1)[:k]])
            exit_day[chosen] = t
            wave_of[chosen] = w_i
            n_ex = int(round(w["exile_share"] * k))
            if n_ex:
                exiled[np.sort(rng.choice(chosen, size=n_ex, replace=False))] = True
        wave_truth.append({
            "event_id": w["event_id"], "date": w["date"], "size_data": w["size"], "planned": planned,
            "realised": int(chosen.size), "exiled": int(exiled[chosen].sum()), "pool": int(pool.size),
            "pool_women": int(female[pool].sum()), "pool_older": int(older[pool].sum()),
            "women": int(female[chosen].sum()), "older": int(older[chosen].sum())})
    died = rec & (death <= exit_day) & (death <= as_of)
    exit_day = np.where(died, death, exit_day)
    released = exit_day <= as_of
    status = np.where(~rec, 2, np.where(released, 1, 0))  # 0 active, 1 former, 2 np
    sentenced = verdict <= as_of
    # verdict after a wave release or death -> never sentenced in the record
    sentenced &= verdict < np.where(wave_of >= 0, exit_day, NO_DATE)
    sentenced &= ~(died & (verdict >= death))

    # --- true stock by month end (recognised base records in custody)
    ends = np.array([_days(m + pd.offsets.MonthEnd(0)) for m in months], dtype=np.int64)
    ends = np.minimum(ends, as_of)
    det_r, exit_r = np.sort(det[rec]), np.sort(exit_day[rec])
    stock = np.searchsorted(det_r, ends, side="right") - np.searchsorted(exit_r, ends, side="right")

    # ------------------------------------------------------------------ text rendering
    width = max(6, len(str(N)))
    pnum = [f"{x:0{width}d}" for x in person.tolist()]
    name = np.array([f"{NAME_RU} {x}" for x in pnum], dtype=object)
    url = np.array([URL_BASE + x for x in pnum], dtype=object)
    status_txt = np.array(["active", "former", "np"])[status].astype(object)
    gender = np.where(female, "female", "male").astype(object)
    cap = rng.random(N) < p.gender_capitalised_prob
    gender[cap] = np.where(female[cap], "Female", "Male")

    birthday, f_birth = _render_dates(rng, birth, np.ones(N, bool), p.birthday_form_probs, p.dmy_zero_pad_prob)
    arrested, f_arr = _render_dates(rng, det, np.ones(N, bool), p.date_form_probs, p.dmy_zero_pad_prob)
    verdict_txt, f_ver = _render_dates(rng, verdict, sentenced, p.date_form_probs, p.dmy_zero_pad_prob)
    rel_known = released & ~died & (rng.random(N) >= p.release_missing_prob)
    release_txt, f_rel = _render_dates(rng, exit_day, rel_known, p.date_form_probs, p.dmy_zero_pad_prob)

    # articles
    codes = {f: (list(p.family_codes[f]), np.array(list(p.family_codes[f].values()), float)) for f in FAMILIES}
    code_list = sorted({c for f in FAMILIES for c in p.family_codes[f]})
    code1 = np.zeros(N, dtype=np.int64)
    code2 = np.zeros(N, dtype=np.int64)
    second = rng.random(N) < p.second_article_prob
    u1, u2 = rng.random(N), rng.random(N)
    for i, f in enumerate(FAMILIES):
        lab, pr = codes[f]
        cdf = np.cumsum(pr / pr.sum())
        sel = fam == i
        a = np.minimum(np.searchsorted(cdf, u1[sel], side="right"), len(lab) - 1)
        # second code: the next code of the same family (different from the first when possible)
        b = (a + 1 + np.floor(u2[sel] * max(len(lab) - 1, 1)).astype(int)) % len(lab)
        lab_idx = np.array([code_list.index(c) for c in lab])
        code1[sel] = lab_idx[a]
        code2[sel] = lab_idx[b]
    second &= code1 != code2
    parts_p = {int(k): v for k, v in p.part_probs.items()}
    part_vals = np.array(list(parts_p))
    part1 = part_vals[_choice(rng, parts_p, N)]
    part2 = part_vals[_choice(rng, parts_p, N)]
    a_form = _choice(rng, p.article_form_probs, N)
    dash = rng.random(N) < p.en_dash_prob
    newline = rng.random(N) < p.article_newline_prob
    art1 = _article_text(code1, code_list, part1, a_form, dash)
    art2 = _article_text(code2, code_list, part2, a_form, dash)
    articles = np.where(second, np.where(newline, art1 + "\n" + art2, art1 + "; " + art2), art1).astype(object)

    # sentence and penalty
    s_form = _choice(rng, p.sentence_form_probs, N)
    m_int = np.nan_to_num(months_sent).astype(np.int64)
    decision = np.full(N, "", dtype=object)
    uniq = {(int(m), int(f)) for m, f in zip(m_int[sentenced], s_form[sentenced])}
    lut = {(m, f): _term_text(m, SENTENCE_FORMS[f]) for m, f in uniq if m > 0}
    term = sentenced & (ptype != PENALTY_TYPES.index("fine"))
    decision[term] = [lut[(m, f)] for m, f in zip(m_int[term], s_form[term])]
    is_fine = sentenced & (ptype == PENALTY_TYPES.index("fine"))
    decision[is_fine] = "штраф"
    penalty = np.where(sentenced, np.array([PENALTY_RU[t] for t in PENALTY_TYPES], dtype=object)[ptype], "")
    s_form_used = np.where(term, np.where((SENTENCE_FORMS.index("ru_decimal") == s_form) & ~((m_int % 12 == 6) & (m_int >= 12)),
                                          SENTENCE_FORMS.index("ru"), s_form), -1)

    # prison cell
    prison = np.full(N, "", dtype=object)
    u_pr = rng.random(N)
    fac_pre = _facility_text(rng, PRE_TRIAL, N)
    fac_col = _facility_text(rng, COLONIES, N)
    fac_open = _facility_text(rng, OPEN_TYPE, N)
    facility = np.where(~sentenced, fac_pre, np.where(ptype == 1, fac_open, fac_col))
    marker_i = rng.integers(0, len(RELEASED_MARKERS_M), N)
    marker = np.where(female, np.array(RELEASED_MARKERS_F, dtype=object)[marker_i],
                      np.array(RELEASED_MARKERS_M, dtype=object)[marker_i])
    active = status == 0
    prison[active] = facility[active]
    former = (status == 1) & ~died
    prison[former & (u_pr < 0.7)] = marker[former & (u_pr < 0.7)]
    prison[former & (u_pr >= 0.7) & (u_pr < 0.9)] = facility[former & (u_pr >= 0.7) & (u_pr < 0.9)]
    prison[died] = facility[died]
    isnp = status == 2
    prison[isnp & (u_pr < 0.2)] = "неизвестно"
    prison[isnp & (u_pr >= 0.2) & (u_pr < 0.35)] = facility[isnp & (u_pr >= 0.2) & (u_pr < 0.35)]
    np_marker = isnp & released & (u_pr >= 0.35) & (u_pr < 0.5)
    prison[np_marker] = marker[np_marker]

    # description (free text)
    description = np.full(N, "", dtype=object)
    plain = rng.random(N) < p.description_prob
    description[plain] = "Синтетическая запись: описание дела."
    in_wave = wave_of >= 0
    wave_dates = np.array([_days(w["date"]) for w in p.waves] or [0], dtype=np.int64)
    wd = _iso(wave_dates[np.maximum(wave_of, 0)])
    freed = np.where(female, "Освобождена", "Освобождён").astype(object)
    description[in_wave] = freed[in_wave] + " " + wd[in_wave] + " по помилованию."
    ex = in_wave & exiled
    description[ex] = freed[ex] + " " + wd[ex] + " по помилованию; вывезен(а) за пределы Беларуси."
    description[died] = np.where(female[died], "Умерла в заключении.", "Умер в заключении.")

    declaration = _lookup(rng.integers(100_000, 130_000, N), lambda k: f"https://spring96.org/ru/news/{k}")
    declaration[~rec] = ""
    judge = _lookup(rng.integers(1, 400, N), lambda k: f"Синтетический Судья {k:04d}")
    judge[~sentenced] = ""
    counsel = _lookup(rng.integers(1, 900, N), lambda k: f"Синтетический Адвокат {k:04d}")
    counsel[rng.random(N) >= p.counsel_prob] = ""
    pstart = np.where(term & (rng.random(N) < 0.5), _iso(det), "").astype(object)
    appeal = verdict + rng.integers(30, 120, N)
    appeal_txt = np.where(sentenced & (appeal <= as_of) & (rng.random(N) < 0.3), _iso(appeal), "").astype(object)
    ftl_p = np.where(fam == FAMILIES.index("extremism"), p.fake_terrorist_prob["extremism"],
                     p.fake_terrorist_prob["other_families"])
    ftl = np.where(rec & (rng.random(N) < ftl_p), "1", "").astype(object)
    died_txt = np.where(died, "1", "").astype(object)
    clusters = np.array(list(p.region_shares), dtype=object)[region]

    # ids: unique random numbers, rows finally sorted by id
    n_ids = N + sz["near_duplicate"]
    ids = np.sort(rng.choice(np.arange(1, 3 * n_ids + 1000), size=n_ids, replace=False))
    ids = rng.permutation(ids)
    rec_id = ids[:N]

    df = pd.DataFrame({
        "id": rec_id.astype(str).astype(object), "url": url, "name": name, "status": status_txt, "gender": gender,
        "photo": "", "description": description, "birthday": birthday, "arrested": arrested,
        "articles": articles, "prison": prison, "declaration": declaration, "decision": decision,
        "penalty": penalty, "judge": judge, "councel": counsel, "penalty_start_date": pstart,
        "release_date": release_txt, "verdict_date": verdict_txt, "appeal_date": appeal_txt,
        "fake_terrorist_list": ftl, "died": died_txt, "clusters": clusters,
    }, columns=list(MACHINE_COLUMNS))

    # ------------------------------------------------------------------ malformed rows and duplicates
    in_place = [k for k in MALFORMED_KINDS if k not in ("exact_duplicate", "near_duplicate")]
    n_kind = {k: max(1, int(round(p.malformed_rates[k] * n))) for k in in_place}
    n_kind.update({k: sz[k] for k in ("exact_duplicate", "near_duplicate")})
    busy = np.zeros(N, bool)
    busy[re_rows] = True
    busy[linked] = True
    free = np.flatnonzero(~busy)
    total = sum(n_kind.values())
    if total > free.size:
        raise UsageError(f"n={n} too small for {total} malformed/duplicate rows")
    chosen_rows = rng.choice(free, size=total, replace=False)
    by_kind, pos = {}, 0
    for k in MALFORMED_KINDS:
        by_kind[k] = np.sort(chosen_rows[pos:pos + n_kind[k]])
        pos += n_kind[k]
    near_src = by_kind["near_duplicate"]
    exact_src = by_kind["exact_duplicate"]
    clean_copy_near = df.iloc[near_src].copy()
    clean_copy_exact = df.iloc[exact_src].copy()

    r = by_kind["release_before_detention"]
    df.loc[r, "arrested"] = _iso(det[r])
    df.loc[r, "release_date"] = _iso(det[r] - rng.integers(30, 400, r.size))
    r = by_kind["unparseable_date"]
    df.loc[r, "arrested"] = np.array(UNPARSEABLE_DATES, dtype=object)[rng.integers(0, len(UNPARSEABLE_DATES), r.size)]
    r = by_kind["missing_status"]
    df.loc[r, "status"] = ""
    r = by_kind["future_date"]
    df.loc[r, "arrested"] = _iso(as_of + rng.integers(30, 700, r.size))
    df.loc[r, ["release_date", "verdict_date", "penalty_start_date", "appeal_date"]] = ""
    r = by_kind["garbage_article"]
    df.loc[r, "articles"] = np.array(GARBAGE_ARTICLES, dtype=object)[rng.integers(0, len(GARBAGE_ARTICLES), r.size)]
    r = by_kind["formula_description"]
    df.loc[r, "description"] = FORMULA_TEXT

    # near duplicates: same person entered twice (new id and url, same name + day-precision birthday)
    near = clean_copy_near
    near_ids = ids[N:]
    near["id"] = near_ids.astype(str).astype(object)
    near["url"] = (near["url"] + "-2").to_numpy()
    b_iso = _iso(birth[near_src])
    near["birthday"] = b_iso
    df.loc[near_src, "birthday"] = b_iso
    near["arrested"] = _iso(det[near_src])  # re-typed in another form
    out = pd.concat([df, near, clean_copy_exact], ignore_index=True)
    order = np.argsort(out["id"].astype(np.int64).to_numpy(), kind="stable")
    out = out.iloc[order].reset_index(drop=True)

    # ------------------------------------------------------------------ truth
    rec_ids = rec_id.astype(np.int64)
    fam_counts = np.bincount(fam, minlength=len(FAMILIES))
    sent_q = {}
    for i, f in enumerate(FAMILIES):
        sel = term & (fam == i) & (ptype == 0)
        sent_q[f] = _quantiles(months_sent[sel].astype(float))
    exit_type = np.where(died, "died", np.where(~released, "still_held",
                         np.where(wave_of >= 0, "early_release", "sentence_served")))
    malformed = {k: {"count": int(len(by_kind[k])), "column": MALFORMED_KINDS[k],
                     "ids": sorted(int(x) for x in rec_ids[by_kind[k]])} for k in MALFORMED_KINDS}
    malformed["near_duplicate"]["ids"] = sorted(int(x) for x in near_ids)
    malformed["near_duplicate"]["source_ids"] = {str(int(a)): int(b) for a, b in zip(near_ids, rec_ids[near_src])}
    status_rows = out["status"].value_counts().to_dict()
    truth = {
        "stamp": SYNTHETIC_STAMP,
        "seed": int(seed),
        "n": int(len(out)),
        "n_records": int(N),
        "n_recognised_records": int(R),
        "scale": round(float(scale), 6),
        "layout": "machine",
        "status_counts_records": {s: int(np.sum(status == i)) for i, s in enumerate(("active", "former", "np"))},
        "status_counts_rows": {str(k): int(v) for k, v in sorted(status_rows.items())},
        "women_share_records": round(float(female.mean()), 6),
        "women_share_recognised": round(float(female[rec].mean()), 6),
        "women_share_active": round(float(female[status == 0].mean()), 6) if np.any(status == 0) else None,
        "article_family_counts": {f: int(c) for f, c in zip(FAMILIES, fam_counts)},
        "article_family_shares": {f: round(float(c / N), 6) for f, c in zip(FAMILIES, fam_counts)},
        "penalty_type_counts": {t: int(np.sum(ptype == i)) for i, t in enumerate(PENALTY_TYPES)},
        "sentenced_records": int(sentenced.sum()),
        "sentence_quantiles_by_family": sent_q,
        "sentence_quantiles_note": "true months of imprisonment (not restricted/fine) for records sentenced by as_of",
        "malformed": malformed,
        "malformed_rows_total": int(sum(v["count"] for v in malformed.values())),
        "wave_selection": {
            "model": "within a wave the k released are the first k of independent exponential clocks with "
                     "rate hr_female^female * hr_older^older among recognised people in custody",
            "hazard_ratio_female": p.hr_female, "hazard_ratio_older": p.hr_older,
            "older_definition": f"age at detention >= {p.older_age:g} (birthday to arrested)"},
        "waves": wave_truth,
        "wave_released_total": int(sum(w["realised"] for w in wave_truth)),
        "exiled_total": int(exiled.sum()),
        "deaths": int(died.sum()),
        "death_ids": sorted(int(x) for x in rec_ids[died]),
        "exit_type_counts": {k: int(np.sum(exit_type[rec] == k)) for k in
                             ("still_held", "sentence_served", "early_release", "died")},
        "stock_by_month": {m: int(s) for m, s in zip(p.months, stock)},
        "stock_target_by_month": {m: round(float(t) * scale, 3) for m, t in zip(p.months, p.stock_target)},
        "stock_as_of": int(np.sum(rec & (det <= as_of) & (exit_day > as_of))),
        "true_duplicate_ids": sorted({int(x) for x in rec_ids[exact_src]} | {int(x) for x in near_ids}),
        "rearrests": {str(int(a)): int(b) for a, b in zip(rec_ids[re_rows], rec_ids[linked])},
        "text_forms": {
            "arrested": _counts(f_arr, list(p.date_form_probs)),
            "verdict_date": _counts(f_ver, list(p.date_form_probs)),
            "release_date": _counts(f_rel, list(p.date_form_probs)),
            "birthday": _counts(f_birth, list(p.birthday_form_probs)),
            "articles": _counts(a_form, ARTICLE_FORMS),
            "articles_multi": int(second.sum()),
            "articles_en_dash": int(np.sum(dash & np.isin(code1, [i for i, c in enumerate(code_list) if "-" in c]))),
            "decision": _counts(s_form_used, SENTENCE_FORMS),
            "note": "counts over base records before malformed edits and duplicate rows",
        },
        "params": p.to_dict(),
    }
    return out, truth


# ------------------------------------------------------------------------------------------ layouts / writers
def to_layout(df: pd.DataFrame, layout: str) -> pd.DataFrame:
    """Machine export -> localized label layout (`ru` or `en`); `machine` returns a copy.

    Status and gender become text (gendered Russian status forms); names become ``Synthetic Person …``
    in `en`; penalties and release markers are translated in `en`. The np label
    (``Преследование задокументировано`` / ``Repression documented``) is OUR wording: the localized
    label of np is not documented.
    """
    if layout == "machine":
        return df.copy()
    if layout not in LAYOUT_LABELS:
        raise UsageError(f"unknown layout {layout!r}; use one of {', '.join(LAYOUTS)}")
    fem = df["gender"].str.lower().eq("female")
    st = df["status"]
    if layout == "ru":
        status = np.select([st.eq("active") & ~fem, st.eq("active") & fem, st.eq("former") & ~fem,
                            st.eq("former") & fem, st.eq("np")],
                           ["Политзаключенный", "Политзаключенная", "Бывший политзаключенный",
                            "Бывшая политзаключённая", "Преследование задокументировано"], default="")
        gender = np.where(fem, "Женщина", "Мужчина")
        name, judge, penalty, prison = df["name"], df["judge"], df["penalty"], df["prison"]
    else:
        status = np.select([st.eq("active"), st.eq("former"), st.eq("np")],
                           ["Political prisoner", "Former political prisoner", "Repression documented"], default="")
        gender = np.where(fem, "Female", "Male")
        name = df["name"].str.replace(NAME_RU, NAME_EN, regex=False)
        judge = df["judge"].str.replace("Синтетический Судья", "Synthetic Judge", regex=False)
        penalty = df["penalty"].replace({v: PENALTY_EN[k] for k, v in PENALTY_RU.items()})
        prison = df["prison"].replace({m: "released" for m in RELEASED_MARKERS_M + RELEASED_MARKERS_F})
    source = {"name": name, "status": pd.Series(status, index=df.index), "gender": pd.Series(gender, index=df.index),
              "judge": judge, "penalty": penalty, "prison": prison}
    out = pd.DataFrame(index=df.index)
    for label, col in LAYOUT_LABELS[layout].items():
        out[label] = "" if not col else source.get(col, df[col] if col else "")
    return out.astype(object)


def export_bytes(df: pd.DataFrame, fmt: str = "csv") -> bytes:
    """Deterministic bytes of the export: UTF-8 CSV (minimal quoting; multi-line cells quoted) or XLSX."""
    if fmt == "csv":
        return df.to_csv(index=False, lineterminator="\n").encode("utf-8")
    if fmt == "xlsx":
        return _xlsx_bytes(df)
    raise UsageError(f"unknown format {fmt!r}; use csv or xlsx")


def _xlsx_bytes(df: pd.DataFrame) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("export")
    ws.append(list(df.columns))
    def text_cell(v: str) -> object:
        c = WriteOnlyCell(ws, value=v)
        c.data_type = "s"  # text, never a formula
        return c

    for row in df.itertuples(index=False, name=None):
        ws.append([text_cell(v) if v[:1] == "=" else v for v in row])
    raw = io.BytesIO()
    wb.save(raw)
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as zin, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in sorted(zin.infolist(), key=lambda i: i.filename):
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2026-03-31T00:00:00Z", data)
            zi = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, data)
    return fixed.getvalue()


def truth_json(truth: dict) -> str:
    return json.dumps(truth, ensure_ascii=False, sort_keys=True, indent=1, default=_json_default) + "\n"


def layout_truth(truth: dict, layout: str) -> dict:
    """Truth adjusted to a layout: malformed kinds whose column the layout lacks count 0 there."""
    t = json.loads(truth_json(truth))
    t["layout"] = layout
    if layout != "machine":
        kept = set(LAYOUT_LABELS[layout].values())
        for kind, info in t["malformed"].items():
            if info["column"] != "*" and info["column"] not in kept:
                info["count"], info["ids"], info["note"] = 0, [], f"column {info['column']} not in the {layout} layout"
        t["malformed_rows_total"] = sum(v["count"] for v in t["malformed"].values())
        t["ids_note"] = "localized layouts have no id column: ids refer to the machine export of the same seed"
    return t


def write_export(df: pd.DataFrame, truth: dict, out: str | Path, layout: str = "machine", fmt: str = "csv") -> tuple[Path, Path]:
    """Write the export (in `layout`, `fmt`) and ``<out>.truth.json`` beside it."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(export_bytes(to_layout(df, layout), fmt))
    truth_path = out.with_name(out.name + ".truth.json")
    truth_path.write_text(truth_json(layout_truth(truth, layout)), encoding="utf-8")
    return out, truth_path


# ------------------------------------------------------------------------------------------ CLI
def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m analysis synth", add_help=False,
        description="Write a synthetic person-level export shaped like Viasna's list export, plus "
                    "PATH.truth.json with the true parameters and realised truths.")
    ap.add_argument("--n", type=int, default=None, help="rows (default: calibrated size)")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    ap.add_argument("--out", required=True, help="output file (.csv or .xlsx)")
    ap.add_argument("--layout", choices=LAYOUTS, default="machine", help="header layout (default machine)")
    ap.add_argument("--format", choices=FORMATS, default=None, help="csv or xlsx (default: from --out suffix)")
    ap.add_argument("-h", "--help", action="store_true", help="show this help")
    return ap


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = _parser()
    if "-h" in argv or "--help" in argv:
        print(SYNTHETIC_STAMP)
        ap.print_help()
        return 0
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:  # argparse already printed the problem
        raise UsageError("invalid arguments to synth (see --help)") from exc
    if args.n is not None and args.n < 1:
        raise UsageError("--n must be a positive number of rows")
    fmt = args.format or ("xlsx" if Path(args.out).suffix.lower() == ".xlsx" else "csv")
    params = default_params()
    df, truth = generate(params, n=args.n, seed=args.seed)
    out, truth_path = write_export(df, truth, args.out, layout=args.layout, fmt=fmt)
    print(f"{SYNTHETIC_STAMP}: wrote {len(df)} rows ({args.layout}, {fmt}) to {out} and truth to {truth_path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
