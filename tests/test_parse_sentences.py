"""analysis.clean.sentences.parse_sentences: every documented form, penalty column, regimes, invariants.

Row invariant (the same shape as for dates and articles):
  * sentence and penalty both missing/unknown, or the sentence only says "no sentence yet"
    (PENDING_PATTERN) and no penalty is given -> every parsed column NA and error NA;
  * otherwise EXACTLY ONE of
      (a) parsed: penalty_type set (sentence_months set when a term is stated; NA for fine/life/death;
          regime optional), error NA;
      (b) failed: sentence_months, penalty_type, regime all NA; error a non-empty str.
Plus: a term is > 0 and <= MAX_TERM_MONTHS; fines, life and death never carry a term.
"""

from __future__ import annotations

import re
import string

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.clean import is_unknown, normalise_text
from analysis.clean.sentences import MAX_TERM_MONTHS, PENALTY_TYPES, PENDING_PATTERN, REGIMES, parse_sentences

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COLUMNS = ["sentence_months", "penalty_type", "regime", "error"]

IMP, RF = "imprisonment", "restricted_freedom"
# (sentence, penalty, months, penalty_type, regime, error)
CASES = [
    # ru terms
    ("2 года", None, 24, IMP, None, None),
    ("1 год", None, 12, IMP, None, None),
    ("5 лет", None, 60, IMP, None, None),
    ("1 год 6 месяцев", None, 18, IMP, None, None),
    ("3 года 6 мес.", None, 42, IMP, None, None),
    ("3 г. 6 мес.", None, 42, IMP, None, None),
    ("2,5 года", None, 30, IMP, None, None),
    ("6 месяцев", None, 6, IMP, None, None),
    ("полтора года", None, 18, IMP, None, None),
    ("к 3 годам и 6 месяцам лишения свободы", None, 42, IMP, None, None),
    ("2 года лишения свободы", None, 24, IMP, None, None),
    ("2-х лет", None, 24, IMP, None, None),
    # en terms
    ("2 years", None, 24, IMP, None, None),
    ("1 year 6 months", None, 18, IMP, None, None),
    ("2.5 years", None, 30, IMP, None, None),
    ("4 1/2 years", None, 54, IMP, None, None),
    ("4½ years", None, 54, IMP, None, None),
    ("6 months", None, 6, IMP, None, None),
    ("1 year and 6 months of imprisonment", None, 18, IMP, None, None),
    # be terms
    ("2 гады", None, 24, IMP, None, None),
    ("3 гады", None, 36, IMP, None, None),
    ("5 гадоў", None, 60, IMP, None, None),
    ("1 год 6 месяцаў", None, 18, IMP, None, None),
    ("3 гады пазбаўлення волі", None, 36, IMP, None, None),
    # fines: no term, not an error
    ("штраф", None, None, "fine", None, None),
    ("Штраф", None, None, "fine", None, None),
    ("штраф 100 базовых величин", None, None, "fine", None, None),
    ("fine", None, None, "fine", None, None),
    ("2 года лишения свободы и штраф", None, 24, IMP, None, None),  # fine as additional punishment
    # restricted freedom
    ("ограничение свободы", None, None, RF, None, None),
    ("2 года ограничения свободы (с направлением в исправительное учреждение открытого типа)",
     None, 24, RF, "open", None),
    ("2 года ограничения свободы без направления в исправительное учреждение открытого типа", None, 24, RF, None, None),
    ("2 года ограничения свободы с направлением в ИУОТ", None, 24, RF, "open", None),
    ("3 года ограничения свободы без направления", None, 36, RF, None, None),
    ("restricted freedom", None, None, RF, None, None),
    ("3 years of restricted freedom without referral", None, 36, RF, None, None),
    ("2 years of restricted freedom with referral to an open-type institution", None, 24, RF, "open", None),
    ("2 гады абмежавання волі", None, 24, RF, None, None),
    ("3 года химии", None, 36, RF, None, None),
    # life and death
    ("пожизненное", None, None, "life", None, None),
    ("пожизненное лишение свободы", None, None, "life", None, None),
    ("life imprisonment", None, None, "life", None, None),
    ("пажыццёвае зняволенне", None, None, "life", None, None),
    ("смертная казнь", None, None, "death", None, None),
    ("death penalty", None, None, "death", None, None),
    # regimes
    ("3 года колонии общего режима", None, 36, IMP, "general", None),
    ("5 лет в колонии усиленного режима", None, 60, IMP, "enhanced", None),
    ("4 года в ИК усиленного режима", None, 48, IMP, "enhanced", None),
    ("4 года колонии строгого режима", None, 48, IMP, "strict", None),
    ("10 лет колонии особого режима", None, 120, IMP, "special", None),
    ("6 лет тюрьмы", None, 72, IMP, "prison", None),
    ("8 лет, первые 3 года в тюрьме, остальные в колонии строгого режима", None, 96, IMP, "prison", None),
    ("2 years in a general regime colony", None, 24, IMP, "general", None),
    ("3 years, strict regime", None, 36, IMP, "strict", None),
    ("5 years in a high-security colony", None, 60, IMP, "strict", None),
    ("5 years in a maximum-security colony", None, 60, IMP, "special", None),
    ("3 гады калоніі ўзмоцненага рэжыму", None, 36, IMP, "enhanced", None),
    ("3 гады калоніі узмоцненага рэжыму", None, 36, IMP, "enhanced", None),
    ("2 гады ў калоніі агульнага рэжыму", None, 24, IMP, "general", None),
    # penalty column decides the type
    ("2 года", "лишение свободы", 24, IMP, None, None),
    ("2 года", "Лишение свободы", 24, IMP, None, None),
    ("2 года", "imprisonment", 24, IMP, None, None),
    ("2 года", "позбаўленне волі", 24, IMP, None, None),
    ("2 года", "ограничение свободы", 24, RF, None, None),
    ("2 года", "restricted freedom", 24, RF, None, None),
    ("2 года", "абмежаванне волі", 24, RF, None, None),
    ("штраф", "штраф", None, "fine", None, None),
    (None, "штраф", None, "fine", None, None),
    (None, "fine", None, "fine", None, None),
    ("unknown", "лишение свободы", None, IMP, None, None),
    ("пожизненное", "лишение свободы", None, "life", None, None),
    ("2 года колонии строгого режима", "лишение свободы", 24, IMP, "strict", None),
    ("2 года", "лишение свободы в колонии общего режима", 24, IMP, "general", None),
    ("2 года", "unknown", 24, IMP, None, None),
    # suspended / other penalties
    ("3 года лишения свободы с отсрочкой исполнения приговора на 2 года", None, 36, "other", None, None),
    ("2 года условно", None, 24, "other", None, None),
    ("2 года", "лишение свободы с отсрочкой", 24, "other", None, None),
    ("3 месяца ареста", None, 3, "other", None, None),
    ("2 года исправительных работ", None, 24, "other", None, None),
    ("принудительные меры безопасности и лечения", None, None, "other", None, None),
    ("3 года лишения свободы с лишением права занимать должности", None, 36, IMP, None, None),
    # errors
    ("released", None, None, None, None, "no term or penalty recognised"),
    ("2", None, None, None, None, "no term or penalty recognised"),
    ("0 лет", None, None, None, None, "zero term"),
    ("2025 года", None, None, None, None, f"term over {MAX_TERM_MONTHS // 12} years"),
    ("10 суток", None, None, None, None, "term in days is not supported"),
    ("5 лет (3 года и 2 года)", None, None, None, None, "several terms in one sentence"),
    ("1 3/0 years", None, None, None, None, "invalid fraction"),
    ("2 года", "штраф", None, None, None, "a term is given for a penalty without a term"),
    ("25 лет", "пожизненное", None, None, None, "a term is given for a penalty without a term"),
    ("штраф", "лишение свободы", None, None, None, "penalty 'imprisonment' contradicts sentence text ('fine')"),
    ("2 года ограничения свободы", "лишение свободы", None, None, None,
     "penalty 'imprisonment' contradicts sentence text ('restricted_freedom')"),
    ("2 года", "xyz", None, None, None, "penalty not recognised"),
    ("освобождена в зале суда", "лишение свободы", None, None, None, "no term or penalty recognised"),
    ("лишение свободы", "пожизненное заключение", None, "life", None, None),
    # missing / unknown / nothing yet
    ("unknown", None, None, None, None, None),
    ("неизвестно", None, None, None, None, None),
    ("невядома", None, None, None, None, None),
    ("—", None, None, None, None, None),
    ("n/a", None, None, None, None, None),
    ("", "", None, None, None, None),
    (None, None, None, None, None, None),
    (np.nan, np.nan, None, None, None, None),
    ("ожидает суда", None, None, None, None, None),
    ("awaiting trial", None, None, None, None, None),
]


