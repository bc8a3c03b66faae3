"""Validate `-p KEY VALUE` overrides against a notebook's `parameters` cell, before anything executes.

papermill itself only *warns* about parameters the notebook does not declare and injects every
value as given, so a typo (`-p start_dat 2020-01`) or a bad value would silently produce a report
for the defaults, or fail minutes later inside the kernel. `validate()` rejects such input up
front with one-line `UsageError`s.

Types come from the notebook: the annotation or `# type:` comment when there is one
(`window_months: int = 12`), else the type of the literal default (`window_months = 12`).

| default type | accepted VALUE                                                        |
|--------------|-----------------------------------------------------------------------|
| int          | an integer (`12`, `-3`)                                               |
| float        | a finite number (`0.5`, `1e-3`, `2`)                                  |
| bool         | `true/false`, `1/0`, `yes/no` (any case)                              |
| str          | anything, kept as given                                               |
| list / dict  | JSON or YAML (`'[a, b]'`, `'{"x": 1}'`); dates inside stay strings    |
| None/unknown | a Python/JSON literal when it parses as one, else the string          |

Domain rules (checked on the overrides merged with the notebook's defaults):

* a name ending in `_date` (so `start_date`, `end_date`, `release_date`, ...) takes an ISO date
  `YYYY-MM-DD` or month `YYYY-MM`; the value is passed on as the given *string* (notebooks parse it);
* `<prefix>end_date` must not be before `<prefix>start_date` (compared at the coarser precision of
  the two, so `start_date=2020-05-17, end_date=2020-05` is accepted);
* names ending in `_months`, `_days`, `_weeks` or `_years`, or starting with `n_`, must not be negative.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import math
import re
from pathlib import Path
from typing import Any

from analysis.errors import UsageError

TRUE_WORDS = frozenset({"true", "1", "yes"})
FALSE_WORDS = frozenset({"false", "0", "no"})
DATE_SUFFIX = "_date"
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
NON_NEGATIVE_SUFFIXES = ("_months", "_days", "_weeks", "_years")
NON_NEGATIVE_PREFIXES = ("n_",)
# annotation / type comment (as papermill reports it) -> our type name
ANNOTATION_TYPES = {
    "int": "int",
    "float": "float",
    "bool": "bool",
    "str": "str",
    "list": "list",
    "List": "list",
    "dict": "dict",
    "Dict": "dict",
}


def inspect(notebook_path: str | Path) -> dict[str, dict[str, Any]]:
    """Declared parameters of a notebook: name -> {name, type, default (Python value), default_source, help}.

    `type` is one of int/float/bool/str/list/dict, or None when it cannot be told. `default` is the
    literal default (None when the default is an expression rather than a literal).
    """
    import papermill  # lazy: importing papermill costs ~0.5 s, and `run` must be fast when up to date

    path = Path(notebook_path)
    if not path.is_file():
        raise UsageError(f"notebook not found: {path}")
    try:
        raw = papermill.inspect_notebook(str(path))
    except Exception as exc:  # unreadable notebook: report it as one line, not a traceback
        raise UsageError(f"cannot read parameters of {path}: {type(exc).__name__}: {exc}") from exc
    declared = {}
    for name, info in raw.items():
        default_source = str(info.get("default", ""))
        try:
            default = ast.literal_eval(default_source)
            literal = True
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            default, literal = None, False
        declared[name] = {
            "name": name,
            "type": _declared_type(str(info.get("inferred_type_name", "None")), default, literal),
            "default": default,
            "default_source": default_source,
            "help": info.get("help", ""),
        }
    return declared


def _declared_type(annotation: str, default: Any, literal: bool) -> str | None:
    base = annotation.split("[", 1)[0].strip()
    if base in ANNOTATION_TYPES:
        return ANNOTATION_TYPES[base]
    if literal and default is not None:
        for python_type, name in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str"), (list, "list"),
                                  (tuple, "list"), (dict, "dict")):
            if isinstance(default, python_type):  # bool before int: bool is a subclass of int
                return name
    return None


def parse_value(name: str, value: str, type_name: str | None, where: str = "") -> Any:
    """Turn the command-line string `value` into the parameter's type; raise UsageError if impossible."""
    text = value.strip()

    def bad(expected: str) -> UsageError:
        return UsageError(f"parameter '{name}'{where}: {value!r} is not {expected}")

    if name.endswith(DATE_SUFFIX):
        return value  # checked by _check_dates; notebooks parse the string themselves
    if type_name == "int":
        try:
            return int(text)
        except ValueError:
            raise bad("an integer") from None
    if type_name == "float":
        try:
            number = float(text)
        except ValueError:
            raise bad("a number") from None
        if not math.isfinite(number):
            raise bad("a finite number")
        return number
    if type_name == "bool":
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        raise bad("a boolean (true/false, yes/no, 1/0)")
    if type_name == "str":
        return value
    if type_name in {"list", "dict"}:
        parsed = _parse_structured(text)
        wanted = list if type_name == "list" else dict
        if not isinstance(parsed, wanted):
            raise bad(f"a {type_name} (give JSON or YAML, e.g. " + ("'[a, b]')" if wanted is list else "'{a: 1}')"))
        return parsed
    # unknown type (default None or an expression): a literal if it is one, else the string
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return value


