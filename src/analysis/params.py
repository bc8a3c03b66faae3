"""Notebook parameters: what each notebook declares, what values it allows, and `-p KEY VALUE` as safe values.

Why this module is strict: a parameter value ends up as Python source in the executed notebook. papermill
writes non-string values unescaped, so a set or bytes literal in a value ran shell commands in the kernel
(issue 9). Here every value is a *JSON value* (null, bool, int, float, str, list, dict with str keys),
checked recursively against the parameter's rule, and the runner writes the injected cell itself with
`to_source()` (Python `repr` of JSON values, re-read with `ast.literal_eval` before use). papermill never
translates a value.

Declared parameters are read from the notebook's cell tagged `parameters` with Python's own parser
(`ast`), so a comment containing `=` or quotes cannot confuse it. Rules come from
`notebooks/parameters.yml` (allowed values declared once, next to the defaults' notebook), falling back to
the name (`*_date` is a date; `*_months`, `*_days`, `*_weeks`, `*_years`, `n_*` are not negative) and the
type of the literal default:

| rule key   | meaning                                                                          |
|------------|----------------------------------------------------------------------------------|
| `type`     | int, float, bool, str, date (`YYYY-MM-DD` or `YYYY-MM`, a real calendar date, ASCII digits), list, dict, period (`[start, end]`, end may be null, start <= end) |
| `nullable` | true when null/None is allowed (`-p end_date null`)                                |
| `choices`  | the allowed values                                                               |
| `min/max`  | inclusive bounds of a number;  `min_items` / `max_items`: bounds of a list's length |
| `items`    | the rule of each element of a list;  `values`: the rule of each value of a dict  |

Across parameters: `<prefix>end_date` must not be before `<prefix>start_date`. `small_cell_threshold` is
never below `SMALL_CELL_FLOOR`, whatever the rules file says.
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import json
import math
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.errors import DataError, UsageError

SPEC_FILE = "parameters.yml"  # next to reports.yml
MAX_VALUE_CHARS = 10_000  # a command-line value longer than this is refused before parsing
MAX_DEPTH = 6  # nesting of lists/dicts inside one value
MAX_NODES = 2_000  # scalars + containers inside one value
SMALL_CELL_FLOOR = 5  # = report.SMALL_CELL_THRESHOLD; no run may publish groups smaller than this
FLOORED = {"small_cell_threshold": SMALL_CELL_FLOOR}
TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})
NULL_WORDS = frozenset({"null", "None"})
ISO_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?", re.ASCII)
INT_TEXT = re.compile(r"[+-]?\d+", re.ASCII)
FLOAT_TEXT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
DATE_SUFFIX = "_date"  # without a rule, `*_date` takes a date
COUNT_SUFFIXES = ("_months", "_days", "_weeks", "_years")  # without a rule, these and `n_*` are >= 0
COUNT_PREFIXES = ("n_",)
TYPES = ("int", "float", "bool", "str", "date", "list", "dict", "period")
RULE_KEYS = {"type", "nullable", "choices", "min", "max", "min_items", "max_items", "items", "values", "help"}
ANNOTATION_TYPES = {"int": "int", "float": "float", "bool": "bool", "str": "str", "list": "list", "List": "list",
                    "dict": "dict", "Dict": "dict"}


@dataclass(frozen=True)
class Declared:
    """One assignment of a notebook's parameters cell."""

    name: str
    default: Any  # the literal default (None when the default is not a literal)
    literal: bool
    annotation: str
    help: str


# ------------------------------------------------------------------------------------ the notebook's cell


def parameters_source(notebook_path: str | Path) -> str | None:
    """Source of the first cell tagged `parameters`, or None when the notebook has none."""
    path = Path(notebook_path)
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read notebook {path}: {exc}") from None
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell.get("source", "")
            return "".join(source) if isinstance(source, list) else str(source)
    return None


def declared(notebook_path: str | Path) -> dict[str, Declared]:
    """Parameters assigned at the top level of the notebook's `parameters` cell, in order (parsed by `ast`)."""
    path = Path(notebook_path)
    source = parameters_source(path)
    if source is None:
        return {}
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise DataError(path, f"the parameters cell is not valid Python: {exc.msg}", row=exc.lineno) from None
    comments = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                comments.setdefault(token.start[0], token.string.lstrip("#").strip())
    except (tokenize.TokenError, SyntaxError):
        pass
    found: dict[str, Declared] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, value, annotation = node.targets[0].id, node.value, ""
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, value, annotation = node.target.id, node.value, ast.unparse(node.annotation)
        else:
            continue
        try:
            default, literal = ast.literal_eval(value), True
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            default, literal = None, False
        found[name] = Declared(name, default, literal, annotation, comments.get(node.lineno, ""))
    return found