def _eq(got, expected) -> bool:
    return pd.isna(got) if expected is None else got == expected


@pytest.mark.parametrize("sentence, penalty, months, ptype, regime, error", CASES,
                         ids=[f"{c[0]!r}|{c[1]!r}" for c in CASES])
def test_forms(sentence, penalty, months, ptype, regime, error):
    got = parse_sentences(pd.Series([sentence], dtype=object), pd.Series([penalty], dtype=object)).iloc[0]
    assert _eq(got["sentence_months"], months), got.to_dict()
    assert _eq(got["penalty_type"], ptype), got.to_dict()
    assert _eq(got["regime"], regime), got.to_dict()
    assert _eq(got["error"], error), got.to_dict()


def test_batch_equals_cases_and_penalty_is_optional():
    sen = pd.Series([c[0] for c in CASES], dtype=object)
    pen = pd.Series([c[1] for c in CASES], dtype=object)
    got = parse_sentences(sen, pen)
    assert [None if pd.isna(v) else v for v in got["penalty_type"]] == [c[3] for c in CASES]
    assert [None if pd.isna(v) else v for v in got["error"]] == [c[5] for c in CASES]
    without = parse_sentences(sen)
    no_pen = pen.isna().to_numpy()
    assert without[no_pen].equals(got[no_pen])


