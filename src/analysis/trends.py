"""Report 01 in one call: the dated counts, models (a) (b) (c), breaks, backtest and forecast, and the
sentences and summary table generated from them (so no notebook cell has to type a number)."""

from __future__ import annotations

import pandas as pd

from analysis import claims
from analysis.stats import accounting, backtest, breaks, flows, its, series, structural

WAVES_REGRESSOR = "released in waves to date"
FORECAST_CANDIDATES = {"local linear trend": "local_linear", "local level": "local_level"}


def _n(x: float) -> str:
    """A count of people, rounded, with a thousands separator."""
    return f"{int(round(float(x))):,}"


def _day(ts) -> str:
    """A date as '19 March 2026'."""
    return pd.Timestamp(ts).strftime("%d %B %Y").lstrip("0")


def usable_events(events: dict[str, str], points: pd.DataFrame, start, end) -> tuple[dict[str, str], pd.DataFrame]:
    """Events the window can model (see ``its.event_status``) and the status table of all of them."""
    monthly = series.month_end_stock(points, start, end)
    status = its.event_status(events, monthly)
    return {r.event: events[r.event] for r in status.itertuples() if r.modelled}, status


def forecast_targets(last: pd.Timestamp, months: int) -> pd.Series:
    """Last day of each of the ``months`` calendar months after the month of ``last``."""
    first = pd.Timestamp(last).to_period("M") + 1
    return pd.Series([(first + i).to_timestamp(how="end").normalize() for i in range(months)])


