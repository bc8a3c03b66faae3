"""Parameters and fixed vocabularies of the synthetic generator; every parameter cites its source."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field

import numpy as np


MACHINE_COLUMNS: tuple[str, ...] = (
    "id", "url", "name", "status", "gender", "photo", "description", "birthday", "arrested", "articles",
    "prison", "declaration", "decision", "penalty", "judge", "councel", "penalty_start_date",
    "release_date", "verdict_date", "appeal_date", "fake_terrorist_list", "died", "clusters",
)
# Localized label layouts (docs/VIASNA_EXPORT_FORMAT.md §2): label -> machine column ("" = always empty).
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
# Reserved top-level domain .invalid (RFC 2606): these addresses can never resolve to a real page.
URL_BASE = "https://prisoners.synthetic.invalid/ru/person/synthetic-"
DECLARATION_BASE = "https://news.synthetic.invalid/ru/news/"
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

REAL_EXPORT_ROWS = {"active": 889, "former": 3953, "np": 3854}  # export of 2026-08-30, docs/VIASNA_EXPORT_FORMAT.md §4
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
        "real export profile of 2026-08-30: np 3,854 of 8,696 rows (docs/VIASNA_EXPORT_FORMAT.md §4)"))
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
        metadata=_src("ILLUSTRATIVE frequencies of the date forms listed in docs/VIASNA_EXPORT_FORMAT.md §3"))
    birthday_form_probs: dict = field(default_factory=lambda: {
        "iso": 0.75, "dmy": 0.15, "year": 0.05, "empty": 0.05}, metadata=_src("ILLUSTRATIVE"))
    dmy_zero_pad_prob: float = field(default=0.5, metadata=_src("'12.05.2021' vs '12.5.2021'"))
    release_missing_prob: float = field(default=0.1, metadata=_src(
        "ILLUSTRATIVE: former records without a release date (the prison cell may still say released)"))
    article_form_probs: dict = field(default_factory=lambda: {
        "ru_part": 0.35, "ru": 0.25, "ru_code": 0.08, "be": 0.1, "en_part": 0.12, "en": 0.1},
        metadata=_src("ILLUSTRATIVE frequencies of the article forms of docs/VIASNA_EXPORT_FORMAT.md §3"))
    article_newline_prob: float = field(default=0.5, metadata=_src("joiner of several articles: newline vs '; '"))
    en_dash_prob: float = field(default=0.2, metadata=_src("'361–1' (en dash) instead of '361-1'"))
    sentence_form_probs: dict = field(default_factory=lambda: {
        "ru": 0.75, "ru_decimal": 0.08, "be": 0.07, "en": 0.10}, metadata=_src(
        "ILLUSTRATIVE; ru_decimal ('2,5 года') only where the term is a whole number of half-years, "
        "otherwise it falls back to ru"))
    gender_capitalised_prob: float = field(default=0.02, metadata=_src("'Male' instead of 'male' (docs/VIASNA_EXPORT_FORMAT.md §1)"))
    late_recognition_share: float = field(default=0.0, metadata=_src(
        "OPTION (0 = off, the default build): share of recognised records recognised LATE, i.e. a lognormal "
        "lag after detention; the others are recognised within `prompt_recognition_max_days`. With it on, the "
        "export gets a `recognised_date` column (our addition: Viasna's export has no recognition date) and "
        "records recognised after `as_of` are listed as np"))
    recognition_lag_median_days: float = field(default=270.0, metadata=_src(
        "ILLUSTRATIVE median lag of late recognition (Viasna's monthly recognitions include people detained "
        "months or years earlier)"))
    recognition_lag_sigma: float = field(default=0.8, metadata=_src("ILLUSTRATIVE lognormal log-sd of the late lag"))
    prompt_recognition_max_days: int = field(default=60, metadata=_src(
        "ILLUSTRATIVE: a prompt recognition comes uniformly 0..60 days after detention"))
    region_shares: dict = field(default_factory=lambda: {
        "Minsk": 0.45, "Minsk region": 0.09, "Brest": 0.09, "Gomel": 0.1, "Grodno": 0.09, "Mogilev": 0.08,
        "Vitebsk": 0.1}, metadata=_src("ILLUSTRATIVE; `clusters` holds a place label (docs/VIASNA_EXPORT_FORMAT.md §1)"))
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
