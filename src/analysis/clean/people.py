"""Clean a person-level export (canonical raw text columns) into the pseudonymous people table.

``clean_export(raw, source, key, today) -> CleanResult(people, quarantine, counts)`` is pure: it reads
nothing, writes nothing, and depends only on its arguments. The contract of the output is
docs/PEOPLE_SCHEMA.md (checked by ``analysis.schemas_people.PEOPLE_SCHEMA``).

Every value is parsed once per distinct text (factorise -> parse -> gather), so a million rows with
repeated values cost little more than the distinct values.

Quarantine rules (nothing else holds a record out):

* whole row (record left out of people.csv): missing status; unknown status; release date before
  detention date; verdict date before detention date; any parsed date (birth, detention, verdict,
  release) after ``today``. "Before" compares periods: a month-precision date is before a day only when
  the whole month is.
* field (record kept, the value left NA): a birth/detention/verdict/release date, article cell,
  sentence/penalty, gender or clusters value that does not parse.
* note (record kept): a possible duplicate person that is NOT merged (see below).

Duplicates and person_id (union-find over the records kept):

* records sharing the source ``id``, or the same person ``url`` (scheme, ``www.`` and the language
  segment ignored), or the same normalised name + the same day-precision birth date are one person;
* linked records form components; ``person_id`` = keyed hash of the smallest record key in the component;
* ambiguous matches are NOT merged but reported with reason :data:`POSSIBLE_DUPLICATE`: records of
  different components with the same normalised name and the same birth year (any precision), or with
  the same name and different day-precision birth dates.

Record keys: ``id:<id>`` when the export has an id, else ``url:<normalised url>``, else ``row:<n>`` (then
``record_id`` is only stable while the row order is). A repeated key gets ``#2``, ``#3``... by row order.

Names, URLs, judges, counsel, prosecutors, descriptions, photos and declarations are only used for
linking and never reach the outputs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.clean import UNKNOWN_MARKERS, is_unknown, normalise_text
from analysis.clean import quarantine as q
from analysis.clean.articles import article_family, parse_articles
from analysis.clean.dates import parse_dates
from analysis.clean.pseudonym import keyed_hash
from analysis.clean.sentences import parse_sentences
from analysis.schemas_people import REGIONS as SCHEMA_REGIONS
from analysis.schemas_people import SOURCES
from analysis.sources.viasna import CANONICAL, ROW_COLUMN

DATE_FIELDS = {  # output stem -> canonical input column
    "birth": "birth_date", "detention": "detention_date", "verdict": "verdict_date", "release": "release_date",
}
DAYS_PER_MONTH = 365.2425 / 12
SERVED_TOLERANCE_MONTHS = 1
POSSIBLE_DUPLICATE = "possible duplicate person (not merged)"
FUTURE_ERROR = "date in the future"

# Status: the machine codes, our own enum (synthetic files may use it), then the text forms (matched
# on normalise_text output: lower case, ё -> е). The ex-post-facto note is found anywhere in the cell.
STATUS_CODES: dict[str, str] = {
    "active": "current", "former": "former", "np": "not_recognised",
    "current": "current", "not_recognised": "not_recognised",
    "not recognised": "not_recognised", "not recognized": "not_recognised",
}
STATUS_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^(?:former|ex-?) ?political prisoner$", "former"),
    (r"^бывш\w* политзаключенн\w*$", "former"),
    (r"^был\w* палітвяз\w*$", "former"),
    (r"^political prisoner$", "current"),
    (r"^политзаключенн\w*$", "current"),
    (r"^палітвяз\w*$", "current"),
)
EX_POST_FACTO = re.compile(r"ex[ -]?post[ -]?facto|post[ -]?factum|постфактум")

GENDER_MAP: dict[str, str] = {
    **dict.fromkeys(("male", "m", "man", "мужчина", "мужской", "муж", "м", "мужчына", "мужчынскі"), "male"),
    **dict.fromkeys(("female", "f", "woman", "женщина", "женский", "жен", "ж", "жанчына", "жаночы"), "female"),
}
# died: any non-empty text is "died" except these (and the unknown markers of analysis.clean).
DIED_FALSE = frozenset({"0", "false", "no", "n", "нет", "не", "не умер", "не умерла", "не памер", "не памерла"})

RELEASE_MARKER = re.compile(
    r"\breleased\b|\bосвобожден\w*|\bвызвален\w*|\bat liberty\b|на свободе до начала отбывания"
)
POSTCODE_CUT = re.compile(r",?\s*\b\d{6}\b.*$")  # an address usually starts with the 6-digit post code

# Region keys and the text that names them (matched on normalised text; leftmost match wins, and at
# one position the earlier pattern wins, so "минская обл" is the region before "минск" the city).
# Towns: the places of the penal colonies and remand prisons named in the export's prison cells.
REGION_PATTERNS: tuple[tuple[str, str], ...] = (
    ("minsk_region", r"минск(?:ая|ой|ий|ого|ом) (?:обл|р-н|район)|мінск(?:ая|ай|і) (?:вобл|р-н|раён)"
                     r"|minsk (?:region|oblast|voblast)|жодино|жодзіна|zhodino|слуцк|слуцак|борисов|барысаў"
                     r"|молодечно|маладзечна|солигорск|салігорск"),
    ("brest", r"брест|брэст|brest|ивацевич|івацэвіч|ivatsevich|баранович|баранавіч|пинск|пінск|pinsk"),
    ("vitebsk", r"витеб|віцеб|vitebsk|viciebsk|новополоцк|наваполацк|novopolotsk|полоцк|полацк|polotsk"
                r"|витьба|віцьба|орша|ворша|orsha|глубокое|глыбокае"),
    ("gomel", r"гомел|homel|gomel|мозыр|мазыр|mozyr|речиц|рэчыц|светлогорск|светлагорск|жлобин|жлобін"),
    ("grodno", r"гродн|гродз|grodno|hrodna|волковыск|ваўкавыск|лида|ліда|lida"),
    ("mogilev", r"могил|магіл|mogilev|mahil|бобруйск|бабруйск|bobruisk|babruysk|горки|горкі|шклов|шклоў"),
    ("minsk_city", r"минск|мінск|minsk"),
)
REGIONS = tuple(name for name, _ in REGION_PATTERNS)
assert set(REGIONS) == set(SCHEMA_REGIONS)
_REGION_RE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in REGION_PATTERNS))

PEOPLE_COLUMNS: tuple[str, ...] = (
    "record_id", "person_id", "source", "status", "ex_post_facto", "gender", "birth_year",
    "detention_date", "verdict_date", "release_date", "detention_precision", "verdict_precision",
    "release_precision", "articles", "article_family", "sentence_months", "penalty_type", "regime",
    "prison", "released_marker", "died", "region", "exit_type",
    "articles_raw", "sentence_raw", "penalty_raw", "detention_raw", "verdict_raw", "release_raw", "status_raw",
)
COUNT_KEYS = ("input_rows", "clean_rows", "quarantined_rows", "field_problems")


@dataclass(frozen=True)
class CleanResult:
    """people (one row per kept record), quarantine (one row per problem), counts (N = C + Q)."""

    people: pd.DataFrame
    quarantine: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------- helpers
def _map_distinct_multi(s: pd.Series, fn, na: tuple) -> list[pd.Series]:
    """``fn`` returns a tuple per distinct value; one Series per tuple position (``na`` for NA input)."""
    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    results = [fn(u) for u in uniques] + [na]
    return [pd.Series(np.array([r[i] for r in results], dtype=object)[codes], index=s.index, dtype=object)
            for i in range(len(na))]


def _map_distinct(s: pd.Series, fn) -> pd.Series:
    """Apply a Python function to each distinct value of ``s`` and gather back (NaN stays NaN)."""
    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    table = np.array([fn(u) for u in uniques] + [None], dtype=object)
    return pd.Series(table[codes], index=s.index, dtype=object)


def _text(raw: pd.DataFrame, column: str) -> pd.Series:
    """The column as trimmed str ('' for missing), trimmed once per distinct value."""
    s = raw[column] if column in raw else pd.Series("", index=raw.index)
    codes, uniques = _distinct(s)
    trimmed = [u.strip() if isinstance(u, str) else ("" if u is None or u != u else str(u).strip()) for u in uniques]
    return _gather(codes, trimmed, s.index, na="")


def _distinct(s: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """(codes, distinct values) of ``s``; code -1 for NA."""
    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    return codes, pd.Series(uniques, dtype=object)


def _gather(codes: np.ndarray, values: pd.Series | np.ndarray, index: pd.Index, na: object = np.nan) -> pd.Series:
    table = np.append(np.asarray(values, dtype=object), np.array([na], dtype=object))
    return pd.Series(table[codes], index=index, dtype=object)


def _norm(s: pd.Series, keep_newlines: bool = False) -> pd.Series:
    """normalise_text computed once per distinct value; unknown markers become NaN as well."""
    codes, uniques = _distinct(s)
    normed = normalise_text(uniques, keep_newlines=keep_newlines)
    normed = normed.where(~is_unknown(normed.fillna("")), np.nan)
    return _gather(codes, normed, s.index)


def _na_if_blank(s: pd.Series) -> pd.Series:
    return s.where(s != "", np.nan)


def _status_one(text: object) -> tuple[object, bool, object]:
    """normalised status cell -> (status or None, ex_post_facto, error or None)."""
    if not isinstance(text, str) or not text:
        return None, False, "missing status"
    epf = bool(EX_POST_FACTO.search(text))
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"\([^)]*\)", lambda m: "" if EX_POST_FACTO.search(m.group(0)) else m.group(0), line)
        line = line.strip(" ,;.")
        if line and not EX_POST_FACTO.search(line):
            lines.append(line)
    if not lines:
        return ("former", True, None) if epf else (None, False, "missing status")
    first = lines[0]
    if first in STATUS_CODES:
        return STATUS_CODES[first], epf, None
    for pattern, status in STATUS_PATTERNS:
        if re.match(pattern, first):
            return status, epf, None
    return None, epf, "unknown status"


def _period_end(date: pd.Series, precision: pd.Series) -> pd.Series:
    """Last day of the stated period (the day itself for day precision)."""
    end = date.copy()
    month = (precision == "month").to_numpy()
    year = (precision == "year").to_numpy()
    if month.any():
        end[month] = date[month] + pd.offsets.MonthEnd(0)
    if year.any():
        end[year] = date[year] + pd.offsets.YearEnd(0)
    return end


def _norm_one(text: str) -> str:
    """Plain-Python twin of analysis.clean.normalise_text for one short segment."""
    t = " ".join(text.lower().replace("ё", "е").replace("\u00a0", " ").split())
    return t.rstrip(".").strip()


def _prison_one(raw_text: object) -> tuple[object, bool]:
    """prison cell -> (facility without address or None, release marker)."""
    if not isinstance(raw_text, str) or not raw_text.strip():
        return None, False
    marker = False
    kept: list[str] = []
    for segment in re.split(r"[\n\r;]+", raw_text):
        norm = _norm_one(segment)
        if not norm:
            continue
        if RELEASE_MARKER.search(norm):
            marker = True
            continue
        if norm in UNKNOWN_MARKERS:
            continue
        kept.append(segment.strip())
    if not kept:
        return None, marker
    facility = POSTCODE_CUT.sub("", kept[0]).strip(" ,")
    return (facility or None), marker


def _region_one(text: object) -> object:
    if not isinstance(text, str) or not text:
        return None
    found = _REGION_RE.search(text)
    return found.lastgroup if found else None


_URL_PREFIX = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?")
_URL_LANG = re.compile(r"/(?:ru|be|en|by)/person/")


def _url_key(value: object) -> object:
    if not isinstance(value, str):
        return np.nan
    u = _URL_LANG.sub("/person/", _URL_PREFIX.sub("", value.strip().lower()), count=1).rstrip("/")
    return u or np.nan


def _norm_url(url: pd.Series) -> pd.Series:
    """Person URL for linking: no scheme, no ``www.``, no language segment, no trailing slash."""
    codes, uniques = _distinct(url)
    return _gather(codes, [_url_key(u) for u in uniques], url.index)


def _name_key(value: object) -> object:
    if not isinstance(value, str):
        return np.nan
    text = " ".join(_NON_WORD.sub(" ", value.lower().replace("ё", "е")).split())
    return text if text and text not in UNKNOWN_MARKERS else np.nan


_NON_WORD = re.compile(r"[^\w\s]")


def _norm_name(name: pd.Series) -> pd.Series:
    """Name for linking: lower case, ё=е, punctuation dropped, single spaces; unknown/blank -> NaN."""
    codes, uniques = _distinct(name)
    return _gather(codes, [_name_key(u) for u in uniques], name.index)


def _components(keys: list[pd.Series], n: int) -> np.ndarray:
    """Connected components (union-find) of records sharing any non-NA value of any key series."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    rows, cols, offset = [], [], n
    for key in keys:
        codes, uniques = pd.factorize(key, use_na_sentinel=True)
        ok = codes >= 0
        rows.append(np.flatnonzero(ok))
        cols.append(codes[ok] + offset)
        offset += len(uniques)
    r = np.concatenate(rows) if rows else np.array([], dtype=np.int64)
    c = np.concatenate(cols) if cols else np.array([], dtype=np.int64)
    graph = coo_matrix((np.ones(len(r), dtype=np.int8), (r, c)), shape=(offset, offset))
    _, labels = connected_components(graph, directed=False)
    return labels[:n]


