"""analysis.clean.articles: parse_articles (every documented form), FAMILIES, article_family, has_article.

Row invariant (the same for all three parsers):
  * missing input (NA/empty/blank) or an unknown marker -> codes, parts, n_articles NA and error NA;
  * any other input -> EXACTLY ONE of
      (a) parsed: codes and n_articles set (parts optional: NA when no part is stated), error NA;
      (b) failed: codes, parts, n_articles NA, error a non-empty str.
Plus: codes are distinct, normalised and in numeric order; n_articles == number of codes; every
code in `parts` is in `codes`; and parsing the `codes` output again gives the same codes
(idempotence; the same for `parts`).
"""

from __future__ import annotations

import string

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.clean import is_unknown, normalise_text
from analysis.clean.articles import (
    ARTICLE_MAX, FAMILIES, FAMILY_PRIORITY, OTHER, article_family, has_article, normalise_code, parse_articles,
)

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COLUMNS = ["codes", "parts", "n_articles", "error"]

# (raw, codes, parts, error)
CASES = [
    # ru
    ("ст. 342", "342", None, None),
    ("ст.342", "342", None, None),
    ("ст 342", "342", None, None),
    ("ст. 342 УК", "342", None, None),
    ("ст. 342 Уголовного кодекса", "342", None, None),
    ("статья 342", "342", None, None),
    ("Статья 342 УК РБ", "342", None, None),
    ("ч. 2 ст. 339", "339", "339:2", None),
    ("ч.2 ст.339", "339", "339:2", None),
    ("ч.1 ст.361-1 УК", "361-1", "361-1:1", None),
    ("часть 2 статьи 339", "339", "339:2", None),
    ("ст. 339 ч. 2", "339", "339:2", None),
    ("ст.ст. 342, 130", "130;342", None, None),
    ("ст. ст. 342, 130", "130;342", None, None),
    ("ст. 342 и 130", "130;342", None, None),
    # be
    ("арт. 342", "342", None, None),
    ("арт.342 КК", "342", None, None),
    ("артыкул 342", "342", None, None),
    ("ч. 2 арт. 339", "339", "339:2", None),
    ("частка 2 арт. 339", "339", "339:2", None),
    # en
    ("Art. 342 of the Criminal Code", "342", None, None),
    ("Art 342", "342", None, None),
    ("Article 130", "130", None, None),
    ("article 130-1", "130-1", None, None),
    ("Part 2 of Art. 339 of the Criminal Code", "339", "339:2", None),
    ("part 1 of article 342", "342", "342:1", None),
    ("Art. 339, Part 2", "339", "339:2", None),
    ("Arts. 342 and 130", "130;342", None, None),
    # several per cell: newline, ";", ","; descriptions after a dash
    ("ч. 2 ст. 339\nст. 342", "339;342", "339:2", None),
    ("Art. 342 of the Criminal Code\nArt. 130 of the Criminal Code", "130;342", None, None),
    ("ст. 342; ст. 130", "130;342", None, None),
    ("ст. 342, ст. 130", "130;342", None, None),
    ("ст. 342, ч. 2 ст. 130", "130;342", "130:2", None),
    ("Art. 342 of the Criminal Code — Organisation and preparation of actions grossly violating public order",
     "342", None, None),
    ("ч.1 ст.342 УК — Организация и подготовка действий, грубо нарушающих общественный порядок; ч.1 ст.130 УК",
     "130;342", "130:1;342:1", None),
    ("ст. 342 – участие в массовых акциях", "342", None, None),
    # sub-articles: hyphen, en dash, em dash, minus, superscript -> "361-4"
    ("ст. 361-4", "361-4", None, None),
    ("ст. 361–4", "361-4", None, None),
    ("ст. 361—4", "361-4", None, None),
    ("ст. 361\u22124", "361-4", None, None),
    ("ст. 361¹", "361-1", None, None),
    ("ч. 1 ст. 361–1; ч. 1 ст. 361-1", "361-1", "361-1:1", None),  # duplicate after normalising
    ("ст. 130, ст. 342, ст. 130", "130;342", None, None),
    ("ст. 411, ст. 93, ст. 342", "93;342;411", None, None),  # numeric, not lexical, order
    ("ч. 1 ст. 342, ч. 2 ст. 342", "342", "342:1;342:2", None),
    ("ст. 342 УК, ст. 24.23 КоАП", "342", None, None),  # administrative article skipped
    # bare codes (and the output format itself)
    ("342", "342", None, None),
    ("342;361-1", "342;361-1", None, None),
    ("361-1;342", "342;361-1", None, None),
    ("361–4", "361-4", None, None),
    ("342, 130 УК", "130;342", None, None),
    ("339:2;342:1", "339;342", "339:2;342:1", None),
    ("  ст.  342  ", "342", None, None),
    # errors
    ("released", None, None, "no recognisable article"),
    ("ст. ???", None, None, "no recognisable article"),
    ("ч. ст. УК", None, None, "no recognisable article"),
    ("Art. XYZ", None, None, "no recognisable article"),
    ("#REF!", None, None, "no recognisable article"),
    ("342 — организация", None, None, "no recognisable article"),
    ("ст. 999", None, None, f"article 999 outside 1..{ARTICLE_MAX}"),
    ("ст. 471", None, None, f"article 471 outside 1..{ARTICLE_MAX}"),
    ("ст. 0", None, None, f"article 0 outside 1..{ARTICLE_MAX}"),
    ("ст. 342, ст. 999", None, None, f"article 999 outside 1..{ARTICLE_MAX}"),  # no partial lists
    ("ст. 361-12", None, None, "invalid sub-article 361-12 (suffix must be 1..9)"),
    ("ст. 361-0", None, None, "invalid sub-article 361-0 (suffix must be 1..9)"),
    ("ч. 12 ст. 342", None, None, "part 12 of article 342 outside 1..9"),
    ("ст. 24.23 КоАП", None, None, "administrative-code article only (not Criminal Code)"),
    ("2025", None, None, f"article 2025 outside 1..{ARTICLE_MAX}"),
    # missing / unknown
    ("unknown", None, None, None),
    ("неизвестно", None, None, None),
    ("невядома", None, None, None),
    ("—", None, None, None),
    ("-", None, None, None),
    ("n/a", None, None, None),
    ("", None, None, None),
    (" \n ", None, None, None),
    (None, None, None, None),
    (np.nan, None, None, None),
]


