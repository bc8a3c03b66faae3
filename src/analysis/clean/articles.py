"""Parse Criminal Code article cells (ru/be/en) into normalised codes; group codes into article families.

``parse_articles(s)`` returns, on the index of ``s``:

==========  ==============  ==============================================================
column      dtype           meaning
==========  ==============  ==============================================================
codes       object          distinct normalised codes joined by ``;``, in numeric order
                            (article number, then sub-article): ``93;342;361-1``
parts       object          ``code:part`` for every code stated with a part, same order,
                            joined by ``;`` (``339:2;342:1``); NaN when no part is stated
n_articles  Int64           number of distinct codes
error       object          reason the cell could not be used; NaN when parsed or missing
==========  ==============  ==============================================================

Recognised mentions (case-insensitive; several per cell, separated by newlines, ``;`` or ``,``; any
``— description`` text after a mention is ignored):

* ru ``ст. 342``, ``ст.342 УК``, ``статья 342``, ``ч. 2 ст. 339``, ``ч.1 ст.361-1 УК``, ``ст. 339 ч. 2``,
  lists ``ст.ст. 342, 130`` / ``ст. 342 и 130``;
* be ``арт. 342``, ``артыкул 342``, ``ч. 2 арт. 339``, ``частка 2 арт. 339``;
* en ``Art. 342 of the Criminal Code``, ``Article 130``, ``Part 2 of Art. 339 of the Criminal Code``,
  ``Arts. 342 and 130``;
* a cell that holds only bare codes (``342``, ``342;361-1``, ``342, 130 УК``, optionally ``339:2``)
  — so that parsing the ``codes`` output gives the same codes (idempotence).

Sub-articles may be written with a hyphen, en/em dash, minus or superscript (``361–4``, ``361¹``) and
are normalised to ``361-4``. A code is valid when the article number is in 1..470 and the sub-article
in 1..9; a part must be in 1..9. A cell with any invalid code or part is an error as a whole (codes,
parts and n_articles NA): we never keep a silently shortened list. Decimal numbers after an article
keyword (``ст. 23.34 КоАП``) are Code of Administrative Offences articles, not Criminal Code ones:
they are skipped, and a cell holding only such articles is an error. Text without a recognisable
article is an error; missing/unknown cells give NA without an error.

Article families (``FAMILIES``, ``article_family``)
--------------------------------------------------
``FAMILIES`` groups the codes into families following Viasna's usual grouping of the "political"
articles in its reporting (protest/public order, "extremism", insult of officials, violence against
police, prison disobedience, treason/terrorism, plus personal data and hooliganism/property, which
are frequent in its lists). The grouping is a project CONVENTION, not a legal classification, and
reports by family must say so. ``article_family`` gives each record the family of its highest-priority
code, the priority being the order of ``FAMILIES`` (``FAMILY_PRIORITY``: treason_terrorism >
extremism > protest > violence_against_police > personal_data > insult_of_officials >
hooliganism_property > prison_disobedience > other), i.e. roughly the most serious typical charge
first and 411 (a charge added to people already serving a sentence) last; codes in no family are
``other``. ``has_article(codes, "411")`` flags records with one exact code.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.clean import is_unknown_value, normalise_value, parse_unique

__all__ = [
    "ARTICLE_MIN", "ARTICLE_MAX", "FAMILIES", "FAMILY_PRIORITY", "OTHER",
    "parse_articles", "article_family", "has_article", "normalise_code",
]

ARTICLE_MIN, ARTICLE_MAX = 1, 470
SUB_MAX = 9
PART_MAX = 9

OTHER = "other"
# Article families of the Criminal Code of the Republic of Belarus (1999 Code, as amended).
#
# The grouping follows the way Viasna usually groups the "political" articles in its reporting
# (protest/public order, "extremism", insult of officials, violence against police, prison
# disobedience, treason/terrorism), and is a project CONVENTION, not a legal classification:
# reports must say so and results by family should be read with that in mind.
#
# The order of the dict is the PRIORITY used by `article_family` when a record has codes in several
# families: roughly the most serious typical charge first, the secondary charge of 411 (added to people
# already serving a sentence) last. Any parsed code in no family -> "other".
FAMILIES: dict[str, list[str]] = {
    # 289 terrorism; 290-1 financing of terrorism; 356 treason; 357 conspiracy to seize power;
    # 358 espionage; 358-1 agent activity; 359 act of terrorism (against a state/public figure)
    "treason_terrorism": ["289", "290-1", "356", "357", "358", "358-1", "359"],
    # 130 incitement of hatred; 361 calls against national security; 361-1 creating/joining an
    # "extremist formation"; 361-2 financing; 361-3 taking part in armed formations abroad;
    # 361-4 facilitating "extremist activity"; 361-5 training for "extremist activity"
    "extremism": ["130", "361", "361-1", "361-2", "361-3", "361-4", "361-5"],
    # 293 mass riots; 342 organising/taking part in actions grossly violating public order
    "protest": ["293", "342"],
    # 363 resisting a police officer; 364 violence or threat against a police officer
    "violence_against_police": ["363", "364"],
    # 203-1 unlawful actions with personal data (publishing officers' data)
    "personal_data": ["203-1"],
    # 367 defaming the President; 368 insulting the President; 369 insulting a representative of
    # authority; 369-1 "discrediting the Republic of Belarus"; 370 desecrating state symbols;
    # 391 insulting a judge
    "insult_of_officials": ["367", "368", "369", "369-1", "370", "391"],
    # 218 destroying/damaging property; 339 hooliganism; 341 desecrating buildings, damaging property
    "hooliganism_property": ["218", "339", "341"],
    # 411 malicious disobedience to the administration of a penal institution
    "prison_disobedience": ["411"],
    OTHER: [],
}
FAMILY_PRIORITY: list[str] = list(FAMILIES)

# ---------------------------------------------------------------------------------------------- regex
_CODE = r"[0-9]{1,4}(?:\.[0-9]{1,3})?(?:-[0-9]{1,2})?"
_B = r"(?<![\w])"  # start of a word
_PART_WORD = r"(?:ч(?:асть|асти|астью|асткі|астка|астку|\.)?|part|p\.)"
_KEYWORD = (
    r"(?:ст(?:ать(?:я|и|е|ей|ям|ями)|атей)?\.?(?:\s*ст\.?)?"
    r"|арт(?:ыкул(?:а|у|ам|ы|ах)?)?\.?(?:\s*арт\.?)?"
    r"|art(?:icles?|s)?\.?)"
)
# list items after the first must look like codes, not like "2 года" or "3 episodes"
_NEXT = r"(?=\s*(?:$|[,;)\n(]|и\b|і\b|and\b|&|ук|кк|of\b|уголовн|крымін|criminal|ч\.|part\b|[—–-]\s))"
_LIST_SEP = r"\s*(?:,|;|\bи\b|\bі\b|\band\b|&)\s*"
_MENTION = re.compile(
    rf"(?:{_B}{_PART_WORD}\s*(?P<pre>[0-9]{{1,3}})\s*,?\s*(?:of\s+(?:the\s+)?)?)?"
    rf"{_B}{_KEYWORD}\s*"
    rf"(?P<list>{_CODE}(?![0-9.][0-9])(?:{_LIST_SEP}{_CODE}{_NEXT})*)"
    rf"(?:\s*,?\s*{_B}{_PART_WORD}\s*(?P<post>[0-9]{{1,3}})(?![0-9])(?![ \t]*(?:of\s+(?:the\s+)?)?{_KEYWORD}\s*[0-9]))?"
)
_BARE_ITEM = re.compile(rf"(?P<code>{_CODE})(?::(?P<part>[0-9]{{1,3}}))?")
_CODE_PARTS = re.compile(r"^(?P<num>[0-9]{1,4})(?:\.(?P<dec>[0-9]{1,3}))?(?:-(?P<sub>[0-9]{1,2}))?$")
# a cell of bare codes: "342", "342;361-1", "342, 130 УК", "339:2;342" (criminal-code words allowed)
_CODE_WORDS = (
    r"(?:\s+(?:ук|кк)(?:\s+(?:рб|рэспублікі беларусь|республики беларусь))?"
    r"|\s+(?:of\s+)?(?:the\s+)?criminal code(?:\s+of(?:\s+the)?\s+republic\s+of\s+belarus)?)"
)
_BARE = re.compile(rf"^(?:{_CODE}(?::[0-9]{{1,3}})?)(?:\s*[,;\n]\s*{_CODE}(?::[0-9]{{1,3}})?)*{_CODE_WORDS}?$")

_CODE_WORDS_END = re.compile(_CODE_WORDS + "$")
_LIST_CODE = re.compile(_CODE)

_COLUMNS = {"codes": "object", "parts": "object", "n_articles": "Int64", "error": "object"}


def parse_articles(s: pd.Series) -> pd.DataFrame:
    """Parse article cells into ``codes``/``parts``/``n_articles``/``error`` (see module docstring)."""
    return parse_unique(s, _parse_one, _COLUMNS)


def normalise_code(code: str) -> str:
    """One code as typed (``361–4``, ``ст. 361-4``, ``361¹``) -> normalised ``361-4``; unchanged if not a code."""
    text = normalise_value(code)
    found = re.search(r"[0-9]{1,4}(?:-[0-9]{1,2})?", text) if text else None
    if found is None:
        return code
    num, _, sub = found.group(0).partition("-")
    return f"{int(num)}-{int(sub)}" if sub else str(int(num))


def has_article(codes: pd.Series, code: str) -> pd.Series:
    """True where a ``codes`` string (``342;411``) contains exactly ``code`` (``411`` is not ``411-1``).

    ``code`` may be typed loosely (``361–1``, ``ст. 411``); NA codes give False."""
    wanted = normalise_code(str(code))
    return _map_distinct(codes, lambda v: wanted in _split_codes(v), bool, False).rename(None)


def article_family(codes: pd.Series) -> pd.Series:
    """Family of each ``codes`` string: the first family in ``FAMILY_PRIORITY`` holding any of its codes.

    Parsed codes in no family give ``"other"``; NA/empty codes give NA. Example: ``342;411`` ->
    ``protest``; ``342;361-1`` -> ``extremism``; ``191`` -> ``other``.
    """
    def one(value: object) -> object:
        found = [_FAMILY_RANK.get(c, len(FAMILY_PRIORITY) - 1) for c in _split_codes(value)]
        return FAMILY_PRIORITY[min(found)] if found else np.nan

    return _map_distinct(codes, one, object, np.nan).rename("article_family")


_FAMILY_RANK = {c: i for i, fam in reversed(list(enumerate(FAMILY_PRIORITY))) for c in FAMILIES[fam]}


def _split_codes(value: object) -> list[str]:
    if not isinstance(value, str):
        return []
    return [normalise_code(c) for c in value.split(";") if c.strip()]


def _map_distinct(values: pd.Series, func, dtype, na_value) -> pd.Series:
    """``func`` applied once per distinct value of ``values`` (NA -> ``na_value``); same index."""
    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    codes, uniques = pd.factorize(np.asarray(series, dtype=object), use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:-1] = [func(v) for v in uniques]
    table[-1] = na_value
    out = table[codes]  # code -1 -> last entry
    return pd.Series(out.astype(bool) if dtype is bool else out, index=series.index, dtype=dtype)


# --------------------------------------------------------------------------------------- internals
def _scan(text: str) -> list[tuple[str, str | None]]:
    """(code as written, part or None) for every code in one normalised cell.

    Codes named after an article keyword; only when there is none, a cell of bare codes."""
    items: list[tuple[str, str | None]] = []
    for found in _MENTION.finditer(text):
        codes = _LIST_CODE.findall(found.group("list"))
        pre, post = found.group("pre"), found.group("post")
        for k, code in enumerate(codes):
            # a part before the keyword belongs to the first code, one after the list to the last
            part = pre if k == 0 else None
            if part is None and k == len(codes) - 1:
                part = post
            items.append((code, part))
    if not items and _BARE.match(text):
        items = [(f.group("code"), f.group("part")) for f in _BARE_ITEM.finditer(_CODE_WORDS_END.sub("", text))]
    return items


def _parse_one(raw: str) -> tuple:
    """(codes, parts, n_articles, error) of one distinct raw cell."""
    t = normalise_value(raw, keep_newlines=True)
    if t is None or is_unknown_value(t):
        return (None, None, None, None)
    found: dict[tuple[int, int], set[int]] = {}
    admin = False
    for code, part in _scan(t):
        pieces = _CODE_PARTS.match(code)
        if pieces is None:  # cannot happen with _CODE, kept for safety
            return (None, None, None, f"unreadable article {code}")
        if pieces.group("dec") is not None:  # "23.34": Code of Administrative Offences
            admin = True
            continue
        num = int(pieces.group("num"))
        sub = int(pieces.group("sub")) if pieces.group("sub") is not None else 0
        if not ARTICLE_MIN <= num <= ARTICLE_MAX:
            return (None, None, None, f"article {code} outside {ARTICLE_MIN}..{ARTICLE_MAX}")
        if pieces.group("sub") is not None and not 1 <= sub <= SUB_MAX:
            return (None, None, None, f"invalid sub-article {code} (suffix must be 1..{SUB_MAX})")
        parts = found.setdefault((num, sub), set())
        if part is not None:
            if not 1 <= int(part) <= PART_MAX:
                return (None, None, None, f"part {part} of article {code} outside 1..{PART_MAX}")
            parts.add(int(part))
    if not found:
        reason = "administrative-code article only (not Criminal Code)" if admin else "no recognisable article"
        return (None, None, None, reason)
    keys = sorted(found)
    names = {k: f"{k[0]}-{k[1]}" if k[1] else str(k[0]) for k in keys}
    codes = ";".join(names[k] for k in keys)
    parts = ";".join(f"{names[k]}:{p}" for k in keys for p in sorted(found[k]))
    return (codes, parts or None, len(keys), None)
