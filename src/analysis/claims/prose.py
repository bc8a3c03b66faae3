"""Sentences generated from the measured values: what the data show up to the statement, what came since,
the uncertainty and the sensitivity lines of each claim, the per-capita sentences and the key findings.

Every number in these sentences comes from ``values`` (:mod:`.evidence`); none is typed here.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.claims import rubric


def n(x) -> str:
    """Integer with thousands separator."""
    return f"{int(round(float(x))):,}"


def day(ts) -> str:
    """'13 Dec 2025'."""
    return pd.Timestamp(ts).strftime("%d %b %Y").lstrip("0")


def month(ts) -> str:
    return pd.Timestamp(ts).strftime("%b %Y")


def pct(x: float) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.0%}"


def plus(q) -> str:
    """'+' after a count stored as 'at least X' ('more than X')."""
    return "+" if q == "at_least" else ""


def _list(items: list[str]) -> str:
    return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else (items[0] if items else "none")


def _c1(v):
    each = "; ".join(f"{day(d)}: {n(r)} freed" + (f" ({', '.join(p)})" if p else "") for d, r, p in v["each"])
    f = (f"{v['events']} release events in the {v['window_days']} days up to {day(v['statement_date'])} freed "
         f"{n(v['released'])} people, {v['named']} of them named in international news — {each}."
         if v["events"] else f"No release event in the {v['window_days']} days up to the statement.")
    s = "; ".join(f"{day(d)}: {n(r)} freed" for d, r in v["later"])
    return (f, f"Release events after the statement: {s}." if s else "",
            "counts are official decree totals (may include non-political convicts); professions of those freed "
            "are not coded, so the composition is not checked", "")


def _c3(v):
    if not v["events"]:
        return "No release event in the period.", "", "", ""
    f = (f"{v['events']} release events from {day(v['start'])} to {day(v['statement_date'])} freed {n(v['freed'])} "
         f"people; {n(v['abroad'])} of them ({pct(v['share'])}) are documented as taken abroad "
         f"({', '.join(v['destinations']) or 'no destination recorded'}).")
    s = (f"Since then {n(v['later_freed'])} more were freed, {n(v['later_abroad'])} of them documented as taken "
         f"abroad." if v["later_freed"] else "")
    u = (f"{v['unknown_destination']} of the {v['events']} events give no destination, so the share is a floor; "
         f"decree totals may include non-political convicts")
    sens = (f"US-brokered releases with a known destination only: {n(v['us_abroad'])} of {n(v['us_freed'])} "
            f"({pct(v['us_share'])}); without foreign citizens sent home"
            + (f" and minus {n(v['refused'])} who refused to leave" if v["refused"] else "")
            + f": {pct(v['share_low'])}")
    return f, s, u, sens


def _c5(v):
    bits = []
    if v["in_absentia"]:
        d, x, org = v["in_absentia"]
        bits.append(f"{n(x)} people had been convicted in absentia by {day(d)} ({org})")
    if v["law_date"] is not None:
        bits.append(f"special proceedings in absentia exist since {day(v['law_date'])}")
    if v["commission"]:
        d, x, org = v["commission"]
        bits.append(f"against this, the state Commission on Return had handled {n(x)} requests from exiles "
                    f"({org}, {day(d)})")
    f = ("; ".join(bits) + ".") if bits else "No non-UN figure on prosecution of returnees or in-absentia cases."
    f = f[0].upper() + f[1:]
    left = "; ".join(f"{m} {n(x)} ({org})" for m, x, org in v["un_left_out"])
    u = ("counts of all in-absentia convictions, not of released prisoners; what would happen to the expelled "
         "if they returned cannot be observed" + (f"; UN figures left out as the claim's own side: {left}" if left else ""))
    s = f"Later figure: {n(v['later'][1])} convicted in absentia by {day(v['later'][0])}." if v["later"] else ""
    return f, s, u, ""


def _c6(v):
    sizes = ", ".join(f"{day(d)} ({n(r)})" for d, r in v["sizes"])
    named = (f"The release of {day(v['named_date'])} freed {n(v['named_released'])}, among them "
             f"{_list(v['named'])}" + ("" if v["named_in_period"] else ", outside the period")
             if v["named_date"] is not None else f"No release names {_list(v['named'])}")
    f = (f"{v['waves']} release events freeing at least {v['min_size']} people between {day(v['start'])} and "
         f"{day(v['statement_date'])}: {sizes}; {n(v['released'])} people in all. {named}.")
    later = ", ".join(f"{day(d)} ({n(r)})" for d, r in v["later"])
    sens = (f"{v['waves_political']} waves without those of foreign citizens only; {v['events_any_size']} release "
            f"events of any size")
    return (f, f"Waves since the statement: {later}." if later else "",
            "decree totals may include non-political convicts", sens)


def _c7(v):
    months = "; ".join(f"{month(m)}: {n(x)}{' (part of the month)' if p else ''}" for m, x, p in v["months"])
    f = (f"New political prisoners were recognised in every one of the {len(v['months'])} months of {v['year']} "
         f"with a figure dated up to the statement ({months})." if v["months"] and all(x > 0 for _, x, _ in v["months"])
         else f"New recognitions per month in {v['year']}: {months or 'no figure dated up to the statement'}.")
    later = "; ".join(f"{month(m)}: {n(x)}" for m, x, _ in v["later_months"])
    s = []
    if later:
        s.append(f"Months published after the statement: {later}.")
    if v["year_total"] is not None:
        s.append(f"Viasna's total for {v['year']}: {n(v['year_total'])} newly recognised ({day(v['year_total_date'])}).")
    u = (f"only {len(v['months'])} of the {v['months_in_year_to_date']} months up to the statement have a figure; "
         f"recognition lags arrest, so the latest months are undercounted")
    return f, " ".join(s), u, ""


def _c8(v):
    listed = "; ".join(f"{n(x)}{plus(q)} on {day(d)}" for d, x, q in v["counts"])
    f = (f"{v['n']} counts in the {v['window_days']} days up to {day(v['statement_date'])}: {listed} (+ = 'more "
         f"than'); {v['above']} of {v['n']} are above the statement's {n(v['threshold'])}."
         if v["n"] else "No count of people held in the window up to the statement.")
    later = "; ".join(f"{n(x)}{plus(q)} on {day(d)}" for d, x, q in v["later"])
    u = (f"range {n(v['min'])}-{n(v['max'])} across sources and dates; Viasna's count is a floor (people recognised "
         f"and currently held)" if v["n"] else "none")
    sens = ""
    if v.get("viasna") and v["n"]:
        k, a, verdict = v["viasna"]
        sens = (f"Viasna's counts and re-posts of them only: {a} of {k} above ({verdict})" if k
                else "no count attributed to Viasna in the window")
    return f, f"Counts in the {v['window_days']} days after it: {later}." if later else "", u, sens


def _c9(v):
    if not v["definitions"]:
        return "Belarus is not ranked under any definition with figures within 12 months.", "", "", ""
    each = "; ".join(f"{d}: {v['ranks'][d]} of {v['n_ranked'][d]} ({v['level']:.0%} interval "
                     f"{v['rank_low'][d]}-{v['rank_high'][d]})" for d in v["definitions"])
    inside = sum(r <= v["top_k"] for r in v["ranks"].values())
    f = (f"On figures dated up to the statement Belarus has {v['rate']:.0f} political prisoners per million "
         f"({n(v['count'])} on {day(v['count_date'])}); it ranks in the top {v['top_k']} under {inside} of "
         f"{len(v['definitions'])} definitions using figures within 12 months ({each}).")
    s = ("With figures published since: " + "; ".join(f"{d}: {r} of {k} ({rate:.0f} per million)"
                                                    for d, (r, k, rate) in v["later"].items()) + ".") if v["later"] else ""
    u = (f"rank {v['best_rank']}-{v['worst_rank']} over all {v['n_definitions']} definitions (rate "
         f"{v['min_rate']:.0f}-{v['max_rate']:.0f} per million); intervals from {n(v['n_sim'])} simulated "
         f"undercounts of up to {v['rel_error']:.0%} (seed {v['seed']}); only the {v['n_countries']} countries with "
         f"published counts, closed states undercounted")
    return f, s, u, ""


def _c10(v):
    if v["released"] is None and not v["reports"]:
        return f"{v['name']} appears in no release or re-arrest row dated up to the statement.", "", "none", ""
    f = (f"{v['name']} was freed on {day(v['released'])}; {v['reports']} distinct source(s) dated up to the "
         f"statement report he was returned to prison, the first dated {day(v['first_report'])}"
         + (f" ({v['days_after_release']} days after the release)." if v["days_after_release"] is not None else ".")
         if v["reports"] else f"{v['name']} was freed on {day(v['released'])}; no row dated up to the statement "
                              f"reports a re-detention.")
    s = []
    if v["later_reports"]:
        s.append(f"{v['later_reports']} later source(s) report on his detention.")
    if v["later_release"] is not None:
        s.append(f"He was released again on {day(v['later_release'])}.")
    return f, " ".join(s), "a single named case; sources relay independent media and Viasna, not official records", ""


def _c11(v):
    if v["linking_rows"]:
        f = f"{v['linking_rows']} row(s) dated up to the statement report in-absentia cases against released people."
    elif v["latest"]:
        d, x = v["latest"]
        f = (f"No row links an in-absentia case to a released prisoner. In-absentia convictions are common: "
             f"{n(x)} people by {day(d)}" + (f", the first {n(v['first'][1])} in {month(v['first'][0])}."
                                            if v["first"] else "."))
    else:
        f = "No figure on in-absentia cases dated up to the statement."
    s = f"{v['later_linking_rows']} later row(s) link in-absentia cases to released people." if v["later_linking_rows"] else ""
    return f, s, "no count of released people among those tried in absentia was found", ""


def _c12(v):
    bits = [f"at least {n(x)} political prisoners faced new Art. 411 cases by {day(d)}" for d, x in v["cases"]]
    f = ("Viasna: " + "; ".join(bits) + "." if bits else
         f"{v['events']} Art. 411 event(s) since {day(v['since'])}." if v["events"] else "No Art. 411 figure or event.")
    if v["examples"]:
        f += " Documented case(s) of an extension followed by a release: " + "; ".join(
            f"{t} (extended {month(d)}, released {month(w)})" for t, d, w in v["examples"]) + "."
    s = (f"{v['later_figures']} figure(s) and {v['later_events']} event(s) published since."
         if v["later_figures"] or v["later_events"] else "")
    u = ("cumulative lower bounds; what share of the people expelled had their terms extended needs person-level "
         "release and sentence dates")
    return f, s, u, ""


STATUS_WORDS = {"former_political_prisoner": "former political prisoners who died after release",
                "restriction_of_liberty": "political prisoners on restriction of liberty (outside prison)",
                "protest_detainee": "protest detainees", "administrative_detainee": "administrative detainees"}


def _c14(v):
    years = ", ".join(f"{y}: {c}" for y, c in v["years"].items())
    f = (f"{v['count']} recognised political prisoners died in custody by the statement (Viasna's definition; "
         f"{years}; latest {day(v['latest'])})." if v["count"] else "No recognised political prisoner died in custody "
                                                                    "by the statement.")
    if v["published"]:
        lo, hi, d, x, org = v["published"]
        f += f" The latest published count before the statement: {n(x)} ({org}, {day(d)})."
    extra = {k: c for k, c in v["by_status"].items() if k != v["definition"]}
    sens = "; ".join(f"+{c} {STATUS_WORDS.get(k, k)}" for k, c in extra.items())
    sens = f"{sens}: {v['all_people']} people in all" if sens else ""
    if v.get("undated"):
        sens += f"; {v['undated']} person(s) with no date of death or report, not counted"
    u = ("published totals range " + f"{n(v['published'][0])}-{n(v['published'][1])}" if v["published"] else "no published total")
    u += " depending on source, date and definition; circumstances and investigations are not in the data"
    s = f"{v['later_people']} more people in the table died after the statement." if v["later_people"] else ""
    return f, s, u, sens


def _c15(v):
    if "base" not in v:
        return "No exact count before the waves or up to the statement.", "", "none", ""
    b, e, w = v["base"], v["end"], v["released_waves"]
    f = (f"The count fell from {n(b)} ({day(v['base_date'])}, before the first wave) to {n(e)} "
         f"({day(v['end_date'])}), by {n(b - e)}, while {n(w)} people were freed in release waves before that "
         f"count; without the releases it would have stood at up to {n(e + w)}")
    f += (f", above the level before the waves: new political prisoners replaced about {n(w - (b - e))} of those "
          f"freed." if e + w >= b else f", below the level before the waves.")
    s = ""
    if v["later"]:
        d, x, rel = v["later"]
        s = (f"Latest exact count {n(x)} ({day(d)}); with the {n(rel)} freed in waves before it, the stock without "
             f"releases would be up to {n(x + rel)} against {n(b)} before the waves.")
    totals = "; ".join(f"{m}" + (f" {day(d)} ({org})" if d is not None else "") + f": {n(x)}" for m, x, d, org in v["totals"])
    sens = (f"released since the waves began: {n(v['released_low'])}-{n(v['released_high'])} across counts ({totals}), "
            f"so the stock without releases is {n(v['without_low'])}-{n(v['without_high'])}")
    u = ("an upper bound, since some would have left at the end of their terms; an interpretation, so at most "
         "consistent with the data")
    return f, s, u, sens


NOT_MEASURABLE_REASON = {
    2: "Fairness of trials and motives of prosecution are legal judgements, not counts; Viasna recognises a "
       "political prisoner only after reviewing the case against the PACE/International Guidelines criteria.",
    4: "The curated tables hold no figures on surveillance, movement restrictions or professional bans of "
       "people who stayed.",
    13: "The curated tables hold no measure of prison conditions or ill-treatment (only deaths, claim 14).",
}
WRITERS = {1: _c1, 3: _c3, 5: _c5, 6: _c6, 7: _c7, 8: _c8, 9: _c9, 10: _c10, 11: _c11, 12: _c12, 14: _c14, 15: _c15}


def describe(no: int, values: dict) -> dict:
    """finding (up to the statement), since_then, uncertainty and sensitivity of one claim."""
    if no in NOT_MEASURABLE_REASON:
        return {"finding": NOT_MEASURABLE_REASON[no], "since_then": "", "uncertainty": "not applicable",
                "sensitivity": ""}
    f, s, u, sens = WRITERS[no](values)
    return {"finding": f, "since_then": s, "uncertainty": u, "sensitivity": sens}


# --------------------------------------------------------------------------------------------------
# per capita, key findings, source lines
# --------------------------------------------------------------------------------------------------
def _rate(x: float) -> str:
    return f"{x:,.0f}" if x >= 10 else f"{x:.1f}"


def per_capita_sentences(table: pd.DataFrame, country: str = "Belarus", labels: dict | None = None) -> list[str]:
    """One sentence per definition from ``stats.ranking.above_and_dropped``: the rank, every country above, and
    every country above under another definition that this definition's window drops, with its rate."""
    labels = labels or {}
    out = []
    for _, r in table.iterrows():
        name = labels.get(r["definition"], r["definition"])
        if pd.isna(r["rank"]):
            out.append(f"{name}: {country} is not ranked (of {r['n_ranked']}).")
            continue
        above = _list([f"{c} ({_rate(x)})" for c, x in r["above"]]) if r["above"] else "no country"
        s = (f"{name}: {country} ranks {r['rank']} of {r['n_ranked']} with {_rate(r['rate'])} per million; above "
             f"it: {above}.")
        if r["dropped"]:
            s += " Dropped by this definition's window or kind of figure: " + _list(
                [f"{c} ({_rate(x)} per million, figure of {month(d)})" for c, x, d in r["dropped"]]) + "."
        out.append(s)
    return out


