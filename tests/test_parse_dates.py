"""analysis.clean.dates.parse_dates: every documented form, errors, invariants, index alignment.

Row invariant (the same for all three parsers):
  * missing input (NA/empty/blank) or an unknown marker -> every parsed column NA and error NA;
  * any other input -> EXACTLY ONE of
      (a) parsed: date and precision set, error NA;
      (b) failed: date and precision NA, error a non-empty str.
  A non-empty, non-unknown cell therefore never comes back "all NA without a reason", and a reason
  never comes with a (partial) value.
"""

from __future__ import annotations

import datetime as dt
import string

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.clean import is_unknown, normalise_text
from analysis.clean.dates import MONTHS, YEAR_MAX, YEAR_MIN, parse_dates

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
T = pd.Timestamp

# (raw, expected date or None, expected precision or None, expected error or None)
CASES = [
    # YYYY-MM-DD
    ("2025-05-12", "2025-05-12", "day", None),
    ("2025-5-2", "2025-05-02", "day", None),
    ("2025-05-12 00:00:00", "2025-05-12", "day", None),
    ("2025-05-12T13:45:10", "2025-05-12", "day", None),
    # day first, three separators
    ("12.05.2025", "2025-05-12", "day", None),
    ("2.5.2025", "2025-05-02", "day", None),
    ("1/2/2024", "2024-02-01", "day", None),
    ("12/05/2025", "2025-05-12", "day", None),
    ("3-4-2023", "2023-04-03", "day", None),
    ("12.05.2025 г.", "2025-05-12", "day", None),
    # month precision
    ("2025-05", "2025-05-01", "month", None),
    ("05.2025", "2025-05-01", "month", None),
    ("5/2025", "2025-05-01", "month", None),
    # year precision
    ("2025", "2025-01-01", "year", None),
    ("2025 г.", "2025-01-01", "year", None),
    ("2025 год", "2025-01-01", "year", None),
    # day + month name: ru genitive, be genitive, en; case-insensitive; г./года
    ("12 мая 2025", "2025-05-12", "day", None),
    ("2 января 2026", "2026-01-02", "day", None),
    ("2 ЯНВАРЯ 2026 г.", "2026-01-02", "day", None),
    ("12 мая 2025 года", "2025-05-12", "day", None),
    ("29 September 2026", "2026-09-29", "day", None),
    ("29 september 2026", "2026-09-29", "day", None),
    ("September 29, 2026", "2026-09-29", "day", None),
    ("12 траўня 2025", "2025-05-12", "day", None),
    ("1 студзеня 2024", "2024-01-01", "day", None),
    ("5 жніўня 2021", "2021-08-05", "day", None),
    ("3 февраля 2021", "2021-02-03", "day", None),
    ("15 ліпеня 2022", "2022-07-15", "day", None),  # Latin "i" typed for "і"
    ("31 December 1999", "1999-12-31", "day", None),
    ("1 мая 2025", "2025-05-01", "day", None),
    # month name + year: nominative ru/be/en
    ("april 2026", "2026-04-01", "month", None),
    ("April 2026", "2026-04-01", "month", None),
    ("май 2025", "2025-05-01", "month", None),
    ("Май 2025", "2025-05-01", "month", None),
    ("красавік 2025", "2025-04-01", "month", None),
    ("травень 2025", "2025-05-01", "month", None),
    ("сентябрь 2020 г.", "2020-09-01", "month", None),
    ("мая 2025", "2025-05-01", "month", None),  # genitive without a day
    # whitespace
    ("  2025-05-12  ", "2025-05-12", "day", None),
    ("12\u00a0мая\u00a02025", "2025-05-12", "day", None),
    ("12   мая\n2025", "2025-05-12", "day", None),
    # errors
    ("31.02.2024", None, None, "invalid calendar date"),
    ("29.02.2023", None, None, "invalid calendar date"),
    ("2024-02-30", None, None, "invalid calendar date"),
    ("00.05.2025", None, None, "invalid calendar date"),
    ("13.2025", None, None, "invalid month"),
    ("2025-13", None, None, "invalid month"),
    ("12.13.2025", None, None, "invalid month"),
    ("1899", None, None, f"year outside {YEAR_MIN}..{YEAR_MAX}"),
    ("2101-01-01", None, None, f"year outside {YEAR_MIN}..{YEAR_MAX}"),
    ("12.05.25", None, None, "two-digit year is ambiguous"),
    ("released", None, None, "not a date"),
    ("released 2025", None, None, "not a date"),
    ("12 foo 2025", None, None, "not a date"),
    ("12.05-2025", None, None, "not a date"),
    ("2020-2021", None, None, "not a date"),
    ("весна 2021", None, None, "not a date"),
    # missing and unknown: NA, no error
    ("unknown", None, None, None),
    ("Unknown", None, None, None),
    ("неизвестно", None, None, None),
    ("невядома", None, None, None),
    ("—", None, None, None),
    ("-", None, None, None),
    ("n/a", None, None, None),
    ("N/A", None, None, None),
    ("", None, None, None),
    ("   ", None, None, None),
    (None, None, None, None),
    (np.nan, None, None, None),
]


