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
* field (record kept, the value left NA): a birth/detention/verdict/release/recognition date, article
  cell, sentence/penalty, gender or clusters value that does not parse; a recognition date in the future
  or before the detention date.
* note (record kept): a possible duplicate person that is NOT merged (see below).

Duplicates and person_id (union-find over the records kept):

* records sharing the source ``id``, or the same person ``url`` (scheme, ``www.`` and the language
  segment ignored), or the same normalised name + the same day-precision birth date are one person;
* linked records form components; ``person_id`` = keyed hash of ``url:<smallest person url>`` of the
  component, or of its smallest record key when no record has a url (a person's page is stable across
  exports, so is their person_id, also when a re-arrest adds a record);
* ambiguous matches are NOT merged but reported with reason :data:`POSSIBLE_DUPLICATE`: records of
  different components with the same normalised name and the same birth year (any precision), or with
  the same name and different day-precision birth dates.

Record keys: ``id:<id>`` when the export has an id, else ``url:<normalised url>``, else ``row:<n>`` (then
``record_id`` is only stable while the row order is). A repeated key gets ``#2``, ``#3``... by row order.

Names, URLs, judges, counsel, prosecutors, descriptions, photos and declarations are only used for
linking and never reach the outputs; neither does any other text of the export: every output column is a
parsed value from a closed vocabulary (the prison cell gives only ``colony 15``-like designations), a date,
a number or a keyed hash, and quarantine rows give a value's shape, never its text.

Rows that carry the synthetic generator's marker (analysis.sources.synthetic.marker) get ``source`` =
``synthetic`` whatever ``source`` was asked for, and are counted in ``synthetic_rows``.
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
from analysis.clean.places import parse_prison, region_of
from analysis.clean.pseudonym import keyed_hash
from analysis.clean.rules import exit_type
from analysis.clean.sentences import parse_sentences
from analysis.schemas_people import SOURCES
from analysis.sources.synthetic.marker import verify as verify_marker
from analysis.sources.viasna import CANONICAL, ROW_COLUMN

DATE_FIELDS = {  # output stem -> canonical input column
    "birth": "birth_date", "detention": "detention_date", "verdict": "verdict_date", "release": "release_date",
    "recognised": "recognised_date",
}
FIELD_ONLY_DATES = ("recognised",)  # a bad value here only empties the field: the record stays
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

PEOPLE_COLUMNS: tuple[str, ...] = (
    "record_id", "person_id", "source", "status", "ex_post_facto", "gender", "birth_year",
    "detention_date", "verdict_date", "release_date", "detention_precision", "verdict_precision",
    "release_precision", "articles", "article_family", "sentence_months", "penalty_type", "regime",
    "prison", "released_marker", "died", "region", "exit_type", "recognised_date",
)
COUNT_KEYS = ("input_rows", "clean_rows", "quarantined_rows", "field_problems", "synthetic_rows")


@dataclass(frozen=True)
class CleanResult:
    """people (one row per kept record), quarantine (one row per problem), counts (N = C + Q)."""

    people: pd.DataFrame
    quarantine: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)