def _eq(got, expected) -> bool:
    return pd.isna(got) if expected is None else got == expected


@pytest.mark.parametrize("raw, codes, parts, error", CASES, ids=[repr(c[0]) for c in CASES])
def test_forms(raw, codes, parts, error):
    got = parse_articles(pd.Series([raw], dtype=object)).iloc[0]
    assert _eq(got["codes"], codes), got.to_dict()
    assert _eq(got["parts"], parts), got.to_dict()
    assert _eq(got["error"], error), got.to_dict()
    n = None if codes is None else len(codes.split(";"))
    assert _eq(got["n_articles"], n)


def test_batch_equals_cases():
    raw = pd.Series([c[0] for c in CASES], dtype=object)
    got = parse_articles(raw)
    assert [None if pd.isna(v) else v for v in got["codes"]] == [c[1] for c in CASES]
    assert [None if pd.isna(v) else v for v in got["error"]] == [c[3] for c in CASES]


def test_output_columns_and_dtypes():
    got = parse_articles(pd.Series(["ст. 342", "x", None]))
    assert list(got.columns) == COLUMNS
    assert str(got["n_articles"].dtype) == "Int64"
    assert all(got[c].dtype == object for c in ("codes", "parts", "error"))
    empty = parse_articles(pd.Series([], dtype=object))
    assert empty.empty and list(empty.columns) == COLUMNS and str(empty["n_articles"].dtype) == "Int64"


def test_index_alignment():
    s = pd.Series(["ст. 342", None, "x", "ст. 342", "ч. 2 ст. 339"], index=[10, 3, 3, "k", -1])
    got = parse_articles(s)
    assert got.index.equals(s.index)
    assert got["codes"].tolist()[0] == "342" and got["codes"].iloc[3] == "342"
    assert got["parts"].iloc[4] == "339:2" and got["error"].iloc[2] == "no recognisable article"
    order = [4, 2, 0, 3, 1]
    assert parse_articles(s.iloc[order]).equals(got.iloc[order])