# ---------------------------------------------------------------------------------------- the pipeline
def clean_export(raw: pd.DataFrame, source: str, key: bytes, today: pd.Timestamp) -> CleanResult:
    """Parse, link, pseudonymise and quarantine one export (see the module docstring for the rules)."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    today = pd.Timestamp(today).normalize()
    raw = raw.reset_index(drop=True)
    if ROW_COLUMN not in raw:
        raw = raw.assign(**{ROW_COLUMN: np.arange(1, len(raw) + 1)})
    for col in CANONICAL:
        if col not in raw:
            raw[col] = ""
    srccols = dict(raw.attrs.get("source_columns", {}))
    n = len(raw)
    pieces: list[pd.DataFrame] = []
    whole = np.zeros(n, dtype=bool)

    def flag(mask, column, reason, whole_row):
        nonlocal whole
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        if whole_row:
            whole |= mask
        pieces.append(q.problems(raw, mask, column, reason, whole_row, srccols))

    # status ----------------------------------------------------------------------------------------
    texts = {col: _text(raw, col) for col in DATE_FIELDS.values()}
    status_raw = _text(raw, "status")
    status, ex_post, status_err = _map_distinct_multi(
        _norm(status_raw, keep_newlines=True), _status_one, (None, False, "missing status"))
    ex_post = ex_post.astype(bool)
    flag(status_err.notna(), "status", status_err, True)

    # gender ----------------------------------------------------------------------------------------
    g = _norm(_text(raw, "gender"))
    gender = g.map(GENDER_MAP)
    flag(g.notna() & gender.isna(), "gender", "unrecognised gender", False)

    # dates -----------------------------------------------------------------------------------------
    # one parse_dates call over the four columns stacked: their distinct values overlap a lot
    stacked = pd.concat([_na_if_blank(texts[col]) for col in DATE_FIELDS.values()], ignore_index=True)
    parsed_dates = parse_dates(stacked, today=today)
    dates: dict[str, pd.DataFrame] = {}
    for i, (stem, col) in enumerate(DATE_FIELDS.items()):
        d = parsed_dates.iloc[i * n:(i + 1) * n].set_axis(raw.index)
        err = d["error"]
        future = (err == FUTURE_ERROR).to_numpy()
        flag(future, col, f"{FUTURE_ERROR} (after {today.date().isoformat()})", True)
        flag(err.notna().to_numpy() & ~future, col, err, False)
        dates[stem] = d
    det, ver, rel = dates["detention"], dates["verdict"], dates["release"]
    det_start = det["date"]
    rel_end = _period_end(rel["date"], rel["precision"])
    ver_end = _period_end(ver["date"], ver["precision"])
    flag((rel_end < det_start).fillna(False).to_numpy(), "release_date", "release date before detention date", True)
    flag((ver_end < det_start).fillna(False).to_numpy(), "verdict_date", "verdict date before detention date", True)
    birth_year = dates["birth"]["date"].dt.year.astype("Int64")

    # articles --------------------------------------------------------------------------------------
    charges_raw = _text(raw, "charges")
    arts = parse_articles(_na_if_blank(charges_raw))
    flag(arts["error"].notna().to_numpy(), "charges", arts["error"], False)
    codes = arts["codes"].astype(object)
    family = article_family(codes)

    # sentences -------------------------------------------------------------------------------------
    sentence_raw, penalty_raw = _text(raw, "sentence"), _text(raw, "penalty")
    sent = parse_sentences(_na_if_blank(sentence_raw), _na_if_blank(penalty_raw))
    bad = sent["error"].notna().to_numpy()
    on_sentence = (sentence_raw != "").to_numpy()
    flag(bad & on_sentence, "sentence", sent["error"], False)
    flag(bad & ~on_sentence, "penalty", sent["error"], False)

    # prison, died, region ---------------------------------------------------------------------------
    prison_raw = _text(raw, "prison")
    prison, released_marker = _map_distinct_multi(_na_if_blank(prison_raw), _prison_one, (None, False))
    released_marker = released_marker.astype(bool)

    died_norm = _norm(_text(raw, "died"))
    died = (died_norm.notna() & ~died_norm.isin(DIED_FALSE)).astype(bool)

    clusters_norm = _norm(_text(raw, "clusters"))
    region_cl = _map_distinct(clusters_norm, _region_one)
    flag((clusters_norm.notna() & region_cl.isna()).to_numpy(),
         "clusters", "clusters value is not a recognised region", False)
    region_pr = _map_distinct(_norm(prison_raw), _region_one)
    region = region_cl.where(region_cl.notna(), region_pr)

    # records, persons, duplicates (records kept only) -------------------------------------------------
    ids = _text(raw, "id")
    urls = _norm_url(raw["url"])
    record_key = pd.Series(np.where(ids != "", "id:" + ids, ""), index=raw.index, dtype=object)
    record_key = record_key.where(record_key != "", "url:" + urls.fillna(""))
    record_key = record_key.where(record_key != "url:", "row:" + raw[ROW_COLUMN].astype(str))
    nth = record_key.groupby(record_key, sort=False).cumcount()
    record_key = record_key.where(nth == 0, record_key + "#" + (nth + 1).astype(str))

    keep = ~whole
    kept = raw.index[keep]
    name = _norm_name(raw["name"])
    birth_day = dates["birth"]["date"].where(dates["birth"]["precision"] == "day")
    # name + day birth date as one int64 key: (name code << 24) | (days since 1970 + 2**23)
    name_code = pd.factorize(name, use_na_sentinel=True)[0].astype(np.int64)
    days = birth_day.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
    both = (name_code >= 0) & birth_day.notna().to_numpy()
    name_day = pd.Series(np.where(both, (name_code << 24) | (days + (1 << 23)), -1), index=raw.index)
    name_day = name_day.astype("Int64").mask(~both)
    link_keys = [_na_if_blank(ids)[keep], urls[keep], name_day[keep]]
    comp = pd.Series(_components([k.reset_index(drop=True) for k in link_keys], len(kept)), index=kept)
    # smallest record key per component: rank the keys (factorize with sort), take the min rank (cython)
    rank, sorted_keys = pd.factorize(record_key[keep], sort=True)
    min_rank = pd.Series(rank, index=kept).groupby(comp, sort=False).transform("min").to_numpy()
    smallest = pd.Series(np.asarray(sorted_keys, dtype=object)[min_rank], index=kept, dtype=object)
    person_id = keyed_hash(smallest, key, f"person|{source}")
    record_id = keyed_hash(record_key[keep], key, f"record|{source}")

    cand = pd.DataFrame({"name": name[keep], "year": birth_year[keep], "comp": comp,
                         "day": birth_day[keep]}).dropna(subset=["name"])
    same_year = cand.dropna(subset=["year"])
    ambiguous = same_year.groupby(["name", "year"], sort=False)["comp"].transform("nunique") > 1
    day_rows = cand.dropna(subset=["day"])
    ambiguous_day = day_rows.groupby("name", sort=False)["comp"].transform("nunique") > 1
    dup_index = ambiguous[ambiguous].index.union(ambiguous_day[ambiguous_day].index)
    dup_mask = np.zeros(n, dtype=bool)
    dup_mask[dup_index.to_numpy(dtype=np.int64)] = True
    flag(dup_mask, "name", POSSIBLE_DUPLICATE, False)

    # assemble ----------------------------------------------------------------------------------------
    sentence_months = pd.to_numeric(sent["sentence_months"], errors="coerce").astype("float64")
    people = pd.DataFrame({
        "record_id": record_id,
        "person_id": person_id,
        "source": source,
        "status": status[keep],
        "ex_post_facto": ex_post[keep],
        "gender": gender[keep],
        "birth_year": birth_year[keep],
        "detention_date": det["date"][keep],
        "verdict_date": ver["date"][keep],
        "release_date": rel["date"][keep],
        "detention_precision": det["precision"][keep],
        "verdict_precision": ver["precision"][keep],
        "release_precision": rel["precision"][keep],
        "articles": codes[keep],
        "article_family": family[keep],
        "sentence_months": sentence_months[keep],
        "penalty_type": sent["penalty_type"][keep],
        "regime": sent["regime"][keep],
        "prison": prison[keep],
        "released_marker": released_marker[keep],
        "died": died[keep],
        "region": region[keep],
        "articles_raw": charges_raw[keep],
        "sentence_raw": sentence_raw[keep],
        "penalty_raw": penalty_raw[keep],
        "detention_raw": texts["detention_date"][keep],
        "verdict_raw": texts["verdict_date"][keep],
        "release_raw": texts["release_date"][keep],
        "status_raw": status_raw[keep],
    }, index=kept)
    people["exit_type"] = exit_type(people)
    for col in ("gender", "detention_precision", "verdict_precision", "release_precision", "articles",
                "article_family", "penalty_type", "regime", "prison", "region"):
        people[col] = people[col].astype(object).where(people[col].notna(), np.nan)
    people = people[list(PEOPLE_COLUMNS)]
    people = people.iloc[_sort_order(people)].reset_index(drop=True)

    quarantine = q.collect(pieces)
    counts = {
        "input_rows": int(n),
        "clean_rows": int(len(people)),
        "quarantined_rows": int(whole.sum()),
        "field_problems": int((~quarantine["whole_row"]).sum()),
    }
    if counts["input_rows"] != counts["clean_rows"] + counts["quarantined_rows"]:
        raise AssertionError(f"row accounting broken: {counts}")
    return CleanResult(people=people, quarantine=quarantine, counts=counts)


def _hex_key(h: pd.Series) -> np.ndarray:
    """16-hex ids as fixed-width bytes: same order, sorted in C (much faster than object strings)."""
    return h.fillna("").to_numpy(dtype="S16")


def _sort_order(people: pd.DataFrame) -> np.ndarray:
    """Positions sorting people by person_id, detention_date (missing last), record_id."""
    det = people["detention_date"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    det = np.where(people["detention_date"].isna().to_numpy(), np.iinfo(np.int64).max, det)
    return np.lexsort((_hex_key(people["record_id"]), det, _hex_key(people["person_id"])))


def exit_type(people: pd.DataFrame) -> pd.Series:
    """The exit_type rule of docs/PEOPLE_SCHEMA.md, vectorised.

    died -> ``died``; status current -> ``still_held``; release known and detention + sentence_months
    <= release + 1 month -> ``sentence_served``; release known -> ``early_release``; else ``unknown``.
    Months are average calendar months (365.2425/12 days); the 1-month tolerance absorbs the difference.
    """
    release_known = people["release_date"].notna()
    term = pd.to_timedelta(people["sentence_months"] * DAYS_PER_MONTH, unit="D")
    tolerance = pd.Timedelta(days=SERVED_TOLERANCE_MONTHS * DAYS_PER_MONTH)
    served = (people["detention_date"] + term <= people["release_date"] + tolerance).fillna(False)
    out = np.select(
        [people["died"].astype(bool), people["status"] == "current", release_known & served, release_known],
        ["died", "still_held", "sentence_served", "early_release"],
        default="unknown",
    )
    return pd.Series(out, index=people.index, dtype=object)