def verdict_counts(results: list[dict]) -> str:
    counts = {v: sum(r["verdict"] == v for r in results) for v in rubric.VERDICTS}
    return "; ".join(f"{c} {v}" for v, c in counts.items() if c)


def key_findings(results: list[dict], statement_date) -> list[str]:
    """Three to seven sentences for the top of the report, each with its number, date and source."""
    by = {r["no"]: r for r in results}
    v8, v3, v9, v14, v15 = (by[k]["values"] for k in (8, 3, 9, 14, 15))
    out = [f"Of the {len(results)} claims of the UN statement of {day(statement_date)}, judged only on evidence "
           f"dated up to that day: {verdict_counts(results)}."]
    if v8.get("n"):
        listed = "; ".join(f"{n(x)}{plus(q)} on {day(d)}" for d, x, q in v8["counts"])
        out.append(f"Claim 8 ({by[8]['verdict']}): {v8['above']} of the {v8['n']} counts of political prisoners in "
                   f"the {v8['window_days']} days up to the statement are above its {n(v8['threshold'])} ({listed}; "
                   f"+ = 'more than'; pp_counts).")
    if v3.get("events"):
        out.append(f"Claim 3 ({by[3]['verdict']}): of {n(v3['freed'])} people freed from {day(v3['start'])} to "
                   f"{day(v3['statement_date'])}, {n(v3['abroad'])} ({pct(v3['share'])}) are documented as taken "
                   f"abroad; among US-brokered releases alone the share is {pct(v3['us_share'])} (release_events).")
    if v9.get("definitions"):
        worst = max(v9["ranks"].values())
        out.append(f"Claim 9 ({by[9]['verdict']}): with {v9['rate']:.0f} political prisoners per million "
                   f"({n(v9['count'])} on {day(v9['count_date'])}, {v9['counting_org']}), Belarus ranks no lower than {worst} under "
                   f"the {len(v9['definitions'])} definitions with figures from the 12 months up to the statement "
                   f"(cross_country_pp, population).")
    out.append(f"Claim 14 ({by[14]['verdict']}): {v14['count']} recognised political prisoners died in custody by "
               f"the statement, the latest on {day(v14['latest'])} (Viasna's definition, deaths_in_custody); "
               f"{v14['all_people']} people if deaths after release and of detainees are added."
               if v14.get("count") else f"Claim 14 ({by[14]['verdict']}): no death in custody dated up to the statement.")
    if "base" in v15:
        out.append(f"Claim 15 ({by[15]['verdict']}): the number held fell from {n(v15['base'])} "
                   f"({day(v15['base_date'])}) to {n(v15['end'])} ({day(v15['end_date'])}) while {n(v15['released_waves'])} "
                   f"were freed in release waves"
                   + (", so new prisoners replaced many of those freed" if v15["end"] + v15["released_waves"] >= v15["base"]
                      else ", more than the releases explain") +
                   " (pp_counts, release_events); an interpretation cannot be more than consistent with the data.")
    return out[:7]


def source_label(df: pd.DataFrame, column: str, files: list[str], top: int = 6) -> str:
    """'Figures by A, B, C and others; data/raw/curated/x.csv, y.csv' from the most frequent publishers."""
    orgs = df[column].dropna().astype(str).str.replace(r"\s*\(.*$", "", regex=True).value_counts()
    names = list(orgs.index[:top])
    more = " and others" if len(orgs) > top else ""
    return f"Figures by {', '.join(names)}{more}; data/raw/curated/{', '.join(files)}"