# ----------------------------------------------------------------------------------------------- rules


def load_spec(spec_path: str | Path) -> dict[str, dict[str, dict]]:
    """`parameters.yml`: report name -> parameter -> rule; checked so that a typo in a rule is an error."""
    import yaml

    path = Path(spec_path)
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise DataError(path, f"not valid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict):
        raise DataError(path, "expected report name -> parameter -> rule")
    for report, rules in data.items():
        if not isinstance(rules, dict):
            raise DataError(path, f"{report}: expected parameter -> rule")
        for name, rule in rules.items():
            _check_rule(path, f"{report}.{name}", rule)
    return data


def _check_rule(path: Path, where: str, rule: Any) -> None:
    if not isinstance(rule, dict):
        raise DataError(path, f"{where}: a rule is a mapping (type, nullable, choices, min, max, items, values)")
    unknown = sorted(set(rule) - RULE_KEYS)
    if unknown:
        raise DataError(path, f"{where}: unknown rule key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(RULE_KEYS))})")
    if "type" in rule and rule["type"] not in TYPES:
        raise DataError(path, f"{where}: type {rule['type']!r} is not one of {', '.join(TYPES)}")
    for key in ("items", "values"):
        if key in rule:
            _check_rule(path, f"{where}.{key}", rule[key])


def rule_from_default(default: Any, literal: bool, annotation: str = "") -> dict:
    """The rule of a parameter that parameters.yml does not describe: the type of its literal default."""
    base = annotation.split("[", 1)[0].strip()
    if base in ANNOTATION_TYPES:
        return {"type": ANNOTATION_TYPES[base], "nullable": default is None}
    if not literal or default is None:
        return {}  # any JSON value
    for python_type, name in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str"), ((list, tuple), "list"),
                              (dict, "dict")):
        if isinstance(default, python_type):  # bool before int: bool is a subclass of int
            return {"type": name}
    return {}


def rule_for(name: str, info: Declared, spec: dict[str, dict]) -> dict:
    """The rule of one parameter: its parameters.yml entry, else one inferred from its name and default."""
    if name in spec:
        rule = dict(spec[name])
    elif name.endswith(DATE_SUFFIX):
        rule = {"type": "date", "nullable": info.default is None}
    else:
        rule = rule_from_default(info.default, info.literal, info.annotation)
        if rule.get("type") in {"int", "float"} and (name.endswith(COUNT_SUFFIXES) or name.startswith(COUNT_PREFIXES)):
            rule["min"] = 0
    if "type" not in rule and "choices" not in rule and info.literal and info.default is not None:
        rule.update({k: v for k, v in rule_from_default(info.default, True).items() if k not in rule})
    if name in FLOORED:  # whatever the rules file says: a whole number, at least the floor
        rule.pop("choices", None)
        rule.update(type="int", nullable=False, min=max(rule.get("min", FLOORED[name]), FLOORED[name]))
    return rule


# ------------------------------------------------------------------------------------------ JSON values


def check_json(value: Any, where: str = "value") -> None:
    """Raise UsageError unless `value` is a JSON value (finite numbers, str keys), within depth and size limits."""
    nodes = 0

    def walk(item: Any, path: str, depth: int) -> None:
        nonlocal nodes
        nodes += 1
        if nodes > MAX_NODES:
            raise UsageError(f"{where}: more than {MAX_NODES} items")
        if depth > MAX_DEPTH:
            raise UsageError(f"{where}: nested deeper than {MAX_DEPTH} levels")
        if item is None or isinstance(item, (bool, str)) or type(item) is int:
            return
        if type(item) is float:
            if not math.isfinite(item):
                raise UsageError(f"{path}: {item!r} is not a finite number")
            return
        if type(item) is list:
            for index, element in enumerate(item):
                walk(element, f"{path}[{index}]", depth + 1)
            return
        if type(item) is dict:
            for key, element in item.items():
                if type(key) is not str:
                    raise UsageError(f"{path}: key {key!r} is not a string (only JSON values are accepted)")
                walk(element, f"{path}[{key!r}]", depth + 1)
            return
        raise UsageError(f"{path}: a {type(item).__name__} is not a JSON value (null, true/false, number, "
                         "string, list, or object with string keys)")

    walk(value, where, 0)


def parse_structured(text: str, where: str) -> Any:
    """JSON, or YAML restricted to JSON's data model (no tags, anchors or aliases; dates stay strings)."""
    if len(text) > MAX_VALUE_CHARS:
        raise UsageError(f"{where}: value longer than {MAX_VALUE_CHARS} characters")
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except ValueError:
        value = _parse_yaml(text, where)
    except RecursionError:
        raise UsageError(f"{where}: nested too deeply") from None
    check_json(value, where)
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a finite number")


