"""Places in a record: the facility designation and release marker of the prison cell, and the region.

Only closed vocabularies leave this module: ``colony 15``-like designations, a True/False release marker and
region keys. The prison cell's own text (addresses, names, notes) is read, never returned.
"""

from __future__ import annotations

import re

from analysis.clean import UNKNOWN_MARKERS
from analysis.schemas_people import REGIONS as SCHEMA_REGIONS

RELEASE_MARKER = re.compile(
    r"\breleased\b|\bосвобожден\w*|\bвызвален\w*|\bat liberty\b|на свободе до начала отбывания"
)
# Facility designations: the kind of institution and its number, read from the prison cell; any other text
# (addresses, names, notes) is dropped, never copied. Matched on normalised text (lower case, ё -> е).
FACILITY_KINDS: tuple[tuple[str, str], ...] = (
    ("colony", r"\bик\b|исправительн\w* колони\w*|папраўч\w* калоні\w*|\bкалоні\w*|\bколони\w*|penal colony|\bcolony\b|\bik\b"),
    ("pretrial", r"сизо|сізо|pre-?trial|remand|следственн\w* изолятор"),
    ("open", r"иуот|іуот|открытого типа|адкрытага тыпу|open[- ]type"),
    ("prison", r"тюрьм\w*|турм\w*|\bprison\b"),
    ("ltp", r"\bлтп\b"),
)
_FACILITY_RE = [(kind, re.compile(pattern)) for kind, pattern in FACILITY_KINDS]
_FACILITY_NUMBER = re.compile(r"\s*(?:№|no\.?|n|#)?\s*-?\s*(\d{1,3})\b")

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


def _norm_one(text: str) -> str:
    """Plain-Python twin of analysis.clean.normalise_text for one short segment."""
    t = " ".join(text.lower().replace("ё", "е").replace("\u00a0", " ").split())
    return t.rstrip(".").strip()


def _facility(segment: str) -> object:
    """Normalised text -> ``<kind> <number>`` (e.g. ``colony 15``), ``<kind>`` when no number follows, or None."""
    for kind, pattern in _FACILITY_RE:
        found = pattern.search(segment)
        if found:
            number = _FACILITY_NUMBER.match(segment, found.end())
            return f"{kind} {int(number.group(1))}" if number else kind
    return None


def parse_prison(raw_text: object) -> tuple[object, bool]:
    """prison cell -> (facility designation or None, release marker); the cell's own text is never kept."""
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
    return _facility(_norm_one(kept[0])), marker


def region_of(text: object) -> object:
    """Region key named in a normalised text (clusters or prison cell), or None."""
    if not isinstance(text, str) or not text:
        return None
    found = _REGION_RE.search(text)
    return found.lastgroup if found else None