def test_output_columns_and_dtypes():
    got = parse_sentences(pd.Series(["2 года", "x", None]))
    assert list(got.columns) == COLUMNS
    assert got["sentence_months"].dtype == np.float64
    assert all(got[c].dtype == object for c in ("penalty_type", "regime", "error"))
    empty = parse_sentences(pd.Series([], dtype=object))
    assert empty.empty and list(empty.columns) == COLUMNS


def test_index_alignment():
    sen = pd.Series(["2 года", None, "x", "штраф", "1 год"], index=["r1", "r2", "r2", 5, "r0"])
    pen = pd.Series(["лишение свободы", "штраф", None, None, "ограничение свободы"], index=sen.index)
    got = parse_sentences(sen, pen)
    assert got.index.equals(sen.index)
    assert got["penalty_type"].tolist()[:2] == [IMP, "fine"]
    assert got["penalty_type"].iloc[4] == RF and got["sentence_months"].iloc[4] == 12
    order = [4, 2, 0, 3, 1]
    assert parse_sentences(sen.iloc[order], pen.iloc[order]).equals(got.iloc[order])
    # a penalty Series with another (unique) index is aligned on labels
    s2 = pd.Series(["2 года", "2 года"], index=[1, 2])
    p2 = pd.Series(["ограничение свободы", "лишение свободы"], index=[2, 1])
    assert parse_sentences(s2, p2)["penalty_type"].tolist() == [IMP, RF]


def test_many_rows_vectorised():
    """200k rows of repeated values (the shape of real exports) come back aligned (no timing assert)."""
    values = ["2 года", "1 год 6 месяцев", "штраф", "3 года колонии усиленного режима", None, "unknown", "released",
              "2,5 года"]
    pens = ["лишение свободы", None, "штраф", None, None, "лишение свободы", None, "лишение свободы"]
    sen = pd.Series(np.tile(np.array(values, dtype=object), 25_000))
    pen = pd.Series(np.tile(np.array(pens, dtype=object), 25_000))
    got = parse_sentences(sen, pen)
    assert len(got) == len(sen) and got.index.equals(sen.index)
    assert (got["sentence_months"].iloc[3::8] == 36).all() and (got["regime"].iloc[3::8] == "enhanced").all()
    assert (got["penalty_type"].iloc[5::8] == IMP).all()
    assert (got["error"].iloc[6::8] == "no term or penalty recognised").all()


# ----------------------------------------------------------------------------- properties
_PENDING = re.compile(PENDING_PATTERN)