def _json_yaml_loader() -> type:
    import yaml

    class JsonYamlLoader(yaml.SafeLoader):
        """SafeLoader that builds only JSON types: timestamps stay strings; tagged nodes never get here."""

    JsonYamlLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return JsonYamlLoader


def _parse_yaml(text: str, where: str) -> Any:
    import yaml

    example = "give JSON, e.g. '{\"War\": \"2022-02-24\"}' or '[\"a\", \"b\"]'"
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise UsageError(f"{where}: YAML anchors and aliases are not accepted; {example}")
            if getattr(event, "tag", None) is not None:
                raise UsageError(f"{where}: YAML tags ({event.tag}) are not accepted; {example}")
        return yaml.load(text, Loader=_json_yaml_loader())
    except yaml.YAMLError:
        raise UsageError(f"{where}: not valid JSON or YAML; {example}") from None
    except RecursionError:
        raise UsageError(f"{where}: nested too deeply") from None


# ------------------------------------------------------------------------------------- value checking


def parse_date(value: Any) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) of an ISO `YYYY-MM-DD` / `YYYY-MM` string that exists in the calendar."""
    match = ISO_DATE.fullmatch(value) if isinstance(value, str) else None
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    day = int(match.group(3)) if match.group(3) else None
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return None
    return year, month, day


def _date_before(end: tuple, start: tuple) -> bool:
    """Compare at the coarser precision of the two (2020-05 is not before 2020-05-17)."""
    precision = 3 if start[2] is not None and end[2] is not None else 2
    return end[:precision] < start[:precision]


def conform(value: Any, rule: dict, where: str) -> Any:
    """`value` (already a JSON value) checked against `rule`, recursively; ints become floats for float rules."""
    kind = rule.get("type")
    if value is None:
        if rule.get("nullable") or (not kind and not rule.get("choices")):
            return None
        raise UsageError(f"{where}: null is not allowed here")
    if "choices" in rule:
        if value not in rule["choices"] or type(value) is not type(next(c for c in rule["choices"] if c == value)):
            raise UsageError(f"{where}: {value!r} is not one of {', '.join(map(repr, rule['choices']))}")
        return value
    if kind == "int":
        if type(value) is not int:
            raise UsageError(f"{where}: {value!r} is not a whole number")
        return _bounded(value, rule, where)
    if kind == "float":
        if type(value) not in (int, float):
            raise UsageError(f"{where}: {value!r} is not a number")
        return _bounded(float(value), rule, where)
    if kind == "bool":
        if type(value) is not bool:
            raise UsageError(f"{where}: {value!r} is not true or false")
        return value
    if kind == "str":
        if type(value) is not str:
            raise UsageError(f"{where}: {value!r} is not a string")
        return value
    if kind == "date":
        if parse_date(value) is None:
            raise UsageError(f"{where}: {value!r} is not a calendar date (YYYY-MM-DD or YYYY-MM, ASCII digits)")
        return value
    if kind == "period":
        if type(value) is not list or len(value) != 2:
            raise UsageError(f"{where}: {value!r} is not a [start, end] pair of dates")
        start = conform(value[0], {"type": "date"}, f"{where} start")
        end = conform(value[1], {"type": "date", "nullable": True}, f"{where} end")
        if end is not None and _date_before(parse_date(end), parse_date(start)):
            raise UsageError(f"{where}: end {end} is before start {start}")
        return [start, end]
    if kind == "list":
        if type(value) is not list:
            raise UsageError(f"{where}: {value!r} is not a list (give JSON, e.g. '[\"a\", \"b\"]')")
        if len(value) < rule.get("min_items", 0) or len(value) > rule.get("max_items", MAX_NODES):
            raise UsageError(f"{where}: {len(value)} items, allowed {rule.get('min_items', 0)} to "
                             f"{rule.get('max_items', MAX_NODES)}")
        return [conform(item, rule.get("items", {}), f"{where}[{index}]") for index, item in enumerate(value)]
    if kind == "dict":
        if type(value) is not dict:
            raise UsageError(f"{where}: {value!r} is not an object (give JSON, e.g. '{{\"War\": \"2022-02-24\"}}')")
        return {key: conform(item, rule.get("values", {}), f"{where}[{key!r}]") for key, item in value.items()}
    return value  # no type: any JSON value (already checked)


def _bounded(number: int | float, rule: dict, where: str) -> int | float:
    if "min" in rule and number < rule["min"]:
        raise UsageError(f"{where}: {number} is below the minimum {rule['min']}")
    if "max" in rule and number > rule["max"]:
        raise UsageError(f"{where}: {number} is above the maximum {rule['max']}")
    return number


def parse_value(text: str, rule: dict, where: str) -> Any:
    """The command-line string `text` as a JSON value obeying `rule`, or UsageError (one line)."""
    if len(text) > MAX_VALUE_CHARS:
        raise UsageError(f"{where}: value longer than {MAX_VALUE_CHARS} characters")
    kind, stripped = rule.get("type"), text.strip()
    if rule.get("nullable") and stripped in NULL_WORDS:
        return None
    choices = rule.get("choices")
    if choices is not None and text in [c for c in choices if isinstance(c, str)]:
        return text
    if kind in {"list", "dict", "period"} or (kind is None and choices is None):
        if kind is None:  # no rule at all: a JSON value when it parses as one, else the string
            try:
                value = json.loads(stripped, parse_constant=_no_constant)
            except (ValueError, RecursionError):
                value = text
            check_json(value, where)
            return conform(value, rule, where)
        return conform(parse_structured(stripped, where), rule, where)
    if kind == "int" or (kind is None and choices and all(type(c) is int for c in choices)):
        if not INT_TEXT.fullmatch(stripped):
            raise UsageError(f"{where}: {text!r} is not a whole number")
        return conform(int(stripped), rule, where)
    if kind == "float":
        if not FLOAT_TEXT.fullmatch(stripped):
            raise UsageError(f"{where}: {text!r} is not a number")
        number = float(stripped)
        if not math.isfinite(number):
            raise UsageError(f"{where}: {text!r} is not a finite number")
        return conform(number, rule, where)
    if kind == "bool":
        if stripped.lower() in TRUE_WORDS:
            return True
        if stripped.lower() in FALSE_WORDS:
            return False
        raise UsageError(f"{where}: {text!r} is not a boolean (true/false, yes/no, 1/0)")
    if CONTROL.search(text):
        raise UsageError(f"{where}: control characters are not accepted")
    return conform(stripped if kind == "date" else text, rule, where)


def to_source(name: str, value: Any) -> str:
    """`name = <Python literal>` for the injected cell; only identifiers and JSON values, proved by re-reading."""
    if not name.isidentifier() or not name.isascii():
        raise UsageError(f"parameter name {name!r} is not a Python identifier")
    check_json(value, f"parameter '{name}'")
    literal = repr(value)
    if ast.literal_eval(literal) != value:  # pragma: no cover - repr of JSON values always round-trips
        raise UsageError(f"parameter '{name}': cannot be written as a literal")
    return f"{name} = {literal}"


# ------------------------------------------------------------------------------------------ validation


def check_floors(notebook_path: str | Path) -> None:
    """Refuse a notebook whose own default goes below a floor (small_cell_threshold below 5): DataError."""
    for name, info in declared(notebook_path).items():
        floor = FLOORED.get(name)
        if floor is not None and not (isinstance(info.default, int) and info.default >= floor):
            raise DataError(notebook_path, f"parameter {name} = {info.default!r} in the parameters cell: must be a "
                            f"whole number of at least {floor} (no group smaller than {floor} people is shown)")



def _check_order(merged: dict[str, Any], overridden: set[str], where: str) -> None:
    for end_name in merged:
        if not end_name.endswith("end_date"):
            continue
        start_name = end_name[: -len("end_date")] + "start_date"
        if start_name not in merged or not ({start_name, end_name} & overridden):
            continue
        start, end = parse_date(merged[start_name]), parse_date(merged[end_name])
        if start is None or end is None:
            continue  # a null end date means "up to the newest data"
        if _date_before(end, start):

            def shown(n: str) -> str:
                return f"{n}={merged[n]}" + ("" if n in overridden else " (default)")

            raise UsageError(f"parameters{where}: {shown(end_name)} is before {shown(start_name)}")


def validate(notebook_path: str | Path, overrides: dict[str, str], spec: dict[str, dict] | None = None) -> dict[str, Any]:
    """Typed JSON values for the `-p KEY VALUE` overrides of one notebook, or UsageError (one line).

    `spec` holds this notebook's rules from parameters.yml. Returns only the overridden parameters,
    in the given order: what the runner injects.
    """
    path = Path(notebook_path)
    where = f" of {path.stem}"
    found = declared(path)
    unknown = [name for name in overrides if name not in found]
    if unknown:
        known = ", ".join(found) if found else "none: the notebook has no cell tagged 'parameters'"
        plural = "s" if len(unknown) > 1 else ""
        raise UsageError(f"unknown parameter{plural} {', '.join(map(repr, unknown))} for {path.stem} (known: {known})")
    spec = spec or {}
    typed = {name: parse_value(str(text), rule_for(name, found[name], spec), f"parameter '{name}'{where}")
             for name, text in overrides.items()}
    merged = {name: info.default for name, info in found.items()} | typed
    _check_order(merged, set(typed), where)
    return typed
