"""Parse messy date cells (Viasna export: ISO, day-first numeric, month names in ru/be/en) with precision.

``parse_dates(s, today=None)`` returns, on the index of ``s``:

==========  ================  ==========================================================
column      dtype             meaning
==========  ================  ==========================================================
date        datetime64[ns]    the date; first day of the month/year for coarser precision
precision   object (str/NaN)  ``day``, ``month`` or ``year``
error       object (str/NaN)  why the value could not be used; NaN when parsed or missing
==========  ================  ==========================================================

Accepted forms (case-insensitive, any whitespace; a trailing ``г.``/``г``/``года``/``год``/``г.р.``
is ignored; datetime/date objects and integral numbers from spreadsheets are read as their text):

* day:   ``YYYY-MM-DD`` (optionally followed by a time and zone, dropped), ``D.M.YYYY``, ``D/M/YYYY``,
  ``D-M-YYYY`` (always day first, same separator twice), ``12 мая 2025``, ``2 января 2026``,
  ``12 траўня 2025``, ``29 September 2026``, ``September 29, 2026``;
* month: ``YYYY-MM``, ``MM.YYYY`` (also ``MM/YYYY``, ``MM-YYYY``), ``april 2026``, ``май 2025``,
  ``красавік 2025``;
* year:  ``YYYY``.

Missing values and the markers in ``analysis.clean.UNKNOWN_MARKERS`` give NA without an error.
Errors: ``not a date``, ``two-digit year is ambiguous``, ``year outside 1900..2100``,
``invalid month``, ``invalid calendar date``, ``date in the future`` (only when ``today`` is given;
a month/year value counts as future when its first day is after ``today``). No day is ever invented
beyond "first day of the stated period".
"""

from __future__ import annotations

import datetime as _dt
import re

import numpy as np
import pandas as pd

from analysis.clean import is_unknown_value, normalise_value, parse_unique

__all__ = ["MONTHS", "YEAR_MIN", "YEAR_MAX", "parse_dates"]

YEAR_MIN, YEAR_MAX = 1900, 2100

_RU = [
    # nominative, genitive, prepositional, abbreviations
    ("январь", "января", "январе", "янв"),
    ("февраль", "февраля", "феврале", "фев", "февр"),
    ("март", "марта", "марте", "мар"),
    ("апрель", "апреля", "апреле", "апр"),
    ("май", "мая", "мае"),
    ("июнь", "июня", "июне", "июн"),
    ("июль", "июля", "июле", "июл"),
    ("август", "августа", "августе", "авг"),
    ("сентябрь", "сентября", "сентябре", "сен", "сент"),
    ("октябрь", "октября", "октябре", "окт"),
    ("ноябрь", "ноября", "ноябре", "ноя", "нояб"),
    ("декабрь", "декабря", "декабре", "дек"),
]
_BE = [
    # nominative, genitive, locative
    ("студзень", "студзеня", "студзені"),
    ("люты", "лютага", "лютым"),
    ("сакавік", "сакавіка", "сакавіку"),
    ("красавік", "красавіка", "красавіку"),
    ("травень", "траўня", "траўні"),
    ("чэрвень", "чэрвеня", "чэрвені"),
    ("ліпень", "ліпеня", "ліпені"),
    ("жнівень", "жніўня", "жніўні"),
    ("верасень", "верасня", "верасні"),
    ("кастрычнік", "кастрычніка", "кастрычніку"),
    ("лістапад", "лістапада", "лістападзе"),
    ("снежань", "снежня", "снежні"),
]
_EN = [
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec"),
]

# Month name (lower case; ru/be/en; nominative, genitive, locative and common abbreviations) -> 1..12.
MONTHS: dict[str, int] = {
    name: number
    for table in (_RU, _BE, _EN)
    for number, names in enumerate(table, start=1)
    for name in names
}
# Lookup also tolerates a Latin "i" typed for Belarusian "і" and "у" typed for "ў".
_MONTH_LOOKUP: dict[str, int] = {
    **{k.replace("і", "i"): v for k, v in MONTHS.items()},
    **{k.replace("ў", "у"): v for k, v in MONTHS.items() if k.replace("ў", "у") not in MONTHS},
    **MONTHS,
}