def _na(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def _normalised(values: pd.Series) -> pd.Series:
    return normalise_text(values.astype(object).map(lambda v: v if isinstance(v, str) else None))


def _missing_like(values: pd.Series) -> list[bool]:
    t = _normalised(values)
    return (t.isna() | is_unknown(t)).tolist()


def _check(sen: pd.Series, pen: pd.Series, got: pd.DataFrame) -> None:
    assert got.index.equals(sen.index) and list(got.columns) == COLUMNS
    pending = [isinstance(v, str) and _PENDING.search(v) is not None for v in _normalised(sen)]
    rows = zip(_missing_like(sen), _missing_like(pen), pending, got["sentence_months"].tolist(),
               got["penalty_type"].tolist(), got["regime"].tolist(), got["error"].tolist())
    for sen_missing, pen_missing, pend, months, ptype, regime, error in rows:
        if sen_missing and pen_missing:
            assert _na(months) and _na(ptype) and _na(regime) and _na(error), "missing input: NA, no error"
        elif _na(ptype):
            assert _na(months) and _na(regime), "partial value beside an error"
            assert (isinstance(error, str) and error) or (pend and pen_missing), "NA without a reason"
        else:
            assert _na(error), "a value and an error together"
            assert ptype in PENALTY_TYPES and (_na(regime) or regime in REGIMES)
            assert _na(months) or 0 < months <= MAX_TERM_MONTHS
            assert ptype not in ("fine", "life", "death") or _na(months)


CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіўАБВГДЕЖЗІЎМ"
MIXED = st.text(alphabet=string.digits * 3 + CYRILLIC + string.ascii_letters + " .,-/½()\n", max_size=40)
TOKENS = st.lists(st.sampled_from(
    ["2", "1", "0", "25", "2,5", "4 1/2", "1/0", " ", " ", "года", "год", "лет", "гады", "гадоў", "месяцев", "мес.",
     "месяцаў", "years", "year", "months", "суток", "штраф", "fine", "лишения свободы", "ограничения свободы",
     "restricted freedom", "пожизненное", "смертная казнь", "колонии", "общего режима", "строгого режима",
     "усиленного режима", "тюрьме", "первые", "с отсрочкой", "условно", "ареста", "unknown", "ожидает суда", ","]),
    max_size=8).map(" ".join)
CELLS = st.one_of(st.none(), st.just(np.nan), st.text(max_size=40), MIXED, TOKENS)
PENALTIES = st.one_of(st.none(), st.text(max_size=15), st.sampled_from(
    ["лишение свободы", "ограничение свободы", "штраф", "imprisonment", "fine", "позбаўленне волі", "unknown", "", "xyz"]))


@SETTINGS
@given(st.lists(st.tuples(CELLS, PENALTIES), max_size=25), st.randoms(use_true_random=False))
def test_never_raises_and_invariant(rows, rnd):
    index = list(range(len(rows)))
    rnd.shuffle(index)
    sen = pd.Series([r[0] for r in rows], index=index, dtype=object)
    pen = pd.Series([r[1] for r in rows], index=index, dtype=object)
    got = parse_sentences(sen, pen)
    _check(sen, pen, got)
    if len(sen):  # batch (distinct pairs) == a pair alone
        assert parse_sentences(sen.iloc[[-1]], pen.iloc[[-1]]).equals(got.iloc[[-1]])


UNITS = {
    "ru": (lambda y: {1: "год", 2: "года", 3: "года", 4: "года"}.get(y, "лет"),
           lambda m: {1: "месяц", 2: "месяца", 3: "месяца", 4: "месяца"}.get(m, "месяцев")),
    "be": (lambda y: {1: "год", 2: "гады", 3: "гады", 4: "гады"}.get(y, "гадоў"),
           lambda m: {1: "месяц", 2: "месяцы", 3: "месяцы", 4: "месяцы"}.get(m, "месяцаў")),
    "en": (lambda y: "year" if y == 1 else "years", lambda m: "month" if m == 1 else "months"),
}


@SETTINGS
@given(st.integers(0, 25), st.integers(0, 11), st.sampled_from(sorted(UNITS)),
       st.sampled_from([None, "general", "strict", "special"]), st.booleans())
def test_round_trip_generated_terms(years, months, lang, regime, restricted):
    """A term written in ru/be/en (with an optional regime or restricted freedom) parses back."""
    if years == 0 and months == 0:
        months = 6
    y_word, m_word = UNITS[lang]
    parts = ([f"{years} {y_word(years)}"] if years else []) + ([f"{months} {m_word(months)}"] if months else [])
    text = " ".join(parts)
    if restricted:
        text += {"ru": " ограничения свободы", "be": " абмежавання волі", "en": " of restricted freedom"}[lang]
    elif regime:
        text += {"ru": {"general": " колонии общего режима", "strict": " колонии строгого режима",
                        "special": " колонии особого режима"},
                 "be": {"general": " калоніі агульнага рэжыму", "strict": " калоніі строгага рэжыму",
                        "special": " калоніі асаблівага рэжыму"},
                 "en": {"general": " in a general regime colony", "strict": " in a strict regime colony",
                        "special": " in a special regime colony"}}[lang][regime]
    got = parse_sentences(pd.Series([text])).iloc[0]
    assert pd.isna(got["error"]), (text, got.to_dict())
    assert got["sentence_months"] == years * 12 + months, text
    assert got["penalty_type"] == (RF if restricted else IMP), text
    assert _eq(got["regime"], None if restricted else regime), text
