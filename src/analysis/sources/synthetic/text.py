"""Text rendering helpers: dates, sentences, articles and facilities in the messy forms of the real export."""

from __future__ import annotations

import datetime as _dt

import numpy as np

from analysis.sources.synthetic.calibration import _choice
from analysis.sources.synthetic.params import ARTICLE_FORMS, RU_GEN, RU_NOM

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
