"""Parse sentence cells (term, penalty type, colony regime) in ru/be/en.

``parse_sentences(sentence, penalty=None)`` returns, on the index of ``sentence``:

===============  ==============  ===========================================================
column           dtype           meaning
===============  ==============  ===========================================================
sentence_months  float64         term in months (years*12 + months); NaN for fines, life,
                                 death, or when no term is stated
penalty_type     object          ``imprisonment``, ``restricted_freedom``, ``fine``, ``life``,
                                 ``death``, ``other``
regime           object          ``general``, ``enhanced``, ``strict``, ``special``, ``prison``,
                                 ``open`` or NaN when not stated
error            object          reason the cell could not be used; NaN when parsed or missing
===============  ==============  ===========================================================

Terms: ``2 года``, ``1 год 6 месяцев``, ``3 года 6 мес.``, ``2,5 года``, ``полтора года``,
``6 месяцев``, ``к 3 годам``, ``2 гады``, ``5 гадоў``, ``1 год 6 месяцаў``, ``2 years``,
``1 year 6 months``, ``2.5 years``, ``4 1/2 years``. At most one years figure and one months figure:
anything else (``5 лет (3 года по ст. 342 ...)``) is an error, as are terms in days, zero terms and
terms over ``MAX_TERM_MONTHS``. Text after ``первые``/``first`` (``с отбыванием первых 2 лет в
тюрьме``) and after a suspension (``с отсрочкой ... на 2 года``) does not count as a second term.

Penalty type: from ``penalty`` when that cell is given (``лишение свободы``/``imprisonment``/
``позбаўленне волі``, ``ограничение свободы``/``restricted freedom``/``абмежаванне волі``,
``штраф``/``fine``, life, death, other penalties), else from the sentence text, else
``imprisonment`` when a term is given. When a text names several penalties the first of death,
life, restricted freedom, imprisonment, other, fine wins (``_TYPE_PATTERNS``); additional
punishments never decide: ``штраф`` beside a term is an additional fine (the term decides; ``штраф``
alone is a fine, not an error), and deprivation of a right or seizure of property is ignored.
A penalty cell that names no known penalty, or that contradicts the sentence text (penalty ``штраф``
but a 2-year term; ``лишение свободы`` but the sentence says ``ограничение свободы``), is an error: we
do not pick one. Life beside ``лишение свободы`` (either cell) is life. A suspended or deferred sentence
(``условно``, ``с отсрочкой``, ``suspended``) is ``other`` with its nominal term, because nobody is
held; so are arrest, correctional or community work and compulsory treatment (term kept if stated).

Regime (searched in both cells): ``колония общего/усиленного/строгого/особого режима``, ``тюрьма``,
be ``агульнага/узмоцненага/строгага/асаблівага рэжыму``, ``турма``, en ``general/enhanced/strict/special
regime``, ``high-security`` (= strict), ``maximum-security`` (= special), and ``open`` for restricted
freedom with referral to an open-type institution (``с направлением``, ``открытого типа``, ``ИУОТ``,
``with referral``; never when the text says ``без направления``/``without referral``) and for a
colony-settlement (``колония-поселение``). Belarus has an enhanced ("усиленный") regime between
general and strict, so it gets its own value ``enhanced`` rather than being forced into another.
When several regimes are named (``первые 3 года в тюрьме, остальные в колонии строгого режима``)
the most restrictive one is kept (order of ``REGIMES``).

Missing cells, unknown markers and "no sentence yet" markers (``PENDING_PATTERN``: awaiting trial,
verdict not passed) give NA without an error; sentence text with neither a term nor a penalty is an
error, even when the penalty cell alone could be read.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.clean import UNKNOWN_PATTERN, normalise_value, parse_unique

__all__ = ["PENALTY_TYPES", "REGIMES", "MAX_TERM_MONTHS", "PENDING_PATTERN", "parse_sentences"]

PENALTY_TYPES = ("imprisonment", "restricted_freedom", "fine", "life", "death", "other")
REGIMES = ("prison", "special", "strict", "enhanced", "general", "open")  # most restrictive first
MAX_TERM_MONTHS = 30 * 12  # Belarus: at most 25 years by cumulation; anything longer is a typo

_L = r"a-zа-яіў'"  # letters after normalisation
_YEAR = rf"(?:год(?:а|у|ам|ами|ах|ов)?|лет|гад(?:ы|оў|а|у|ам|ах)?|years?|yrs?|г\.?)(?![{_L}])"
_MONTH = rf"(?:мес(?:яц(?:а|у|ам|ами|ах|ев|ы|аў)?)?\.?|months?|mos?\.?)(?![{_L}])"
_DAY = rf"(?:сут(?:ок|ки|ак)|дн(?:ей|я|і)|день|дз[её]н|дзень|days?)(?![{_L}])"
_NUMBER = r"(?P<whole>[0-9]+(?:\.[0-9]+)?)?(?:(?(whole)\s+|)(?P<fn>[0-9]+)/(?P<fd>[0-9]+))?"
_TERM = rf"(?<![0-9./])(?=[0-9])(?P<num>{_NUMBER})\s*(?:-?\s*)(?P<unit>{_YEAR}|{_MONTH}|{_DAY})"
_TERM_CUT = (r"(?:\bперв(?:ых|ые|ыя)\b|\bfirst\b|отсрочк|адтэрміноўк|условн|умоўн|испытательн|выпрабавальн"
             r"|suspended|deferred|probation)")

# (penalty type, pattern) in priority order: of all types named in a text the earliest in this list
# wins. Additional punishments (fine, deprivation of a right, seizure of property) never decide.
_TYPE_PATTERNS: list[tuple[str, str]] = [
    ("death", r"смертн\w* казн|расстрел|смяротн\w* (?:пакаранн|кар)|death (?:penalty|sentence)|sentenced to death"
              r"|capital punishment"),
    ("life", r"пожизненн|пажыцц[её]в|life (?:imprisonment|sentence|term)|imprisonment for life|for life"),
    ("restricted_freedom", r"ограничени\w* свобод|абмежаванн\w* волі|restrict\w* (?:of )?(?:freedom|liberty)"
                           r"|restricted freedom|limitation of (?:freedom|liberty)|(?<![\w])(?:хими[яи]|хімі[яі])\b"),
    ("imprisonment", r"лишени\w* свобод|п[ао]збаўленн\w* волі|imprison|deprivation of (?:liberty|freedom)|колони|калоні"
                     r"|тюрьм|турм|penal colony|prison|custod|(?<![\w])ик\b|исправительн\w* учреждени\w* закрыт"),
    ("other", r"(?<![\w])(?:арест(?:а|ом|у)?|арышт(?:у|ам)?|arrest)\b(?!\s+(?:имуществ|маёмасц|маемасц|of property))"
              r"|исправительн\w* работ|общественн\w* работ|выпраўленч\w* работ|грамадск\w* работ"
              r"|принудительн\w* (?:мер|лечени)|прымусов\w*|correctional (?:labou?r|work)|community service"
              r"|compulsory (?:medical|treatment|psychiatric)"),
    ("fine", r"штраф|(?<![\w])fine[ds]?\b"),
]
_SUSPENDED = r"отсрочк|адтэрміноўк|условн|умоўн|suspended|deferred|probation"
# (regime, pattern); REGIMES gives the order used when several are named
_REGIME_PATTERNS: list[tuple[str, str]] = [
    ("prison", r"(?<![\w])тюр(?:ьм|емн)|(?<![\w])турм|prison regime|prison-type"
               r"|in (?:a )?prison\b(?! colony)(?=.*\b(?:first|then|rest)\b)"),
    ("special", r"особ\w*\s+режим|асаблів\w*\s+рэжым|(?:колони\w*|ик\S*)\s+особ|special[- ]regime"
                r"|maximum[- ]security"),
    ("strict", r"строг\w*\s+режим|строг\w*\s+рэжым|(?:колони\w*|калоні\w*|ик\S*)\s+строг|strict[- ]regime"
               r"|strict[- ]security|high[- ]security"),
    ("enhanced", r"усиленн\w*\s+режим|[уў]змоцнен\w*\s+рэжым|(?:колони\w*|ик\S*)\s+усиленн"
                 r"|enhanced[- ](?:regime|security)|reinforced[- ](?:regime|security)|increased[- ]security"),
    ("general", r"общ(?:его|ий|ем)\s+режим|агульн\w*\s+рэжым|(?:колони\w*|ик\S*)\s+общего"
                r"|general[- ](?:regime|security)|common regime"),
    # restricted freedom with referral to an open-type institution; a colony-settlement
    ("open", r"открыт\w*\s+тип|адкрыт\w*\s+тып|open[- ]type|с направлением|з накіраваннем|with (?:a )?referral"
             r"|(?<![\w])иуот\b|колони\w*[- ]поселени"),
]
PENDING_PATTERN = (
    r"ожида\w* (?:суд|приговор)|приговор не вынесен|не вынесен|под следствием|следствие|до суда|"
    r"чака\w* (?:суд|прысуд)|прысуд не вынесены|pending|awaiting|under investigation|not (?:yet )?sentenced|no verdict"
)

_UNKNOWN_RE = re.compile(UNKNOWN_PATTERN)
_COLUMNS = {"sentence_months": "float64", "penalty_type": "object", "regime": "object", "error": "object"}


def parse_sentences(sentence: pd.Series, penalty: pd.Series | None = None) -> pd.DataFrame:
    """Parse sentence (and optional penalty) cells; see the module docstring.

    ``penalty`` is aligned on the index of ``sentence`` (pandas label alignment; normally both are
    columns of one DataFrame). Never raises on cell contents; only a ``penalty`` whose index neither
    equals ``sentence``'s nor is unique (so it cannot be aligned) is a ValueError.
    """
    sentence = pd.Series(sentence) if not isinstance(sentence, pd.Series) else sentence
    if penalty is None:
        penalty = pd.Series(np.nan, index=sentence.index, dtype=object)
    else:
        penalty = pd.Series(penalty) if not isinstance(penalty, pd.Series) else penalty
        if not penalty.index.equals(sentence.index):
            if not penalty.index.is_unique:
                raise ValueError("penalty must have the index of sentence (or a unique index to align on)")
            penalty = penalty.reindex(sentence.index)  # pandas label alignment
    frame = pd.DataFrame({"sentence": sentence.to_numpy(dtype=object), "penalty": penalty.to_numpy(dtype=object)},
                         index=sentence.index)
    return parse_unique(frame, _parse_one, _COLUMNS)


def _named_alternatives(pairs: list[tuple[str, str]]) -> re.Pattern:
    return re.compile("|".join(f"(?P<{name}_{k}>{pattern})" for k, (name, pattern) in enumerate(pairs)))


_TYPE_RE = _named_alternatives(_TYPE_PATTERNS)
_TYPE_RANK = {f"{name}_{k}": (k, name) for k, (name, _) in enumerate(_TYPE_PATTERNS)}
_REGIME_RE = _named_alternatives(_REGIME_PATTERNS)
_REGIME_RANK = {f"{name}_{k}": (k, name) for k, (name, _) in enumerate(_REGIME_PATTERNS)}
_TERM_RE = re.compile(_TERM)
_TERM_CUT_RE = re.compile(_TERM_CUT)
_YEAR_RE = re.compile(_YEAR)
_MONTH_RE = re.compile(_MONTH)
_SUSPENDED_RE = re.compile(_SUSPENDED)
_PENDING_RE = re.compile(PENDING_PATTERN)
_NO_REFERRAL_RE = re.compile(r"без направлени|без накіраванн|without (?:a )?referral|no referral")
_PREP = [
    (re.compile(r"(?<=[0-9]),(?=[0-9])"), "."),                     # 2,5 года
    (re.compile(r"([0-9])\s*½"), r"\1.5"),                            # 4½ years
    (re.compile("½"), "1/2"),
    (re.compile(r"(?<![\w])(?:полтора|полутора|паўтара)(?![\w])"), "1.5"),
    (re.compile(r"(?<=[0-9])-?(?:х|ти|ми|ух|ех|ем|м)(?![\w])"), ""),  # 2-х лет, 3-м годам
]


def _prepare(text: object) -> str | None:
    if not isinstance(text, str) or _UNKNOWN_RE.match(text):
        return None
    for pattern, replacement in _PREP:
        text = pattern.sub(replacement, text)
    return text


def _best(pattern: re.Pattern, rank: dict, text: str) -> object:
    """Name of the highest-priority alternative of ``pattern`` found anywhere in ``text``."""
    found = [rank[m.lastgroup] for m in pattern.finditer(text)]
    return min(found)[1] if found else None


def _regime(text: str) -> object:
    """Most restrictive regime named in ``text``; never ``open`` when the text says "without referral"."""
    found = sorted(_REGIME_RANK[m.lastgroup] for m in _REGIME_RE.finditer(text))
    names = [name for _, name in found if not (name == "open" and _NO_REFERRAL_RE.search(text))]
    return names[0] if names else None


def _scan_sentence(text: object) -> tuple:
    """(years, months, n_years, n_months, n_days, bad_fraction, type, type_without_fine, suspended,
    pending, regime) of one prepared sentence text."""
    if not isinstance(text, str):
        return (np.nan, np.nan, 0, 0, 0, False, None, None, False, False, None)
    years = months = np.nan
    n_y = n_m = n_d = 0
    bad = False
    for m in _TERM_RE.finditer(_TERM_CUT_RE.split(text, maxsplit=1)[0]):
        whole, fn, fd = m.group("whole"), m.group("fn"), m.group("fd")
        value = float(whole) if whole else 0.0
        if fn is not None:
            if int(fd) == 0 or int(fn) >= int(fd):
                bad = True
            else:
                value += int(fn) / int(fd)
        unit = m.group("unit")
        if _YEAR_RE.fullmatch(unit):
            n_y += 1
            years = value if n_y == 1 else years
        elif _MONTH_RE.fullmatch(unit):
            n_m += 1
            months = value if n_m == 1 else months
        else:
            n_d += 1
    found = sorted({_TYPE_RANK[m.lastgroup] for m in _TYPE_RE.finditer(text)})
    kind = found[0][1] if found else None
    no_fine = [name for _, name in found if name != "fine"]
    kind_no_fine = no_fine[0] if no_fine else None
    return (years, months, n_y, n_m, n_d, bad, kind, kind_no_fine, bool(_SUSPENDED_RE.search(text)),
            bool(_PENDING_RE.search(text)), _regime(text))


def _scan_penalty(text: object) -> tuple:
    """(type, suspended, regime) of one prepared penalty text."""
    if not isinstance(text, str):
        return (None, False, None)
    return (_best(_TYPE_RE, _TYPE_RANK, text), bool(_SUSPENDED_RE.search(text)), _regime(text))


_NO_TERM_TYPES = ("fine", "life", "death")


def _parse_one(sentence_raw: str | None, penalty_raw: str | None) -> tuple:
    """(sentence_months, penalty_type, regime, error) of one distinct (sentence, penalty) pair."""
    sen = _prepare(normalise_value(sentence_raw))
    pen = _prepare(normalise_value(penalty_raw))
    (years, months, n_y, n_m, n_d, bad_fraction, s_type, s_type_no_fine, s_susp, pending,
     s_regime) = _scan_sentence(sen)
    p_type, p_susp, p_regime = _scan_penalty(pen)
    fail = (np.nan, None, None)
    has_term = n_y + n_m > 0

    # term
    if sen is not None:
        if n_y > 1 or n_m > 1:
            return fail + ("several terms in one sentence",)
        if n_d:
            return fail + ("term in days is not supported",)
        if bad_fraction:
            return fail + ("invalid fraction",)
    term = (0.0 if years != years else years * 12) + (0.0 if months != months else months) if has_term else np.nan
    if has_term and term <= 0:
        return fail + ("zero term",)
    if has_term and term > MAX_TERM_MONTHS:
        return fail + (f"term over {MAX_TERM_MONTHS // 12} years",)

    # penalty type: "штраф" beside a term is an additional punishment, the term's penalty decides
    s_type = s_type_no_fine if has_term else s_type
    if sen is not None and not pending and not has_term and s_type is None:
        return fail + ("no term or penalty recognised",)  # even when the penalty cell is readable
    if pen is not None and p_type is None:
        return fail + ("penalty not recognised",)  # the text itself never goes to an output
    if p_type is not None and s_type is not None and p_type != s_type:
        if {p_type, s_type} == {"imprisonment", "life"}:  # life imprisonment is both
            p_type = "life"
        else:
            return fail + (f"penalty '{p_type}' contradicts sentence text ('{s_type}')",)
    final = p_type or s_type or ("imprisonment" if has_term else None)
    if final is None:  # no sentence (or "awaiting trial") and no penalty: nothing stated yet
        return (np.nan, None, None, None)
    if has_term and final in _NO_TERM_TYPES:
        return fail + ("a term is given for a penalty without a term",)
    if (s_susp or p_susp) and final in ("imprisonment", "restricted_freedom"):
        final = "other"  # suspended / deferred: nobody is held

    regimes = [r for r in (s_regime, p_regime) if r is not None]
    regime = min(regimes, key=REGIMES.index) if regimes else None
    return (np.nan if final in _NO_TERM_TYPES else term, final, regime, None)