def marked_rows(raw: pd.DataFrame) -> np.ndarray:
    """True for rows of a read export that carry the synthetic generator's marker (matching the row)."""
    blank = pd.Series("", index=raw.index)
    return verify_marker(*(raw[c] if c in raw else blank for c in ("id", "url", "name", "synthetic_marker")))


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
def clean_export(raw: pd.DataFrame, source: str, key: bytes, today: pd.Timestamp,
                 marked: np.ndarray | None = None) -> CleanResult:
    """Parse, link, pseudonymise and quarantine one export (see the module docstring for the rules).

    ``marked``: rows with the synthetic generator's marker, when the caller has checked them already.
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    today = pd.Timestamp(today).normalize()
    # our own view of the frame: new index and added columns stay here, the data are not copied
    raw = raw.copy(deep=False)
    raw.index = pd.RangeIndex(len(raw))
    if ROW_COLUMN not in raw:
        raw[ROW_COLUMN] = np.arange(1, len(raw) + 1)
    for col in CANONICAL:
        if col not in raw:
            raw[col] = ""
    srccols = dict(raw.attrs.get("source_columns", {}))
    n = len(raw)
    # rows the synthetic generator wrote (its marker matches the row): their people are not real
    if marked is None:
        marked = marked_rows(raw)
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

    # Memory: a million rows make every per-row column 8 MB and every per-row string column far more, so
    # intermediates are dropped (del) as soon as they are used; values that go to people.csv wait in
    # `out` (aligned with raw's rows) until they are gathered into the output, one column at a time.
    out: dict[str, pd.Series] = {}

    # status ----------------------------------------------------------------------------------------
    texts = {col: _text(raw, col) for col in DATE_FIELDS.values()}
    status_raw = _text(raw, "status")
    status, ex_post, status_err = _map_distinct_multi(
        _norm(status_raw, keep_newlines=True), _status_one, (None, False, "missing status"))
    ex_post = ex_post.astype(bool)
    flag(status_err.notna(), "status", status_err, True)
    del status_err

    # gender ----------------------------------------------------------------------------------------
    g = _norm(_text(raw, "gender"))
    gender = g.map(GENDER_MAP)
    flag(g.notna() & gender.isna(), "gender", "unrecognised gender", False)
    del g

    # dates -----------------------------------------------------------------------------------------
    # one parse_dates call over the four columns stacked: their distinct values overlap a lot
    stacked = pd.concat([_na_if_blank(texts[col]) for col in DATE_FIELDS.values()], ignore_index=True)
    parsed_dates = parse_dates(stacked, today=today)
    del stacked
    dates: dict[str, dict[str, pd.Series]] = {}
    for i, (stem, col) in enumerate(DATE_FIELDS.items()):
        d = parsed_dates.iloc[i * n:(i + 1) * n].set_axis(raw.index)
        err = d["error"]
        future = (err == FUTURE_ERROR).to_numpy()
        field_only = stem in FIELD_ONLY_DATES
        flag(future, col, f"{FUTURE_ERROR} (after {today.date().isoformat()})", not field_only)
        flag(err.notna().to_numpy() & ~future, col, err, False)
        dates[stem] = {"date": d["date"], "precision": d["precision"]}
    del parsed_dates, d, err, future
    det, ver, rel = dates["detention"], dates["verdict"], dates["release"]
    det_start = det["date"]
    rel_end = _period_end(rel["date"], rel["precision"])
    ver_end = _period_end(ver["date"], ver["precision"])
    flag((rel_end < det_start).fillna(False).to_numpy(), "release_date", "release date before detention date", True)
    flag((ver_end < det_start).fillna(False).to_numpy(), "verdict_date", "verdict date before detention date", True)
    del rel_end, ver_end
    recognised = dates["recognised"]["date"]
    too_early = (_period_end(recognised, dates["recognised"]["precision"]) < det_start).fillna(False).to_numpy()
    flag(too_early, "recognised_date", "recognition date before detention date", False)
    recognised = recognised.where(~too_early)
    del dates["recognised"], too_early
    birth_year = dates["birth"]["date"].dt.year.astype("Int64")
    birth_day = dates["birth"]["date"].where(dates["birth"]["precision"] == "day")
    del dates["birth"]

    # articles --------------------------------------------------------------------------------------
    charges_raw = _text(raw, "charges")
    arts = parse_articles(_na_if_blank(charges_raw))
    flag(arts["error"].notna().to_numpy(), "charges", arts["error"], False)
    codes = arts["codes"].astype(object)
    del arts
    family = article_family(codes)

    # sentences -------------------------------------------------------------------------------------
    sentence_raw, penalty_raw = _text(raw, "sentence"), _text(raw, "penalty")
    sent = parse_sentences(_na_if_blank(sentence_raw), _na_if_blank(penalty_raw))
    bad = sent["error"].notna().to_numpy()
    on_sentence = (sentence_raw != "").to_numpy()
    flag(bad & on_sentence, "sentence", sent["error"], False)
    flag(bad & ~on_sentence, "penalty", sent["error"], False)
    del bad, on_sentence
    out.update(
        sentence_months=pd.to_numeric(sent["sentence_months"], errors="coerce").astype("float64"),
        penalty_type=sent["penalty_type"], regime=sent["regime"],
    )
    del sent

    # prison, died, region ---------------------------------------------------------------------------
    prison_raw = _text(raw, "prison")
    prison, released_marker = _map_distinct_multi(_na_if_blank(prison_raw), parse_prison, (None, False))
    released_marker = released_marker.astype(bool)

    died_norm = _norm(_text(raw, "died"))
    died = (died_norm.notna() & ~died_norm.isin(DIED_FALSE)).astype(bool)
    del died_norm

    clusters_norm = _norm(_text(raw, "clusters"))
    region_cl = _map_distinct(clusters_norm, region_of)
    flag((clusters_norm.notna() & region_cl.isna()).to_numpy(),
         "clusters", "clusters value is not a recognised region", False)
    del clusters_norm
    region_pr = _map_distinct(_norm(prison_raw), region_of)
    region = region_cl.where(region_cl.notna(), region_pr)
    del region_cl, region_pr, prison_raw

    out.update(
        status=status, ex_post_facto=ex_post, gender=gender, birth_year=birth_year,
        detention_date=det["date"], verdict_date=ver["date"], release_date=rel["date"],
        detention_precision=det["precision"], verdict_precision=ver["precision"],
        release_precision=rel["precision"], articles=codes, article_family=family, prison=prison,
        released_marker=released_marker, died=died, region=region, recognised_date=recognised,
    )
    detention_date = det["date"]
    del (status, ex_post, gender, codes, family, prison, released_marker, died, region, charges_raw, sentence_raw,
         penalty_raw, texts, status_raw, dates, det, ver, rel, det_start, recognised)

    # persons: links between the records kept ----------------------------------------------------------
    keep = ~whole
    kept = raw.index[keep]
    ids = _text(raw, "id")
    urls = _norm_url(raw["url"])
    # names only matter through equality: one int code per normalised name (-1 = none)
    name_code = pd.factorize(_norm_name(raw["name"]), use_na_sentinel=True)[0].astype(np.int64)
    # name + day birth date as one int64 key: (name code << 24) | (days since 1970 + 2**23)
    days = birth_day.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
    both = (name_code >= 0) & birth_day.notna().to_numpy()
    name_day = pd.Series(np.where(both, (name_code << 24) | (days + (1 << 23)), -1), index=raw.index)
    name_day = name_day.astype("Int64").mask(~both)
    del days, both
    comp = pd.Series(_components([k[keep].reset_index(drop=True) for k in (_na_if_blank(ids), urls, name_day)],
                                 len(kept)), index=kept)
    del name_day

    # record keys (built after the links: the two sets of per-row strings never coexist) ---------------
    record_key = _record_keys(ids, urls, raw[ROW_COLUMN])
    kept_urls = urls[keep]
    del ids, urls
    kept_keys = record_key[keep]
    del record_key
    # person key: the smallest person page (url) of the component, else its smallest record key. A person's
    # page stays the same from one export to the next, so person_id stays stable when records are added.
    # Rank the keys (factorize with sort; url keys sort first), take the min rank per component (cython).
    has_url = kept_urls.notna().to_numpy()
    ordered = np.where(has_url, "0url:" + kept_urls.fillna("").to_numpy(dtype=object),
                       "1" + kept_keys.to_numpy(dtype=object))
    del kept_urls, has_url
    rank, sorted_keys = pd.factorize(ordered, sort=True)
    del ordered
    min_rank = pd.Series(rank, index=kept).groupby(comp, sort=False).transform("min").to_numpy()
    del rank
    smallest = pd.Series(np.asarray(sorted_keys, dtype=object)[min_rank], index=kept, dtype=object).str[1:]
    del sorted_keys, min_rank
    person_id = keyed_hash(smallest, key, f"person|{source}")
    del smallest
    record_id = keyed_hash(kept_keys, key, f"record|{source}")
    del kept_keys

    cand = pd.DataFrame({"name": name_code[keep], "year": birth_year[keep], "comp": comp,
                         "day": birth_day[keep]}, index=kept)
    cand = cand[cand["name"].to_numpy() >= 0]
    same_year = cand.dropna(subset=["year"])
    ambiguous = same_year.groupby(["name", "year"], sort=False)["comp"].transform("nunique") > 1
    day_rows = cand.dropna(subset=["day"])
    ambiguous_day = day_rows.groupby("name", sort=False)["comp"].transform("nunique") > 1
    dup_index = ambiguous[ambiguous].index.union(ambiguous_day[ambiguous_day].index)
    del cand, same_year, day_rows, ambiguous, ambiguous_day, comp, name_code, birth_year, birth_day
    dup_mask = np.zeros(n, dtype=bool)
    dup_mask[dup_index.to_numpy(dtype=np.int64)] = True
    flag(dup_mask, "name", POSSIBLE_DUPLICATE, False)
    del dup_mask, dup_index

    # assemble ----------------------------------------------------------------------------------------
    # Sort first (person_id, detention date, record_id), then gather every column once, straight into
    # output order, dropping its source at once: no wide intermediate frames (each a copy of the table).
    order = _sort_positions(person_id.to_numpy(), detention_date[keep].to_numpy(), record_id.to_numpy())
    del detention_date
    pos = np.flatnonzero(keep)[order]  # row positions of raw, in output order
    columns: dict[str, object] = {
        "record_id": record_id.to_numpy()[order],
        "person_id": person_id.to_numpy()[order],
        "source": _constant(source, len(pos)) if source == "synthetic" or not marked.any() else
        np.where(marked[pos], "synthetic", source).astype(object),
    }
    del record_id, person_id, order
    for col in PEOPLE_COLUMNS:
        if col in out:
            columns[col] = _take(out.pop(col), pos)
        if col in ("gender", "detention_precision", "verdict_precision", "release_precision", "articles",
                   "article_family", "penalty_type", "regime", "prison", "region"):
            values = np.asarray(columns[col], dtype=object)  # a fresh array (taken above): safe to change
            values[pd.isna(values)] = np.nan  # None -> NaN, as read_csv would give
            columns[col] = values
    del pos
    columns["exit_type"] = exit_type(pd.DataFrame(columns, copy=False)).to_numpy()
    people = pd.DataFrame({col: columns.pop(col) for col in PEOPLE_COLUMNS}, copy=False)  # no copy of the data
    assert not out and not columns

    quarantine = q.collect(pieces)
    counts = {
        "input_rows": int(n),
        "clean_rows": int(len(people)),
        "quarantined_rows": int(whole.sum()),
        "field_problems": int((~quarantine["whole_row"]).sum()),
        "synthetic_rows": int(marked.sum()),
    }
    if counts["input_rows"] != counts["clean_rows"] + counts["quarantined_rows"]:
        raise AssertionError(f"row accounting broken: {counts}")
    return CleanResult(people=people, quarantine=quarantine, counts=counts)


def _hex_key(h: pd.Series | np.ndarray) -> np.ndarray:
    """16-hex ids as fixed-width bytes: same order, sorted in C (much faster than object strings)."""
    return pd.Series(h, dtype=object).fillna("").to_numpy(dtype="S16")


def _sort_positions(person_id: np.ndarray, detention: np.ndarray, record_id: np.ndarray) -> np.ndarray:
    """Positions sorting by person_id, detention date (missing last), record_id."""
    det = np.asarray(detention, dtype="datetime64[ns]")
    det_int = np.where(np.isnat(det), np.iinfo(np.int64).max, det.astype(np.int64))
    return np.lexsort((_hex_key(record_id), det_int, _hex_key(person_id)))


def _sort_order(people: pd.DataFrame) -> np.ndarray:
    """Positions sorting people by person_id, detention_date (missing last), record_id."""
    return _sort_positions(people["person_id"].to_numpy(), people["detention_date"].to_numpy(),
                           people["record_id"].to_numpy())


def _constant(value: object, length: int) -> np.ndarray:
    """Object array holding one shared ``value`` (``np.full`` would make a new str per element)."""
    out = np.empty(length, dtype=object)
    out.fill(value)
    return out


def _take(s: pd.Series, pos: np.ndarray):
    """Values of ``s`` at positions ``pos`` as a new array (numpy, or the extension array for Int64...)."""
    if isinstance(s.dtype, np.dtype):
        return s.to_numpy()[pos]
    return s.array.take(pos)


def _record_keys(ids: pd.Series, urls: pd.Series, rows: pd.Series) -> pd.Series:
    """``id:<id>``, else ``url:<normalised url>``, else ``row:<n>``; repeats get ``#2``, ``#3``... in row order.

    Each key string is built only for the rows that use it (no per-row temporaries for the others).
    """
    id_arr = ids.to_numpy(dtype=object)
    url_arr = urls.to_numpy(dtype=object)
    out = np.empty(len(id_arr), dtype=object)
    has_id = id_arr != ""
    out[has_id] = ["id:" + v for v in id_arr[has_id]]
    use_url = ~has_id & pd.notna(url_arr)
    if use_url.any():
        out[use_url] = ["url:" + u for u in url_arr[use_url]]
    use_row = ~has_id & ~use_url
    if use_row.any():
        out[use_row] = ("row:" + rows[use_row].astype(str)).to_numpy(dtype=object)
    record_key = pd.Series(out, index=ids.index, dtype=object)
    nth = record_key.groupby(record_key, sort=False).cumcount()
    again = (nth > 0).to_numpy()
    if again.any():
        out[again] = (record_key[again] + "#" + (nth[again] + 1).astype(str)).to_numpy(dtype=object)
    return record_key