@pytest.mark.parametrize("raw, date, precision, error", CASES, ids=[repr(c[0]) for c in CASES])
def test_forms(raw, date, precision, error):
    got = parse_dates(pd.Series([raw], dtype=object)).iloc[0]
    assert (pd.NaT if date is None else T(date)) is got["date"] or got["date"] == T(date)
    assert (precision is None and pd.isna(got["precision"])) or got["precision"] == precision
    assert (error is None and pd.isna(got["error"])) or got["error"] == error


def test_all_cases_in_one_batch_match_single_parses():
    raw = pd.Series([c[0] for c in CASES], dtype=object)
    batch = parse_dates(raw)
    for i, (_, date, precision, error) in enumerate(CASES):
        row = batch.iloc[i]
        assert (date is None and pd.isna(row["date"])) or row["date"] == T(date)
        assert (precision is None and pd.isna(row["precision"])) or row["precision"] == precision
        assert (error is None and pd.isna(row["error"])) or row["error"] == error


def test_future_dates_need_today():
    s = pd.Series(["2026-09-29", "2026-09", "2026", "2026-10-01", "2025-01-01"])
    free = parse_dates(s)
    assert free["error"].isna().all()
    got = parse_dates(s, today=T("2026-09-30"))
    assert list(got["error"].fillna("")) == ["", "", "", "date in the future", ""]
    assert got["date"].isna().tolist() == [False, False, False, True, False]
    assert pd.isna(got["precision"].iloc[3])
    # a month/year counts as future only when its first day is after today
    got = parse_dates(pd.Series(["2026-10", "2027"]), today=T("2026-09-30"))
    assert (got["error"] == "date in the future").all()
    # today with a time of day: the whole day is allowed
    assert parse_dates(pd.Series(["2026-09-30"]), today=T("2026-09-30 08:00"))["error"].isna().all()


def test_non_text_cells():
    s = pd.Series([dt.date(2024, 1, 2), dt.datetime(2024, 1, 2, 15, 30), T("2024-01-02"), 2024, 2024.0,
                   pd.NaT, pd.NA, None, 3.5, [1, 2], {"a": 1}], dtype=object)
    got = parse_dates(s)
    assert got["date"].iloc[:3].tolist() == [T("2024-01-02")] * 3
    assert got["precision"].iloc[3:5].tolist() == ["year", "year"]
    assert got.iloc[5:8].isna().all().all()
    assert got["error"].iloc[8:].notna().all()


def test_input_dtypes():
    for s in (pd.Series(["2025", None], dtype="string"), pd.Series(["2025", None], dtype="category"),
              pd.Series(pd.to_datetime(["2025-01-01", None]))):
        got = parse_dates(s)
        assert got["date"].iloc[0] == T("2025-01-01") and got.iloc[1].isna().all()


def test_output_columns_and_dtypes():
    got = parse_dates(pd.Series(["2025", "x", None]))
    assert list(got.columns) == ["date", "precision", "error"]
    assert str(got["date"].dtype) == "datetime64[ns]"
    assert got["precision"].dtype == object and got["error"].dtype == object
    empty = parse_dates(pd.Series([], dtype=object))
    assert empty.empty and list(empty.columns) == ["date", "precision", "error"]
    assert str(empty["date"].dtype) == "datetime64[ns]"


def test_index_alignment():
    s = pd.Series(["2025", None, "x", "2025", "12 мая 2025"], index=["z", "a", "a", 7, (1, 2)])
    got = parse_dates(s)
    assert got.index.equals(s.index)
    assert got["date"].tolist()[0] == T("2025-01-01") and got["date"].iloc[4] == T("2025-05-12")
    assert got["error"].iloc[2] == "not a date"
    shuffled = s.iloc[[4, 2, 0, 3, 1]]
    assert parse_dates(shuffled).equals(got.iloc[[4, 2, 0, 3, 1]])