def test_many_rows_vectorised():
    """200k rows of repeated values (the shape of real exports) come back aligned (no timing assert)."""
    values = ["ч. 1 ст. 342 УК", "ст. 361–1; ст. 130", "Art. 342 of the Criminal Code\nArt. 130 of the Criminal Code",
              "ч.2 ст.339", "342;361-4", None, "#REF!", "unknown"]
    s = pd.Series(np.tile(np.array(values, dtype=object), 25_000))
    got = parse_articles(s)
    assert len(got) == len(s) and got.index.equals(s.index)
    assert (got["codes"].iloc[1::8] == "130;361-1").all()
    assert (got["error"].iloc[6::8] == "no recognisable article").all()
    assert got["codes"].notna().sum() == 5 * 25_000


# ------------------------------------------------------------------------------- families
def test_families_constant():
    assert FAMILY_PRIORITY == list(FAMILIES) and FAMILY_PRIORITY[-1] == OTHER and FAMILIES[OTHER] == []
    codes = [c for fam in FAMILIES.values() for c in fam]
    assert len(codes) == len(set(codes)), "a code in two families"
    for code in codes:  # every listed code is a valid normalised code
        assert parse_articles(pd.Series([code]))["codes"].iloc[0] == code
    assert {"342", "293"} <= set(FAMILIES["protest"])
    assert {"361-1", "361-4", "130"} <= set(FAMILIES["extremism"])
    assert {"363", "364"} == set(FAMILIES["violence_against_police"])
    assert FAMILIES["prison_disobedience"] == ["411"]


@pytest.mark.parametrize("codes, family", [
    ("342", "protest"),
    ("293", "protest"),
    ("342;361-1", "extremism"),  # extremism outranks protest
    ("130", "extremism"),
    ("361-4", "extremism"),
    ("356", "treason_terrorism"),
    ("342;356", "treason_terrorism"),
    ("364", "violence_against_police"),
    ("368;369", "insult_of_officials"),
    ("342;411", "protest"),  # 411 is a secondary charge: lowest priority
    ("411", "prison_disobedience"),
    ("203-1", "personal_data"),
    ("339", "hooliganism_property"),
    ("191", "other"),
    ("191;342", "protest"),
    ("361–1", "extremism"),  # loosely typed codes are normalised
    (None, None),
    ("", None),
])
def test_article_family(codes, family):
    got = article_family(pd.Series([codes], dtype=object, index=[7]))
    assert got.index.tolist() == [7]
    assert _eq(got.iloc[0], family)


def test_article_family_and_has_article_keep_index():
    codes = pd.Series(["342;411", None, "411-1", "361-1;411", "342"], index=list("abcde"))
    fam = article_family(codes)
    assert fam.index.equals(codes.index) and fam.dtype == object
    assert fam.tolist()[:1] == ["protest"] and pd.isna(fam["b"])
    got = has_article(codes, "411")
    assert got.dtype == bool and got.index.equals(codes.index)
    assert got.tolist() == [True, False, False, True, False]
    assert has_article(codes, "361–1").tolist() == [False, False, False, True, False]
    assert has_article(codes, "ст. 411").tolist() == got.tolist()


def test_normalise_code():
    assert normalise_code("361–4") == "361-4"
    assert normalise_code("ст. 361-4") == "361-4"
    assert normalise_code("361¹") == "361-1"
    assert normalise_code("0342") == "342"
    assert normalise_code("abc") == "abc"


