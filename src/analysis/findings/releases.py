"""Report 02 (release patterns): key-finding sentences and the Cox table, built from the report's results."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis import disclosure
from analysis.findings import count, month_name, months, person_source
from analysis.report import display_name

EVENTS_SOURCE = "release_events.csv, curated from Viasna, news agencies and government statements"
COUNTS_SOURCE = "Viasna's counts in pp_counts.csv"
DEATHS_SOURCE = "deaths_in_custody.csv, curated from Viasna and news reports"
POLITICAL_PRISONER = "political_prisoner"  # person_status of people Viasna counts as political prisoners



def key_findings(r: Mapping) -> list[str]:
    """3–7 sentences for the top of report 02, each with its number, date and source."""
    out = [
        f"From {month_name(r['first_event_date'])} to {month_name(r['last_event_date'])}, sources record "
        f"{r['release_events']} release events freeing {r['released_in_events']:,.0f} people ({EVENTS_SOURCE}).",
    ]
    if r.get("released_with_known_destination"):
        out.append(
            f"Of the {r['released_with_known_destination']:,.0f} people freed in events whose destination is stated, "
            f"{r['exiled_known']:,.0f} ({r['exiled_share_of_known_destination']:.0%}) were taken abroad; domestic "
            f"decrees do not say where people went ({EVENTS_SOURCE}).")
    inflow, outflow = r.get("mean_inflow_during_waves"), r.get("mean_implied_outflow_during_waves")
    if inflow is not None and outflow is not None and np.isfinite(inflow) and np.isfinite(outflow):
        out.append(
            f"From {month_name(r['waves_start'][:7])} to {month_name(r['waves_end'][:7])}, on average "
            f"{inflow:,.0f} people a month were newly recognised as political prisoners while about {outflow:,.0f} "
            f"a month left, as implied by the change in {COUNTS_SOURCE} over {r['waves_months']} months with "
            f"complete figures.")
    if r.get("deaths_in_custody_people"):
        out.append(
            f"The curated table lists {r['deaths_in_custody_people']} recognised political prisoners who died in "
            f"custody between {month_name(r['deaths_first_date'])} and {month_name(r['deaths_last_date'])} "
            f"(Viasna's definition; {DEATHS_SOURCE}), besides {r.get('deaths_in_custody_other_people', 0)} other "
            f"detainees who died in custody and {r.get('deaths_after_release_people', 0)} people who died after release; "
            f"the true numbers may be higher.")
    if r.get("median_months_held") is not None:
        ci = ""
        if r.get("median_ci_low") is not None and r.get("median_ci_high") is not None:
            ci = f" (95% CI {months(r['median_ci_low'])}–{months(r['median_ci_high'])})"
        out.append(
            f"Half of the {count(r['survival_records'])} detention records were released within "
            f"{months(r['median_months_held'])} months of detention{ci}, by Kaplan–Meier in the "
            f"{person_source(r)}"
            + (f"; the {count(r['records_entering_at_recognition'])} records with a recognition date enter the risk set "
               "then (delayed entry)." if r.get("records_entering_at_recognition") else "."))
    hr = r.get("cox_hr_female")
    if hr is not None and np.isfinite(hr):
        out.append(
            f"Holding age and article fixed within detention cohorts, women were released early at {hr:.2f} times "
            f"the rate of men (95% CI {r['cox_hr_female_ci_low']:.2f}–{r['cox_hr_female_ci_high']:.2f}; Cox model "
            f"in the {person_source(r)}).")
    return out[:7]


def _fmt_p(p) -> str:
    return "–" if p is None or not np.isfinite(p) else ("<0.001" if p < 0.001 else f"{p:.3f}")


def _lr(fit) -> tuple[float, float, float] | None:
    """(statistic, df, p) of the likelihood-ratio test, whatever shape the fit stores it in."""
    lr = getattr(fit, "lr_test", None)
    if lr is None:
        return None
    if isinstance(lr, Mapping):
        return (lr.get("statistic", lr.get("chi2", np.nan)), lr.get("df", np.nan), lr.get("p", lr.get("p_value", np.nan)))
    if isinstance(lr, (tuple, list)) and len(lr) >= 3:
        return tuple(lr[:3])
    return (getattr(lr, "statistic", np.nan), getattr(lr, "df", np.nan), getattr(lr, "pvalue", getattr(lr, "p", np.nan)))


def cox_table(fit) -> pd.DataFrame:
    """Hazard ratios for people: covariate, level, against which reference, HR with 95% CI, p."""
    t = fit.table
    ref = t["reference"] if "reference" in t.columns else pd.Series("", index=t.index)
    out = pd.DataFrame({
        "covariate": t["covariate"].map(display_name).to_list(),
        "level": t["level"].map(display_name).to_list(),
        "compared with": [display_name(x) if isinstance(x, str) and x else "–" for x in ref],
        "hazard ratio": [f"{x:.2f}" for x in t["hr"]],
        "95% CI": [f"{lo:.2f}–{hi:.2f}" for lo, hi in zip(t["ci_low"], t["ci_high"])],
        "p-value": [_fmt_p(p) for p in t["p"]],
    })
    out.index = [""] * len(out)
    return out


def cox_fit_summary(fit) -> pd.DataFrame:
    """Model-level numbers a reader of a Cox table expects; rows appear as the fit provides them."""
    rows = [("records", f"{fit.n:,}"), ("early releases (events)", f"{fit.events:,}"),
            ("strata (own baseline hazard)", ", ".join(display_name(s) for s in fit.strata) or "none"),
            ("ties", fit.ties), ("standard errors", fit.covariance)]
    loglik = getattr(fit, "loglik", None)
    if loglik is not None:
        rows.append(("log-likelihood", f"{loglik:,.1f}"))
    aic = getattr(fit, "aic", None)
    if aic is not None:
        rows.append(("AIC", f"{aic:,.1f}"))
    conc = getattr(fit, "concordance", None)
    if conc is not None:
        rows.append(("concordance (C)", f"{conc:.3f}"))
    lr = _lr(fit)
    if lr is not None:
        stat, df, p = lr
        rows.append(("likelihood-ratio test", f"χ² = {stat:,.1f} on {df:.0f} df, p {_fmt_p(p) if _fmt_p(p).startswith('<') else '= ' + _fmt_p(p)}"))
    return pd.DataFrame(rows, columns=["model", "value"], index=[""] * len(rows))


RESULT_LABELS = {
    "first_event_date": "first release event", "last_event_date": "last release event",
    "release_events": "release events", "released_in_events": "people freed in the events",
    "released_with_known_destination": "of whom destination stated", "exiled_known": "taken abroad (stated)",
    "exiled_share_of_known_destination": "share taken abroad, of destination stated",
    "mean_inflow_during_waves": "newly recognised per month, during the waves",
    "mean_implied_outflow_during_waves": "leaving per month (implied), during the waves",
    "deaths_in_custody_people": "recognised political prisoners who died in custody (curated table)",
    "deaths_after_release_people": "died shortly after release (curated table)",
    "deaths_in_custody_other_people": "other detainees who died in custody (curated table)",
    "person_source": "person-level data", "person_as_of": "person-level data as of",
    "survival_records": "detention records used for time held",
    "records_entering_at_recognition": "records entering at their recognition date (delayed entry)", "median_months_held": "median months held",
    "median_ci_low": "median months held, 95% CI low", "median_ci_high": "median months held, 95% CI high",
    "cox_hr_female": "hazard ratio of early release, women vs men",
    "cox_strata": "Cox strata",
}


def _iso(ts) -> str | None:
    return None if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%Y-%m-%d")


def _num(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def results(wave_table: pd.DataFrame, by_kind: pd.DataFrame, door: pd.DataFrame, deaths: pd.DataFrame,
            episodes: pd.DataFrame, overall: pd.Series, cox_fit, person, start_date: str, end_date: str) -> dict:
    """The key numbers of report 02 (what results.json holds and the key findings are made from)."""
    all_row = by_kind.set_index("kind").loc["all"]
    during = door.loc[door["period"] == "during the waves"].set_index("measure")
    died_in_custody = deaths["in_custody_or_after_release"].eq("in_custody")
    recognised = deaths["person_status"].eq(POLITICAL_PRISONER) if "person_status" in deaths else died_in_custody
    in_custody = deaths.loc[died_in_custody & recognised]
    t = cox_fit.table
    female = t.loc[(t["covariate"] == "gender") & (t["level"] == "female")]
    return {
        "first_event_date": _iso(wave_table["event_date"].min()), "last_event_date": _iso(wave_table["event_date"].max()),
        "release_events": int(len(wave_table)), "released_in_events": float(all_row["released"]),
        "released_with_known_destination": float(all_row["released_with_known_destination"]),
        "exiled_known": float(all_row["exiled"]),
        "exiled_share_of_known_destination": float(all_row["exiled_share_of_known"]),
        "waves_start": str(start_date), "waves_end": str(pd.Timestamp(end_date).date()),
        "waves_months": int(during.loc["implied_outflow", "n_months"]) if "implied_outflow" in during.index else 0,
        "mean_inflow_during_waves": _num(during["mean_per_month"].get("inflow")),
        "mean_implied_outflow_during_waves": _num(during["mean_per_month"].get("implied_outflow")),
        "deaths_in_custody_people": int(len(in_custody)),
        "deaths_in_custody_other_people": int((died_in_custody & ~recognised).sum()),
        "deaths_after_release_people": int(deaths["in_custody_or_after_release"].eq("after_release").sum()),
        "deaths_first_date": _iso(in_custody["date_of_death"].min()),
        "deaths_last_date": _iso(in_custody["date_of_death"].max()),
        "person_source": person.source, "person_as_of": _iso(person.as_of), "synthetic": bool(person.synthetic),
        "survival_records": int(len(episodes)),
        "records_entering_at_recognition": int(episodes["entry_known"].sum()) if "entry_known" in episodes else 0,
        "median_months_held": _num(overall["median"]), "median_ci_low": _num(overall["ci_low"]),
        "median_ci_high": _num(overall["ci_high"]),
        "cox_hr_female": _num(female["hr"].iloc[0]) if len(female) else None,
        "cox_hr_female_ci_low": _num(female["ci_low"].iloc[0]) if len(female) else None,
        "cox_hr_female_ci_high": _num(female["ci_high"].iloc[0]) if len(female) else None,
        "cox_strata": list(cox_fit.strata),
    }


NO_INTERVAL = ("no interval: the curve falls through one half in one large step (many releases in the same month), "
               "so no time has a band that contains one half")


def medians_shown(medians: pd.DataFrame) -> pd.DataFrame:
    """Median months held per group as published: counts protected within each comparison, and a word where the
    interval cannot be computed instead of a bare blank."""
    shown = disclosure.protect_summary(medians, lines=[["compared_by"]], count="n", extra_counts=["events"],
                                       stats=["median", "ci_low", "ci_high"])
    note = pd.Series("", index=shown.index)
    no_ci = shown["median"].notna() & (shown["ci_low"].isna() | shown["ci_high"].isna())
    note[no_ci] = NO_INTERVAL
    note[shown["median"].isna() & shown["n"].ne(disclosure.SMALL)] = "median not reached: over half still held"
    shown["note"] = note
    return shown[["compared_by", "group", "n", "events", "median", "ci_low", "ci_high", "note"]]


def exclusions_shown(excluded: pd.DataFrame) -> pd.DataFrame:
    """Exclusion reasons with reasons of 1–4 records pooled, so no small count (or difference) is shown."""
    reasons = excluded.loc[~excluded["reason"].str.startswith("total")]
    totals = excluded.loc[excluded["reason"].str.startswith("total")]
    kept = reasons.loc[reasons["n"] > 0].sort_values("n", kind="mergesort")
    small = kept.loc[kept["n"] < disclosure.MIN_CELL]
    if len(small):
        pool = small
        rest = kept.loc[kept["n"] >= disclosure.MIN_CELL]
        while pool["n"].sum() < disclosure.MIN_CELL and len(rest):
            pool, rest = pd.concat([pool, rest.iloc[:1]]), rest.iloc[1:]
        merged = pd.DataFrame([{"reason": "; ".join(pool["reason"]), "n": int(pool["n"].sum())}])
        kept = pd.concat([rest, merged], ignore_index=True)
    out = pd.concat([kept, totals], ignore_index=True)
    out["n"] = [disclosure.SMALL if 0 < v < disclosure.MIN_CELL else int(v) for v in out["n"]]
    return out


def recovery(cox_fit, truth: Mapping) -> pd.DataFrame:
    """Synthetic data only: fitted hazard ratios of being picked for a wave beside the generator's true ones."""
    known = {"gender": ("female", truth["hazard_ratio_female"]), "age_group": ("50+", truth["hazard_ratio_older"])}
    t = cox_fit.table
    rows = []
    for cov, (level, hr) in known.items():
        r = t.loc[(t["covariate"] == cov) & (t["level"] == level)]
        if len(r):
            rows.append({"covariate": cov, "level": level, "true hazard ratio": hr, "estimate": r["hr"].iloc[0],
                         "95% CI low": r["ci_low"].iloc[0], "95% CI high": r["ci_high"].iloc[0]})
    return pd.DataFrame(rows)


def cif_at(cif: pd.DataFrame, times: list[int]) -> pd.DataFrame:
    """Cumulative probability of each exit route at the given months since detention."""
    from analysis.figures.releases import ROUTE_LABELS

    rows = []
    for cause, c in cif.sort_values("time").groupby("cause", sort=True):
        row = {"exit route": ROUTE_LABELS.get(cause, cause)}
        row.update({f"{t} months": (c.loc[c["time"] <= t, "cif"].iloc[-1] if (c["time"] <= t).any() else np.nan)
                    for t in times})
        rows.append(row)
    return pd.DataFrame(rows)