def _parse_structured(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        pass
    import yaml

    try:
        return _dates_to_strings(yaml.safe_load(text))
    except yaml.YAMLError:
        return None


def _dates_to_strings(obj: Any) -> Any:
    """YAML turns 2020-01-01 into a date object; keep it the ISO string the user typed."""
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    if isinstance(obj, list):
        return [_dates_to_strings(item) for item in obj]
    if isinstance(obj, dict):
        return {key: _dates_to_strings(item) for key, item in obj.items()}
    return obj


def _parse_iso(value: Any) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) for 'YYYY-MM-DD' / 'YYYY-MM', None if not such a valid date."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year, value.month, value.day
    match = ISO_DATE.match(str(value).strip()) if isinstance(value, str) else None
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    day = int(match.group(3)) if match.group(3) else None
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return None
    return year, month, day


def _check_dates(merged: dict[str, Any], overrides: dict[str, Any], where: str) -> None:
    for name, value in overrides.items():
        if name.endswith(DATE_SUFFIX) and _parse_iso(value) is None:
            raise UsageError(f"parameter '{name}'{where}: {value!r} is not an ISO date (YYYY-MM-DD or YYYY-MM)")
    for end_name in merged:
        if not end_name.endswith("end_date"):
            continue
        start_name = end_name[: -len("end_date")] + "start_date"
        if start_name not in merged or not (start_name in overrides or end_name in overrides):
            continue
        start, end = _parse_iso(merged[start_name]), _parse_iso(merged[end_name])
        if start is None or end is None:
            continue  # a non-literal default (e.g. None for "open-ended"): nothing to compare
        precision = 3 if start[2] is not None and end[2] is not None else 2
        if end[:precision] < start[:precision]:

            def shown(n: str) -> str:
                return f"{n}={merged[n]}" + ("" if n in overrides else " (default)")

            raise UsageError(f"parameters{where}: {shown(end_name)} is before {shown(start_name)}")


def _check_non_negative(overrides: dict[str, Any], where: str) -> None:
    for name, value in overrides.items():
        counted = name.endswith(NON_NEGATIVE_SUFFIXES) or name.startswith(NON_NEGATIVE_PREFIXES)
        if counted and isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            raise UsageError(f"parameter '{name}'{where}: {value} must not be negative")


def validate(notebook_path: str | Path, overrides: dict[str, str]) -> dict[str, Any]:
    """Typed values for the `-p KEY VALUE` overrides of one notebook, or UsageError (one line) if any is wrong.

    Returns only the overridden parameters (what papermill should inject), in the given order.
    """
    path = Path(notebook_path)
    where = f" of {path.name}"
    declared = inspect(path)
    unknown = [name for name in overrides if name not in declared]
    if unknown:
        known = ", ".join(declared) if declared else "none: the notebook has no cell tagged 'parameters'"
        plural = "s" if len(unknown) > 1 else ""
        raise UsageError(f"unknown parameter{plural} {', '.join(map(repr, unknown))} for {path.name} (known: {known})")
    typed = {name: parse_value(name, str(value), declared[name]["type"], where) for name, value in overrides.items()}
    merged = {name: info["default"] for name, info in declared.items()} | typed
    _check_dates(merged, typed, where)
    _check_non_negative(typed, where)
    return typed