# ----------------------------------------------------------------------------- properties
def _na(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def _missing_like(s: pd.Series) -> list[bool]:
    t = normalise_text(s.astype(object).map(lambda v: v if isinstance(v, str) else None))
    return (t.isna() | is_unknown(t)).tolist()


def _check(s: pd.Series, got: pd.DataFrame) -> None:
    assert got.index.equals(s.index) and list(got.columns) == COLUMNS
    rows = zip(_missing_like(s), got["codes"].tolist(), got["parts"].tolist(), got["n_articles"].tolist(),
               got["error"].tolist())
    for missing, codes, parts, n, error in rows:
        if missing:
            assert _na(codes) and _na(parts) and _na(n) and _na(error), "missing input must give NA, no error"
        elif _na(codes):
            assert _na(parts) and _na(n), "partial value beside an error"
            assert isinstance(error, str) and error, "non-empty input gave NA without a reason"
        else:
            assert _na(error), "a value and an error together"
            items = codes.split(";")
            assert len(items) == n == len(set(items))
            keys = [(int(c.split("-")[0]), int(c.split("-")[1]) if "-" in c else 0) for c in items]
            assert keys == sorted(keys)
            assert all(1 <= k[0] <= ARTICLE_MAX and 0 <= k[1] <= 9 for k in keys)
            if not _na(parts):
                assert {x.split(":")[0] for x in parts.split(";")} <= set(items)
    # idempotence: codes -> codes, parts -> parts
    again = parse_articles(got["codes"])
    assert again["codes"].equals(got["codes"]) and again["error"].isna().all()
    with_parts = got["parts"].dropna()
    if len(with_parts):
        assert parse_articles(with_parts)["parts"].equals(with_parts)


CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіўАБВГДЕЖЗІЎМ"
MIXED = st.text(alphabet=string.digits * 3 + CYRILLIC + string.ascii_letters + " .,-–—:;\n()¹'", max_size=40)
TOKENS = st.lists(st.sampled_from(
    ["ст.", "ст", "ч.", "арт.", "Art.", "Part", "of", "статья", "ст.ст.", " ", " ", ", ", "; ", "\n", "и", "and",
     "342", "361", "-1", "–4", "—", "0", "999", "12", "2", ".23", "УК", "КоАП", "of the Criminal Code", ":", "¹",
     "unknown", "года"]), max_size=10).map("".join)
CELLS = st.one_of(st.none(), st.just(np.nan), st.text(max_size=40), MIXED, TOKENS)


@SETTINGS
@given(st.lists(CELLS, max_size=25), st.randoms(use_true_random=False))
def test_never_raises_and_invariant(cells, rnd):
    index = list(range(len(cells)))
    rnd.shuffle(index)
    s = pd.Series(cells, index=index, dtype=object)
    got = parse_articles(s)
    _check(s, got)
    if len(s):  # batch (distinct values) == a value alone
        assert parse_articles(s.iloc[[-1]]).equals(got.iloc[[-1]])
    fam = article_family(got["codes"])
    assert fam.index.equals(s.index)
    assert (fam.notna() == got["codes"].notna()).all() and fam.dropna().isin(FAMILY_PRIORITY).all()


VALID_CODES = st.builds(lambda n, sub: f"{n}-{sub}" if sub else str(n),
                        st.integers(1, ARTICLE_MAX), st.one_of(st.just(0), st.integers(1, 9)))


@SETTINGS
@given(st.lists(st.tuples(VALID_CODES, st.one_of(st.none(), st.integers(1, 9)),
                          st.sampled_from(["ru", "ru_after", "be", "en", "en_of", "bare"]),
                          st.sampled_from(["-", "–", "—"])), min_size=1, max_size=4),
       st.sampled_from(["\n", "; ", ", "]))
def test_round_trip_generated_cells(mentions, sep):
    """A cell written from known (code, part) mentions in any language parses back to them."""
    texts, expected_codes, expected_parts = [], set(), set()
    for code, part, form, dash in mentions:
        typed = code.replace("-", dash)
        if form == "bare":
            part = None
        texts.append({
            "ru": f"ч. {part} ст. {typed} УК" if part else f"ст. {typed} УК",
            "ru_after": f"ст. {typed} ч. {part}" if part else f"статья {typed}",
            "be": f"ч. {part} арт. {typed}" if part else f"арт. {typed}",
            "en": f"Part {part} of Art. {typed} of the Criminal Code" if part else f"Art. {typed} of the Criminal Code",
            "en_of": f"Art. {typed}, Part {part}" if part else f"Article {typed}",
            "bare": f"ст. {typed}",
        }[form])
        expected_codes.add(code)
        if part:
            expected_parts.add(f"{code}:{part}")
    got = parse_articles(pd.Series([sep.join(texts)])).iloc[0]
    assert pd.isna(got["error"]), (texts, got.to_dict())
    assert set(got["codes"].split(";")) == expected_codes
    assert set(got["parts"].split(";") if isinstance(got["parts"], str) else []) == expected_parts
