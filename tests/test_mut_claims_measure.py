"""claims.measure wires each claim's rule to its tables and to the caller's dates, window and top_k.

Each rule is replaced by a spy that records the arguments it was called with (bound to the real signature, with
defaults filled in), so an argument dropped or swapped for a default shows up even where the default would give
the same numbers on the shipped data.
"""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

import analysis.claims as claims
from analysis.claims import deaths, evidence, legal, percapita

S = pd.Timestamp("2025-09-30")  # not the statement's date, so that a default in its place is caught
START = pd.Timestamp("2024-11-01")
WINDOW = 45
TOP_K = 3
TABLES = {name: pd.DataFrame({"table": [name]}) for name in claims.TABLES}
PC, PC_LATER = {"pc": "dated"}, {"pc": "later"}

SPIED = [(evidence, "recent_releases"), (evidence, "not_measurable"), (evidence, "expulsion_share"),
         (legal, "return_means_prosecution"), (evidence, "waves_past_year"), (evidence, "arrests_continue"),
         (evidence, "remaining_over"), (percapita, "per_capita_rank"), (legal, "redetained"),
         (legal, "in_absentia_after_release"), (legal, "article_411"), (deaths, "deaths"),
         (evidence, "no_systemic_change")]


@pytest.fixture()
def calls(monkeypatch):
    seen = []
    for module, name in SPIED:
        real = getattr(module, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            bound = inspect.signature(_real).bind(*args, **kwargs)
            bound.apply_defaults()
            seen.append((_name, dict(bound.arguments)))
            return {"no": len(seen), "rule": _name}

        monkeypatch.setattr(module, name, spy)

    def figure(other, metric=claims.statement.REMAINING_METRIC, statement_date=claims.STATEMENT_DATE):
        seen.append(("stated_figure", {"other": other, "metric": metric, "statement_date": statement_date}))
        return pd.Series({"value": 1100})

    monkeypatch.setattr(claims, "stated_figure", figure)
    return seen


def _by_name(calls, name):
    found = [args for n, args in calls if n == name]
    assert len(found) == 1, (name, len(found))
    return found[0]


def test_measure_passes_every_argument_through(calls):
    out = claims.measure(TABLES, S, WINDOW, START, PC, PC_LATER, TOP_K)
    assert [m["rule"] for m in out] == [
        "recent_releases", "not_measurable", "expulsion_share", "not_measurable", "return_means_prosecution",
        "waves_past_year", "arrests_continue", "remaining_over", "per_capita_rank", "redetained",
        "in_absentia_after_release", "article_411", "not_measurable", "deaths", "no_systemic_change"]
    t = TABLES
    ev, oth, leg, pp = t["release_events"], t["other_figures"], t["legal_events"], t["pp_counts"]

    def same(name, **expected):
        got = _by_name(calls, name)
        for key, value in expected.items():
            assert got[key] is value or (isinstance(value, pd.Timestamp) and got[key] == value), (name, key)

    figure = _by_name(calls, "stated_figure")
    assert figure["other"] is oth and figure["statement_date"] == S
    same("recent_releases", events=ev, statement_date=S, window_days=WINDOW)
    assert [a["no"] for n, a in calls if n == "not_measurable"] == [2, 4, 13]
    same("expulsion_share", events=ev, other=oth, start=START, statement_date=S)
    same("return_means_prosecution", other=oth, legal=leg, statement_date=S)
    same("waves_past_year", events=ev, start=START, statement_date=S)
    same("arrests_continue", counts=pp, other=oth, statement_date=S)
    same("remaining_over", counts=pp, statement_date=S, window_days=WINDOW)
    assert _by_name(calls, "remaining_over")["threshold"] == 1100.0
    same("per_capita_rank", pc=PC, top_k=TOP_K, later=PC_LATER)
    same("redetained", legal=leg, other=oth, events=ev, statement_date=S)
    same("in_absentia_after_release", other=oth, legal=leg, statement_date=S)
    same("article_411", other=oth, legal=leg, events=ev, statement_date=S)
    same("deaths", deaths_table=t["deaths_in_custody"], other=oth, statement_date=S)
    same("no_systemic_change", counts=pp, events=ev, other=oth, statement_date=S, window_days=WINDOW)


def test_load_tables_reads_every_table_the_claims_use(monkeypatch):
    from analysis.sources import curated

    asked = []
    monkeypatch.setattr(curated, "load", lambda name, verify=True: asked.append((name, verify)) or name)
    assert claims.load_tables() == {n: n for n in claims.TABLES}
    assert asked == [(n, True) for n in claims.TABLES]
    asked.clear()
    claims.load_tables(verify=False)
    assert asked == [(n, False) for n in claims.TABLES]
    assert claims.TABLES == ("pp_counts", "release_events", "deaths_in_custody", "legal_events", "other_figures",
                             "cross_country_pp", "population")