def analyse(counts: pd.DataFrame, release_events: pd.DataFrame, start: str, end: str, events: dict[str, str],
            forecast_months: int, compare_periods: dict[str, list], backtest_months: int = backtest.BACKTEST_MONTHS,
            alpha: float = 0.05) -> dict:
    """Every table and model of report 01 (keys documented by the notebook that shows them)."""
    points = series.dated_observations(counts, start, end)
    exact = points.loc[~points["lower_bound"]]
    first = exact["date"].min()
    monthly = series.month_end_stock(points, start, end)
    modelled, status = usable_events(events, points, start, end)
    wave_counts = accounting.wave_counts(release_events, start, end)
    without = accounting.stock_without_waves(points, wave_counts)

    grid = structural.weekly_grid(points, first, end)
    has_waves = len(wave_counts) > 0  # a regressor that is zero throughout cannot be estimated
    waves_w = {WAVES_REGRESSOR: accounting.released_to_date(wave_counts, grid["date"])} if has_waves else None
    fit_b = structural.fit_structural(grid, modelled, waves_w, trend="local_linear", alpha=alpha)
    grid_lb = structural.weekly_grid(points.assign(lower_bound=False), first, end)
    waves_lb = {WAVES_REGRESSOR: accounting.released_to_date(wave_counts, grid_lb["date"])} if has_waves else None
    fit_b_lb = structural.fit_structural(grid_lb, modelled, waves_lb, trend="local_linear", alpha=alpha)
    fit_a = its.fit_its(monthly, events, alpha=alpha)

    changes = breaks.monthly_changes(monthly)
    brk = breaks.estimate_breaks(changes)

    fcs = {"naive": backtest.naive, "drift": backtest.drift}
    fcs.update({name: backtest.structural_forecaster(events, first, trend, alpha)
                for name, trend in FORECAST_CANDIDATES.items()})
    rows = backtest.rolling_origin(points, fcs, months=backtest_months)
    chosen, why = backtest.choose(rows, list(FORECAST_CANDIDATES))
    bt = backtest.summary(rows, chosen)
    fc = fcs[chosen](points, exact["date"].max(), forecast_targets(exact["date"].max(), forecast_months))

    lower = points.loc[points["lower_bound"]].copy()
    sig = fit_b.signal.set_index("week")
    week = grid["week"].iloc[0] + structural.WEEK * ((lower["date"] - grid["week"].iloc[0]).dt.days // 7)
    lower["fitted_upper_95"] = sig["ci_high"].reindex(week).to_numpy()
    lower["within_band_or_below_fit"] = lower["value"] <= lower["fitted_upper_95"]

    balance = flows.flow_balance(series.monthly_series(counts, start, end, fill="none"), series.monthly_flows(counts))
    by_period = flows.period_means(balance, {k: tuple(v) for k, v in compare_periods.items()}, alpha=alpha)
    return {"points": points, "monthly": monthly, "status": status, "modelled_events": modelled,
            "wave_counts": wave_counts, "without_waves": without, "grid": grid, "structural": fit_b,
            "structural_lower_bounds": fit_b_lb, "its": fit_a,
            "changes": changes, "breaks": brk, "backtest_rows": rows, "backtest": bt, "chosen": chosen,
            "chosen_reason": why, "forecast": fc, "lower_bounds": lower, "balance": balance, "by_period": by_period}


def band_limits(res: dict) -> dict:
    """Lowest and highest value of every 95% band shown, against 0 and twice the highest count."""
    ww = res["without_waves"]
    lows = [res["structural"].signal["ci_low"].min(), res["forecast"]["lower"].min(), ww["without_waves_low"].min()]
    highs = [res["structural"].signal["ci_high"].max(), res["forecast"]["upper"].max(), ww["without_waves_high"].max()]
    lows, highs = [x for x in lows if pd.notna(x)], [x for x in highs if pd.notna(x)]
    cap = 2 * res["points"]["value"].max()
    return {"lowest": float(min(lows)), "highest": float(max(highs)), "cap": float(cap),
            "within": bool(min(lows) >= 0 and max(highs) <= cap)}


def un_check(counts: pd.DataFrame, res: dict, date: str, threshold: float, window_days: int) -> dict:
    """The '>threshold remain' claim: stated counts near the date, and model (b)'s stock on that date."""
    near = claims.stock_near(counts, date, window_days)
    check = claims.check_over(near, threshold)
    sig = res["structural"].signal
    row = sig.loc[(sig["date"] - pd.Timestamp(date)).abs().idxmin()]
    return {"near": near, "check": check, "fitted": float(row["fitted"]), "fitted_low": float(row["ci_low"]),
            "fitted_high": float(row["ci_high"])}


def _latest_without(res: dict, last: pd.Series) -> pd.Series:
    """Model (c) at the newest count; zeros added when no wave falls in the window."""
    ww = res["without_waves"]
    if len(ww):
        return ww.iloc[-1]
    row = {c: 0.0 for c in ww.columns}
    row.update(date=last["date"], observed=last["value"], without_waves=last["value"],
               without_waves_low=last["value"], without_waves_high=last["value"])
    return pd.Series(row)


def _waves_sentence(res: dict, exact: pd.DataFrame, last: pd.Series) -> str:
    """The change since the first release wave beside the people released in waves (model (c))."""
    waves_start = res["wave_counts"]["event_date"].min()
    before = exact.loc[exact["date"] < waves_start]
    w = res["without_waves"].iloc[-1]
    start = (f"the count fell from {_n(before.iloc[-1]['value'])} ({_day(before.iloc[-1]['date'])}) to "
             f"{_n(last['value'])}" if len(before) else f"the count is now {_n(last['value'])}")
    return (f"Since the first release wave ({_day(waves_start)}) {start}, while {_n(w['released'])} people were "
            f"released in waves (stated counts range {_n(w['released_low'])}–{_n(w['released_high'])}); had they "
            f"all stayed, the count would be {_n(w['without_waves'])} (range {_n(w['without_waves_low'])}–"
            f"{_n(w['without_waves_high'])}, release_events.csv): new political prisoners kept replacing most of "
            "those freed.")


def key_findings(res: dict, un: dict, claim_date: str, threshold: float) -> list[str]:
    """Plain sentences with their numbers, dates and source, generated from ``analyse`` and ``un_check``."""
    p = res["points"]
    exact = p.loc[~p["lower_bound"]]
    peak = exact.loc[exact["value"].idxmax()]
    last = exact.iloc[-1]
    src = "Viasna counts (pp_counts.csv)"
    inferred = (" — a date the source does not state: it is inferred from context (pp_counts notes)"
                if last["date_inferred"] else "")
    at_peak = exact.loc[exact["value"].eq(peak["value"]), "date"]
    when = (f"on {_day(peak['date'])}" if len(at_peak) == 1 else
            f"first on {_day(at_peak.min())} and last on {_day(at_peak.max())} ({len(at_peak)} dated counts)")
    s = [f"The count peaked at {_n(peak['value'])} political prisoners, {when}; the latest count is "
         f"{_n(last['value'])} on {_day(last['date'])}{inferred} ({src})."]
    if len(res["without_waves"]):
        s.append(_waves_sentence(res, exact, last))
    else:
        s.append("No release wave of release_events.csv falls in the window.")
    bp = res["by_period"].set_index(["period", "measure"])
    periods = list(dict.fromkeys(res["by_period"]["period"]))
    parts = []
    for per in periods:
        i, o = bp.loc[(per, "inflow")], bp.loc[(per, "implied_outflow")]
        if i["n_months"] and o["n_months"]:
            parts.append(f"{per}: {_n(i['mean_per_month'])} newly recognised and {_n(o['mean_per_month'])} leaving "
                         f"per month (means over {int(i['n_months'])} and {int(o['n_months'])} months with full data)")
    if parts:
        s.append("Inflow against outflow — " + "; ".join(parts) + " (Viasna monthly reviews).")
    above = res["lower_bounds"].loc[~res["lower_bounds"]["within_band_or_below_fit"]]
    if len(above):
        a = above.iloc[-1]
        lead = "One 'at least' figure lies" if len(above) == 1 else f"{len(above)} 'at least' figures lie"
        s.append(f"{lead} above the structural model's 95% band (latest: at least "
                 f"{_n(a['value'])} on {_day(a['date'])}, {a['source_org']}); the model, fitted to exact counts only, "
                 "runs too low there, and the sensitivity run that treats them as exact is shown below.")
    c = un["check"]
    s.append(f"The UN statement of {_day(claim_date)} that over {_n(threshold)} remain is {c['verdict']}: "
             f"{c['reason']} (stated {_n(c['min'])}–{_n(c['max'])}); the structural model puts the count on that day "
             f"at {_n(un['fitted'])} (95% band {_n(un['fitted_low'])}–{_n(un['fitted_high'])})."
             if c["n"] else f"No count was stated within the window around {_day(claim_date)}.")
    b = res["breaks"]["breaks"]
    if len(b):
        s.append("Estimated from the data, the trend changed " + "; ".join(
            f"in {r.break_month:%B %Y} (95% interval {r.ci_low:%b %Y}–{r.ci_high:%b %Y}), from "
            f"{r.mean_change_before:+.0f} to {r.mean_change_after:+.0f} people per month" for r in b.itertuples())
            + f" ({src}; breaks chosen by BIC, not the named events).")
    bt = res["backtest"]
    cov = ", ".join(f"{bt[f'h{h}']['coverage_95']:.0%}" for h in backtest.HORIZONS)
    better = all(bt[f"h{h}"]["mae_model"] < bt[f"h{h}"]["mae_naive"] for h in backtest.HORIZONS)
    s.append(f"In a backtest from {len(res['backtest_rows']['origin'].unique())} monthly origins ({src}) the "
             f"{res['chosen']} model's 95% intervals held {cov} of later counts 1, 3 and 6 months ahead; its "
             f"forecasts were {'more' if better else 'not more'} accurate than 'no change' (mean error "
             + ", ".join(f"{bt[f'h{h}']['mae_model']:.0f} vs {bt[f'h{h}']['mae_naive']:.0f}" for h in backtest.HORIZONS)
             + " people). The models describe the path and its uncertainty; they cannot foresee a release wave "
             "or say what caused a change.")
    return s


def summary_table(res: dict, un: dict) -> pd.DataFrame:
    """A short labelled table of the headline numbers: dates as dates, people rounded."""
    p = res["points"]
    exact = p.loc[~p["lower_bound"]]
    peak = exact.loc[exact["value"].idxmax()]
    last = exact.iloc[-1]
    w = _latest_without(res, last)
    fc = res["forecast"].iloc[-1]
    rows = [
        ("Peak count", _n(peak["value"]), _day(peak["date"])),
        ("Latest count", _n(last["value"]), _day(last["date"]) + (" (date inferred)" if last["date_inferred"] else "")),
        ("Released in waves to date", f"{_n(w['released'])} (range {_n(w['released_low'])}–{_n(w['released_high'])})",
         _day(w["date"])),
        ("Count had they stayed", f"{_n(w['without_waves'])} (range {_n(w['without_waves_low'])}–"
         f"{_n(w['without_waves_high'])})", _day(w["date"])),
        ("UN claim check", un["check"]["verdict"], ""),
        (f"Forecast ({res['chosen']})", f"{_n(fc['mean'])} (95% PI {_n(max(fc['lower'], 0))}–{_n(fc['upper'])})",
         _day(fc["date"])),
        ("Dated counts used", f"{int((~p['lower_bound']).sum())} exact, {int(p['lower_bound'].sum())} lower bounds",
         f"{_day(p['date'].min())} to {_day(p['date'].max())}"),
    ]
    return pd.DataFrame(rows, columns=["measure", "value", "date"])


def results(res: dict, un: dict) -> dict:
    """The numbers written to results.json."""
    p = res["points"]
    exact = p.loc[~p["lower_bound"]]
    peak = exact.loc[exact["value"].idxmax()]
    last = exact.iloc[-1]
    w = _latest_without(res, last)
    bp = res["by_period"].set_index(["period", "measure"])["mean_per_month"]
    periods = list(dict.fromkeys(res["by_period"]["period"]))
    b = res["breaks"]["breaks"]
    return {
        "latest_count": float(last["value"]), "latest_date": last["date"],
        "latest_date_inferred": bool(last["date_inferred"]),
        "peak_count": float(peak["value"]), "peak_date": peak["date"],
        "dated_counts": int(len(exact)), "lower_bounds": int(p["lower_bound"].sum()),
        "un_claim_verdict": un["check"]["verdict"],
        "released_in_waves": {"primary": float(w["released"]), "low": float(w["released_low"]),
                              "high": float(w["released_high"])},
        "stock_without_waves": {"date": w["date"], "primary": float(w["without_waves"]),
                                "low": float(w["without_waves_low"]), "high": float(w["without_waves_high"])},
        "mean_inflow_per_month": {k: bp.get((k, "inflow")) for k in periods},
        "mean_implied_outflow_per_month": {k: bp.get((k, "implied_outflow")) for k in periods},
        "breaks": [{"month": r.break_month, "ci_low": r.ci_low, "ci_high": r.ci_high} for r in b.itertuples()],
        "its_order": list(res["its"].order), "forecast_model": res["chosen"],
        "backtest": res["backtest"], "bands": band_limits(res),
        "events_not_modelled": {r.event: r.reason for r in res["status"].itertuples() if not r.modelled},
    }


__all__ = ["analyse", "band_limits", "forecast_targets", "key_findings", "results", "summary_table", "un_check",
           "usable_events"]