def test_months_mapping():
    assert MONTHS["мая"] == MONTHS["май"] == MONTHS["may"] == MONTHS["траўня"] == MONTHS["травень"] == 5
    assert MONTHS["студзеня"] == MONTHS["января"] == MONTHS["january"] == 1
    assert MONTHS["снежня"] == MONTHS["декабря"] == MONTHS["december"] == 12
    assert set(MONTHS.values()) == set(range(1, 13))
    assert all(k == k.lower() for k in MONTHS)


def test_many_rows_vectorised():
    """200k rows of repeated values (the shape of real exports) come back aligned (no timing assert)."""
    values = ["2025-05-12", "12.5.2025", "12 мая 2025", None, "unknown", "2024", "05.2025", "released"]
    s = pd.Series(np.tile(np.array(values, dtype=object), 25_000))
    got = parse_dates(s)
    assert len(got) == len(s) and got.index.equals(s.index)
    assert (got["date"].iloc[0::8] == T("2025-05-12")).all()
    assert (got["error"].iloc[7::8] == "not a date").all()
    assert got["date"].notna().sum() == 5 * 25_000


# --------------------------------------------------------------------------------- properties
def _na(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)


def _missing_like(s: pd.Series) -> list[bool]:
    t = normalise_text(s.astype(object).map(lambda v: v if isinstance(v, str) else None))
    return (t.isna() | is_unknown(t)).tolist()


def _check_invariant(s: pd.Series, got: pd.DataFrame) -> None:
    assert got.index.equals(s.index)
    assert list(got.columns) == ["date", "precision", "error"]
    for missing, date, precision, error in zip(_missing_like(s), got["date"].tolist(), got["precision"].tolist(),
                                               got["error"].tolist()):
        if missing:
            assert _na(date) and _na(precision) and _na(error), "missing input must give NA, no error"
        elif _na(date):
            assert _na(precision), "partial value beside an error"
            assert isinstance(error, str) and error, "non-empty input gave NA without a reason"
        else:
            assert _na(error), "a value and an error together"
            assert precision in ("day", "month", "year")
            assert YEAR_MIN <= date.year <= YEAR_MAX
            assert precision == "day" or date.day == 1
            assert precision != "year" or date.month == 1


CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіўАБВГДЕЖЗІЎМ"
MIXED = st.text(alphabet=string.digits * 3 + CYRILLIC + string.ascii_letters + " .,-/–—:;\n\t'\u00a0", max_size=30)
TOKENS = st.lists(st.sampled_from(
    ["12", "2025", "05", "1", "31", "02", "1899", "2101", ".", "/", "-", " ", "мая", "травень", "april",
     "г.", "года", "unknown", "—", "2024-02-29", "0", "13", ",", "T", "00:00"]), max_size=6).map("".join)
CELLS = st.one_of(st.none(), st.just(np.nan), st.text(max_size=30), MIXED, TOKENS)


@SETTINGS
@given(st.lists(CELLS, max_size=25), st.randoms(use_true_random=False))
def test_never_raises_and_invariant(cells, rnd):
    index = list(range(len(cells)))
    rnd.shuffle(index)
    s = pd.Series(cells, index=index, dtype=object)
    got = parse_dates(s, today=T("2026-01-01"))
    _check_invariant(s, got)
    assert (got["date"].dropna() <= T("2026-01-01")).all()
    if len(s):  # batch parsing (distinct values only) equals parsing a value on its own
        assert parse_dates(s.iloc[[-1]], today=T("2026-01-01")).equals(got.iloc[[-1]])


ALL_MONTH_NAMES = sorted(MONTHS)


@SETTINGS
@given(st.dates(dt.date(YEAR_MIN, 1, 1), dt.date(YEAR_MAX, 12, 31)),
       st.sampled_from(["iso", "dot", "slash", "dash", "name"]),
       st.sampled_from(ALL_MONTH_NAMES), st.booleans())
def test_round_trip_day_precision(date, form, name, upper):
    if form == "name":
        names = [k for k, v in MONTHS.items() if v == date.month and len(k) > 3]
        word = names[ALL_MONTH_NAMES.index(name) % len(names)]
        text = f"{date.day} {word.upper() if upper else word} {date.year}"
    else:
        text = {"iso": f"{date:%Y-%m-%d}", "dot": f"{date.day}.{date.month}.{date.year}",
                "slash": f"{date:%d/%m/%Y}", "dash": f"{date.day}-{date.month:02d}-{date.year}"}[form]
    got = parse_dates(pd.Series([text])).iloc[0]
    assert got["date"] == T(date) and got["precision"] == "day" and pd.isna(got["error"]), text