_W = r"[a-zа-яіў']+"  # a month word (after normalisation: lower case, ё -> е)
# Alternatives of one anchored pattern, tried in order; group names say role and alternative
# (y0 = year of alternative 0). Python's re does not allow a name twice, hence the numbering.
_FORMS: list[tuple[str, str]] = [
    ("day", r"(?P<y0>\d{4})-(?P<m0>\d{1,2})-(?P<d0>\d{1,2})"
            r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?"),  # time (and zone) dropped
    ("day", r"(?P<d1>\d{1,2})(?P<sep1>[./-])(?P<m1>\d{1,2})(?P=sep1)(?P<y1>\d{4})"),
    ("day", rf"(?P<d2>\d{{1,2}}) ?(?P<w2>{_W}),? ?(?P<y2>\d{{4}})"),
    ("day", rf"(?P<w3>{_W}) (?P<d3>\d{{1,2}}),? (?P<y3>\d{{4}})"),
    ("month", r"(?P<y4>\d{4})-(?P<m4>\d{1,2})"),
    ("month", r"(?P<m5>\d{1,2})[./-](?P<y5>\d{4})"),
    ("month", rf"(?P<w6>{_W}),? ?(?P<y6>\d{{4}})"),
    ("year", r"(?P<y7>\d{4})"),
]
_YEAR_WORD = r"(?:\s*(?:г\.?\s?р|г\.?|года|год|гг\.?))?"  # "2025 г.", "12 мая 2025 года", "1990 г.р."
_DATE = re.compile("^(?:" + "|".join(f"(?:{body})" for _, body in _FORMS) + ")" + _YEAR_WORD + "$", re.ASCII)
_GROUPS = [tuple(_DATE.groupindex.get(f"{role}{k}") for role in "ymdw") for k in range(len(_FORMS))]
_TWO_DIGIT_YEAR = re.compile(r"^\d{1,2}([./-])\d{1,2}\1\d{2}(?:\s*(?:г\.?|года))?$", re.ASCII)

_COLUMNS = {"date": "datetime64[ns]", "precision": "object", "error": "object"}
_NAT = None
_EPOCH = _dt.date(1970, 1, 1).toordinal()


def parse_dates(s: pd.Series, today: pd.Timestamp | None = None) -> pd.DataFrame:
    """Parse date cells into ``date``/``precision``/``error`` (see module docstring).

    Never raises on cell contents. ``today`` (anything ``pd.Timestamp`` accepts; time of day ignored)
    turns dates after that day into the error ``date in the future``."""
    out = parse_unique(s, _parse_one, _COLUMNS)
    if today is not None:
        limit = pd.Timestamp(today)  # a bad `today` is a programming error and raises
        if pd.isna(limit):
            raise ValueError(f"today must be a date, got {today!r}")
        limit = (limit.tz_localize(None) if limit.tzinfo is not None else limit).normalize()
        future = (out["date"] > limit).to_numpy()
        if future.any():
            out.loc[future, "error"] = "date in the future"
            out.loc[future, "precision"] = np.nan
            out.loc[future, "date"] = pd.NaT
    return out


def _parse_one(raw: str) -> tuple:
    """(date, precision, error) of one distinct raw text."""
    if len(raw) == 10 and raw[4] == "-" == raw[7] and raw.isascii() and (raw[:4] + raw[5:7] + raw[8:]).isdigit():
        return _ymd(int(raw[:4]), int(raw[5:7]), int(raw[8:]), "day")  # fast path: the machine export's form
    t = normalise_value(raw)
    if t is None or is_unknown_value(t):
        return (_NAT, None, None)
    found = _DATE.match(t)
    if found is None:
        return (_NAT, None, "two-digit year is ambiguous" if _TWO_DIGIT_YEAR.match(t) else "not a date")
    for k, (gy, gm, gd, gw) in enumerate(_GROUPS):
        if found.group(gy) is not None:
            break
    precision = _FORMS[k][0]
    year = int(found.group(gy))
    if gw is not None:
        month = _MONTH_LOOKUP.get(found.group(gw))
        if month is None:
            return (_NAT, None, "not a date")
    else:
        month = int(found.group(gm)) if gm is not None else 1
    day = int(found.group(gd)) if gd is not None else 1
    return _ymd(year, month, day, precision)


def _ymd(year: int, month: int, day: int, precision: str) -> tuple:
    if not YEAR_MIN <= year <= YEAR_MAX:
        return (_NAT, None, f"year outside {YEAR_MIN}..{YEAR_MAX}")
    if not 1 <= month <= 12:
        return (_NAT, None, "invalid month")
    try:
        date = _dt.date(year, month, day)
    except ValueError:
        return (_NAT, None, "invalid calendar date")
    return (date.toordinal() - _EPOCH, precision, None)
