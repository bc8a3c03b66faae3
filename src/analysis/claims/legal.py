"""What the curated tables show on the claims about named cases and legal practice: returns (claim 5),
re-detention (claim 10), trials in absentia (claim 11) and Article 411 (claim 12). UN rows are never evidence."""

from __future__ import annotations

import re

import pandas as pd

from analysis.claims import rubric
from analysis.claims.evidence import _measured, _text
from analysis.claims.statement import NAMED, STATEMENT_DATE, is_un

CRACKDOWN_START = "2020-08-09"  # the 2020 presidential election: claim 12 counts Art. 411 events from then
# claim 10: words that say a released person was put back behind bars
REDETAINED = (r"return(?:ed)? to (?:a |the )?(?:prison|colony)|re-?jail|re-?arrest|re-?imprison|detained again"
              r"|apprehended|placed in detention|back (?:to|in) (?:prison|jail|colony)")
RELEASED_WORDS = r"releas|pardon|freed"  # claim 11: words that say a person had been freed
ABSENTIA = r"absentia|special proceedings"
ART411 = r"\b411\b|malicious disobedience"


def return_means_prosecution(other: pd.DataFrame, legal: pd.DataFrame, statement_date=STATEMENT_DATE) -> dict:
    """Claim 5: non-UN figures on in-absentia convictions and the in-absentia law, dated up to the statement.

    Figures published by UN bodies (e.g. returnees arrested, as reported by OHCHR) are the claim's own side and
    are listed as left out, never used. The Commission on Return's figures are reported as counter-evidence.
    """
    end = pd.Timestamp(statement_date)
    metrics = ["returnees_arrested", "in_absentia_cases"]
    o = other.loc[other["metric"].isin(metrics + ["return_commission_requests"])]
    un = o.loc[is_un(o)]
    o = o.loc[~is_un(o)]
    o_before, o_after = rubric.split_at(o, "as_of_date", end)
    law = legal.loc[_text(legal, ["title", "description"]).str.contains("absentia", case=False) & ~is_un(legal)]
    law_before, _ = rubric.split_at(law, "event_date", end)
    found = o_before.loc[o_before["metric"].isin(metrics) & (o_before["value"] > 0)]

    def latest(df, metric):
        m = df.loc[df["metric"].eq(metric)].sort_values(["as_of_date", "value"], kind="mergesort")
        return None if m.empty else (m["as_of_date"].iloc[-1], float(m["value"].iloc[-1]), m["source_org"].iloc[-1])

    values = {"statement_date": end, "in_absentia": latest(o_before, "in_absentia_cases"),
              "returnees": latest(o_before, "returnees_arrested"),
              "commission": latest(o_before, "return_commission_requests"),
              "law_date": law_before["event_date"].min() if len(law_before) else None,
              "un_left_out": [(m, float(v), s) for m, v, s in zip(un["metric"], un["value"], un["source_org"])],
              "later": latest(o_after, "in_absentia_cases")}
    return _measured(5, rubric.indirect(len(found) > 0), values,
                     [("other_figures", o_before), ("legal_events", law_before)], [("other_figures", o_after)])


def redetained(legal: pd.DataFrame, other: pd.DataFrame, events: pd.DataFrame, name: str = NAMED[10][0],
               statement_date=STATEMENT_DATE) -> dict:
    """Claim 10: reports, dated up to the statement, that ``name`` was put back behind bars after his release."""
    end = pd.Timestamp(statement_date)
    prim = events.loc[events["is_primary"].eq(1)].sort_values("event_date", kind="mergesort")
    rel = prim.loc[prim["notable_people"].fillna("").str.contains(name, regex=False)]
    rel_before, rel_after = rubric.split_at(rel, "event_date", end)
    found, later = [], []
    for table, df, cols, date_col in (("legal_events", legal, ["title", "description"], "event_date"),
                                      ("other_figures", other, ["scope", "evidence"], "as_of_date"),
                                      ("release_events", events, ["evidence", "notes"], "source_published")):
        text = _text(df, cols)
        hit = df.loc[text.str.contains(name, regex=False) & text.str.contains(REDETAINED, case=False, regex=True)
                     & ~is_un(df)]
        b, a = rubric.split_at(hit, date_col, end)
        found.append((table, b, b[date_col]))
        later.append((table, a))
    n = len({u for _, h, _ in found for u in h["source_url"]})
    dates = pd.concat([d for _, _, d in found]).dropna()
    released = rel_before["event_date"].iloc[0] if len(rel_before) else None
    first = dates.min() if len(dates) else None
    values = {"name": name, "statement_date": end, "released": released, "reports": n, "first_report": first,
              "days_after_release": None if released is None or first is None else int((first - released).days),
              "later_reports": len({u for _, h in later for u in h["source_url"]}),
              "later_release": rel_after["event_date"].iloc[0] if len(rel_after) else None}
    verdict = rubric.reports_found(n, len(rel_before) > 0)
    rows = [("release_events", rel_before.head(1))] + [(t, h) for t, h, _ in found]
    return _measured(10, verdict, values, rows, later + [("release_events", rel_after)])


def in_absentia_after_release(other: pd.DataFrame, legal: pd.DataFrame, statement_date=STATEMENT_DATE) -> dict:
    """Claim 11: non-UN rows dated up to the statement linking an in-absentia case to a released person, or else
    the general count of in-absentia convictions."""
    end = pd.Timestamp(statement_date)
    o_text, l_text = _text(other, ["scope", "evidence"]), _text(legal, ["title", "description"])
    link_o = other.loc[o_text.str.contains(ABSENTIA, case=False) & o_text.str.contains(RELEASED_WORDS, case=False)
                       & ~is_un(other)]
    link_l = legal.loc[l_text.str.contains(ABSENTIA, case=False) & l_text.str.contains(RELEASED_WORDS, case=False)
                       & ~is_un(legal)]
    link_o, link_o_after = rubric.split_at(link_o, "as_of_date", end)
    link_l, link_l_after = rubric.split_at(link_l, "event_date", end)
    general = other.loc[other["metric"].eq("in_absentia_cases") & ~is_un(other)]
    gen_before, gen_after = rubric.split_at(general, "as_of_date", end)
    gen_before = gen_before.sort_values("as_of_date", kind="mergesort")
    values = {"statement_date": end, "linking_rows": len(link_o) + len(link_l),
              "latest": None if gen_before.empty else (gen_before["as_of_date"].iloc[-1], float(gen_before["value"].iloc[-1])),
              "first": None if len(gen_before) < 2 else (gen_before["as_of_date"].iloc[0], float(gen_before["value"].iloc[0])),
              "later_linking_rows": len(link_o_after) + len(link_l_after)}
    verdict = rubric.reports_found(values["linking_rows"], len(gen_before) > 0)
    return _measured(11, verdict, values,
                     [("other_figures", pd.concat([link_o, gen_before])), ("legal_events", link_l)],
                     [("other_figures", pd.concat([link_o_after, gen_after])), ("legal_events", link_l_after)])


def article_411(other: pd.DataFrame, legal: pd.DataFrame, events: pd.DataFrame, statement_date=STATEMENT_DATE,
                since: str = CRACKDOWN_START) -> dict:
    """Claim 12: Art. 411 figures (other_figures metrics starting ``art411``) and events (legal_events since
    ``since``), UN rows left out, dated up to the statement; examples of a person whose term was extended and
    who was later released (a capitalised surname of an Art. 411 crackdown event found in a later release row,
    both dated up to the statement), reported as examples, never as a share."""
    end = pd.Timestamp(statement_date)
    figs = other.loc[other["metric"].str.startswith("art411") & ~is_un(other)]
    figs, figs_after = rubric.split_at(figs.sort_values("as_of_date", kind="mergesort"), "as_of_date", end)
    text = _text(legal, ["title", "description"])
    ev = legal.loc[text.str.contains(ART411, case=False) & ~is_un(legal) & (legal["event_date"] >= pd.Timestamp(since))]
    ev, ev_after = rubric.split_at(ev, "event_date", end)
    prim = events.loc[events["is_primary"].eq(1) & (events["event_date"] <= end)]
    examples = []
    for _, row in ev.loc[ev["event_type"].eq("crackdown")].iterrows():
        for token in re.findall(r"\b[A-Z][a-z]{4,}\b", str(row["title"])):
            later_legal = legal.loc[(legal["event_date"] > row["event_date"]) & (legal["event_date"] <= end)
                                    & legal["title"].str.contains(token) & legal["title"].str.contains("released")]
            later_rel = prim.loc[(prim["event_date"] > row["event_date"])
                                 & prim["notable_people"].fillna("").str.contains(token)]
            if len(later_legal) or len(later_rel):
                when = pd.concat([later_legal["event_date"], later_rel["event_date"]]).min()
                examples.append((token, row["event_date"], when))
    cases = figs.loc[figs["metric"].eq("art411_cases")]
    values = {"statement_date": end, "cases": [(d, float(v)) for d, v in zip(cases["as_of_date"], cases["value"])],
              "events": len(ev), "since": pd.Timestamp(since), "examples": examples,
              "later_figures": len(figs_after), "later_events": len(ev_after)}
    return _measured(12, rubric.indirect(len(figs) + len(ev) > 0), values,
                     [("other_figures", figs), ("legal_events", ev)],
                     [("other_figures", figs_after), ("legal_events", ev_after)])
