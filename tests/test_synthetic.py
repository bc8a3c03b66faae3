"""Tests of the synthetic export generator (analysis.sources.synthetic).

Tolerances: a realised share of n Bernoulli draws is compared with its parameter within Z=4.5 binomial
standard errors (sqrt(p(1-p)/n)); with ~10 such checks the chance of a false failure is < 1e-4. The
stock path is checked by correlation (> 0.98) and by relative error (< 15 %) where the target exceeds
300 people at the test size.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.sources import synthetic as syn
from analysis.sources.synthetic.marker import verify

N = 12_000
SEED = 7
Z = 4.5
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def params() -> syn.SynthParams:
    return syn.default_params()


@pytest.fixture(scope="module")
def gen(params):
    return syn.generate(params, n=N, seed=SEED)


def _binom_ok(k: int, n: int, p: float) -> bool:
    return abs(k / n - p) <= Z * np.sqrt(p * (1 - p) / n)


def _base_rows(df: pd.DataFrame, truth: dict) -> pd.DataFrame:
    """Rows without the added duplicate rows (exact copies and near duplicates)."""
    near = {str(i) for i in truth["malformed"]["near_duplicate"]["ids"]}
    return df[~df.duplicated() & ~df["id"].isin(near)]


# ------------------------------------------------------------------------------------------ determinism
def test_same_seed_same_bytes_and_different_seed_differs(params, gen):
    df, truth = gen
    df2, truth2 = syn.generate(params, n=N, seed=SEED)
    assert syn.export_bytes(df) == syn.export_bytes(df2)
    assert syn.truth_json(truth) == syn.truth_json(truth2)
    df3, _ = syn.generate(params, n=N, seed=SEED + 1)
    assert syn.export_bytes(df3) != syn.export_bytes(df)


def test_truth_is_json_serialisable(gen):
    _, truth = gen
    back = json.loads(syn.truth_json(truth))
    for key in ("params", "seed", "n", "status_counts_records", "women_share_records", "article_family_shares",
                "sentence_quantiles_by_family", "malformed", "wave_selection", "deaths", "waves",
                "stock_by_month", "true_duplicate_ids", "text_forms"):
        assert key in back
    assert back["stamp"] == syn.SYNTHETIC_STAMP


# ------------------------------------------------------------------------------------------ shape
def test_header_is_exactly_the_machine_export(gen):
    df, truth = gen
    header = ("id,url,name,status,gender,photo,description,birthday,arrested,articles,prison,declaration,"
              "decision,penalty,judge,councel,penalty_start_date,release_date,verdict_date,appeal_date,"
              "fake_terrorist_list,died,clusters,synthetic_marker")  # the 23 keys of Viasna's export + our marker
    assert list(df.columns) == header.split(",")
    assert syn.export_bytes(df).decode("utf-8").split("\n", 1)[0] == header
    assert len(df) == truth["n"] == N
    assert all(df[c].map(type).eq(str).all() for c in df.columns)


def test_csv_round_trips_with_multiline_cells(gen):
    df, _ = gen
    import io

    back = pd.read_csv(io.BytesIO(syn.export_bytes(df)), dtype=str, keep_default_na=False)
    assert back.shape == df.shape
    assert back.equals(df.reset_index(drop=True))
    assert df["prison"].str.contains("\n").any() and df["articles"].str.contains("\n").any()


def test_names_and_people_are_synthetic(gen):
    df, _ = gen
    assert df["name"].str.fullmatch(r"Синтетический Человек \d{6,}").all()
    assert df["url"].str.fullmatch(r"https://prisoners\.synthetic\.invalid/ru/person/synthetic-\d{6,}(-2)?").all()
    declared = df["declaration"][df["declaration"] != ""]
    assert declared.str.fullmatch(r"https://news\.synthetic\.invalid/ru/news/\d+").all()  # .invalid never resolves
    judges = df["judge"][df["judge"] != ""]
    assert judges.str.fullmatch(r"Синтетический Судья \d{4}").all()
    assert df["photo"].eq("").all()


def test_text_forms_are_messy(gen):
    df, truth = gen
    arrested = df["arrested"]
    assert arrested.str.fullmatch(r"\d{4}-\d{2}-\d{2}").mean() > 0.6
    assert arrested.str.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}").any()
    assert arrested.str.fullmatch(r"\d{1,2} [а-я]+ \d{4}").any()
    assert arrested.str.fullmatch(r"[а-я]+ \d{4}").any()
    assert arrested.str.fullmatch(r"\d{4}").any()
    assert arrested.eq("неизвестно").any()
    arts = df["articles"]
    for pattern in (r"ч\. \d ст\. \d{3}", r"(?:^|\n|; )ст\. \d{3}", r"арт\. \d{3}", r"Part \d of Art\. \d{3}",
                    r"\d{3}–\d", r"; ", r"\n"):
        assert arts.str.contains(pattern).any(), pattern
    dec = set(df["decision"])
    assert {"штраф"} <= dec
    assert any(re.fullmatch(r"\d+,5 года", d) for d in dec)
    assert any(re.fullmatch(r"\d+ 1/2 years", d) for d in dec)
    assert any(re.fullmatch(r"\d+ гады( .*)?", d) for d in dec)
    assert any(re.fullmatch(r"\d+ (год|года|лет) \d+ (месяц|месяца|месяцев)", d) for d in dec)
    assert set(df["status"]) <= {"active", "former", "np", ""}
    assert set(df["gender"]) <= {"male", "female", "Male", "Female"}
    assert set(df["died"]) <= {"", "1"}
    assert set(df["clusters"]) == {"Minsk", "Brest", "Gomel", "Grodno", "Mogilev", "Vitebsk", "Minsk region"}
    forms = truth["text_forms"]["arrested"]
    n_base = truth["n_records"]
    assert sum(forms.values()) == n_base


# ------------------------------------------------------------------------------------------ realised shares
def test_women_share_near_parameter(params, gen):
    df, truth = gen
    base = _base_rows(df, truth)
    k = int(base["gender"].str.lower().eq("female").sum())
    assert _binom_ok(k, len(base), params.women_share), (k / len(base), params.women_share)


def test_status_mix_near_parameter(params, gen):
    df, truth = gen
    base = _base_rows(df, truth)
    # np share: a fixed count by design; missing_status rows may hide a few
    k_np = int(base["status"].eq("np").sum())
    assert _binom_ok(k_np, len(base), params.np_share)
    counts = truth["status_counts_records"]
    assert sum(counts.values()) == truth["n_records"]
    # active = recognised people in custody on as_of; compare with the scaled Viasna figure (897)
    target = truth["stock_target_by_month"][params.months[-1]]
    assert abs(counts["active"] - target) / target < 0.15
    assert counts["active"] == truth["stock_as_of"]


def test_article_family_mix_near_parameter(params, gen):
    df, truth = gen
    base = _base_rows(df, truth)
    garbage = {str(i) for i in truth["malformed"]["garbage_article"]["ids"]}
    base = base[~base["id"].isin(garbage)]
    first = base["articles"].str.extract(r"(\d{3}(?:[-–]\d)?)", expand=False).str.replace("–", "-")
    code_family = {c: f for f, codes in params.family_codes.items() for c in codes}
    fam = first.map(code_family)
    assert fam.notna().all()
    for f, share in params.family_shares.items():
        assert _binom_ok(int((fam == f).sum()), len(fam), share), f


def test_sentence_quantiles_follow_lognormal_medians(params, gen):
    _, truth = gen
    for fam, q in truth["sentence_quantiles_by_family"].items():
        assert q["n"] > 100
        # median of rounded lognormal within 20 % of the parameter
        assert abs(q["q50"] - params.sentence_median_months[fam]) / params.sentence_median_months[fam] < 0.2


# ------------------------------------------------------------------------------------------ dynamics
def test_stock_path_follows_calibration(params, gen):
    _, truth = gen
    months = list(params.months)
    true = np.array([truth["stock_by_month"][m] for m in months], float)
    target = np.array([truth["stock_target_by_month"][m] for m in months], float)
    assert np.corrcoef(true, target)[0, 1] > 0.98
    big = target > 300
    assert big.sum() > 40
    assert np.max(np.abs(true[big] - target[big]) / target[big]) < 0.15
    # shape facts of the real series (per unit of scale): rise to a 2023 plateau, then decline
    s = truth["scale"]
    assert truth["stock_by_month"]["2020-08-01"] / s < 150
    assert 1300 < truth["stock_by_month"]["2023-06-01"] / s < 1700
    assert truth["stock_by_month"]["2026-03-01"] / s < 1050


def test_calibration_inputs_reproduced(params):
    assert params.months[0] == "2020-05-01" and params.months[-1] == "2026-03-01"
    assert 0.10 < params.women_share < 0.15
    assert params.stock_target[-1] == pytest.approx(897, abs=1)
    assert min(params.inflow) >= 0
    assert params.n_default > 3000


def test_calibrate_is_pure_and_uses_inputs():
    pp = pd.DataFrame({"as_of_date": ["2020-06-30", "2023-06-30", "2026-03-19"],
                       "currently_held": [100, 1000, 500], "women_held": [10, 100, 50]})
    ev = pd.DataFrame({"event_id": ["A", "B"], "event_date": ["2025-01-10", "2025-06-10"],
                       "released_count": [40, 10], "recognised_pp_count": [None, None],
                       "exiled_count": [None, 10], "mechanism": ["pardon", "pardon"],
                       "destination": ["unknown", "Lithuania"], "is_primary": [1, 1]})
    pp0, ev0 = pp.copy(), ev.copy()
    p1 = syn.calibrate(pp, ev)
    p2 = syn.calibrate(pp, ev)
    assert p1 == p2
    assert pp.equals(pp0) and ev.equals(ev0)
    assert p1.women_share == pytest.approx(0.1)
    assert [w["size"] for w in p1.waves] == [40, 10]
    assert [w["exile_share"] for w in p1.waves] == [0.0, 1.0]
    assert p1.stock_target[0] == pytest.approx(100)


def test_waves_on_real_dates_with_real_sizes(params, gen):
    _, truth = gen
    ev = pd.read_csv(paths.CURATED / "release_events.csv")
    prim = ev[ev["is_primary"] == 1].sort_values(["event_date", "event_id"])
    assert [w["date"] for w in truth["waves"]] == prim["event_date"].tolist()
    scale = truth["scale"]
    for w, pw in zip(truth["waves"], params.waves):
        expected = max(1, round(pw["size"] * scale)) if pw["size"] > 0 else 0
        assert w["planned"] == expected
        assert w["realised"] == w["planned"], w["event_id"]
        assert w["exiled"] == round(pw["exile_share"] * w["realised"])
    big = next(w for w in truth["waves"] if w["event_id"] == "RW-2026-03-19")
    assert big["realised"] == round(250 * scale)


def test_wave_selection_favours_women(params, gen):
    """Crude check that the selection model is on: pooled odds of selection, women vs men (> 1.15)."""
    _, truth = gen
    w = truth["waves"]
    ws, ps = sum(x["women"] for x in w), sum(x["pool_women"] for x in w)
    ms = sum(x["realised"] - x["women"] for x in w)
    pm = sum(x["pool"] - x["pool_women"] for x in w)
    ratio = (ws / ps) / (ms / pm)
    assert 1.15 < ratio < 1.9
    assert truth["wave_selection"]["hazard_ratio_female"] == params.hr_female


def test_deaths_realistic(params, gen):
    df, truth = gen
    expected = params.deaths_target * truth["scale"]
    assert abs(truth["deaths"] - expected) <= 4 * np.sqrt(expected) + 3
    base = _base_rows(df, truth)
    assert int(base["died"].eq("1").sum()) == truth["deaths"]


# ------------------------------------------------------------------------------------------ malformed rows
def test_malformed_counts_equal_truth(gen):
    df, truth = gen
    mal = truth["malformed"]
    ids = {k: {str(i) for i in v["ids"]} for k, v in mal.items()}
    assert all(v["count"] >= 1 for v in mal.values())
    assert int(df["status"].eq("").sum()) == mal["missing_status"]["count"]
    assert set(df.loc[df["status"].eq(""), "id"]) == ids["missing_status"]
    assert int(df["description"].eq(syn.FORMULA_TEXT).sum()) == mal["formula_description"]["count"]
    assert int(df["articles"].isin(syn.GARBAGE_ARTICLES).sum()) == mal["garbage_article"]["count"]
    assert int(df["arrested"].isin(syn.UNPARSEABLE_DATES).sum()) == mal["unparseable_date"]["count"]
    iso = r"\d{4}-\d{2}-\d{2}"
    arr = pd.to_datetime(df["arrested"].where(df["arrested"].str.fullmatch(iso)), errors="coerce")
    rel = pd.to_datetime(df["release_date"].where(df["release_date"].str.fullmatch(iso)), errors="coerce")
    future = arr > pd.Timestamp(truth["params"]["as_of"])
    assert int(future.sum()) == mal["future_date"]["count"]
    assert set(df.loc[future, "id"]) == ids["future_date"]
    before = rel < arr
    assert set(df.loc[before, "id"]) == ids["release_before_detention"]
    assert int(df.duplicated().sum()) == mal["exact_duplicate"]["count"]
    assert set(df.loc[df.duplicated(), "id"]) == ids["exact_duplicate"]
    assert truth["malformed_rows_total"] == sum(v["count"] for v in mal.values())
    assert 0.003 < truth["malformed_rows_total"] / len(df) < 0.01


def test_duplicates_and_rearrests(gen):
    df, truth = gen
    by_id = df.drop_duplicates().set_index("id")
    assert by_id.index.is_unique
    for new, src in truth["malformed"]["near_duplicate"]["source_ids"].items():
        a, b = by_id.loc[new], by_id.loc[str(src)]
        assert a["name"] == b["name"] and a["birthday"] == b["birthday"] and a["url"] != b["url"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", a["birthday"])
    assert truth["rearrests"], "expected some re-arrest records"
    for new, first in truth["rearrests"].items():
        a, b = by_id.loc[new], by_id.loc[str(first)]
        assert a["url"] == b["url"] and a["name"] == b["name"]
    expected_dups = set(truth["malformed"]["near_duplicate"]["ids"]) | set(truth["malformed"]["exact_duplicate"]["ids"])
    assert set(truth["true_duplicate_ids"]) == expected_dups


def test_default_size_and_rescaling(params):
    df, truth = syn.generate(params, n=None, seed=1)
    assert len(df) == params.n_default
    assert truth["scale"] == pytest.approx(1.0, abs=0.01)


# ------------------------------------------------------------------------------------------ layouts / CLI
def test_localized_layouts(gen):
    df, _ = gen
    ru = syn.to_layout(df, "ru")
    assert list(ru.columns)[:12] == ["Имя и фамилия", "Статус", "Дата рождения", "Пол", "Дата задержания",
                                     "Предъявлены обвинения", "Дата приговора", "Решение суда", "Вид наказания",
                                     "Судья", "Прокурор", "Место заключения"]
    assert {"Политзаключенный", "Бывший политзаключенный", "Бывшая политзаключённая"} <= set(ru["Статус"])
    assert set(ru["Пол"]) == {"Мужчина", "Женщина"}
    en = syn.to_layout(df, "en")
    assert en["Name and surname"].str.fullmatch(r"Synthetic Person \d{6,}").all()
    assert {"Political prisoner", "Former political prisoner", "Repression documented"} <= set(en["Status"])


def test_cli_writes_export_and_truth(tmp_path, capsys):
    out = tmp_path / "synth.csv"
    assert syn.main(["--n", "3000", "--seed", "3", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert syn.SYNTHETIC_STAMP in printed
    truth = json.loads((tmp_path / "synth.csv.truth.json").read_text(encoding="utf-8"))
    assert truth["n"] == 3000 and truth["seed"] == 3 and truth["layout"] == "machine"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("id,url,name,status,")
    first = out.read_bytes()
    assert syn.main(["--n", "3000", "--seed", "3", "--out", str(out)]) == 0
    assert out.read_bytes() == first


def test_cli_xlsx_ru_is_deterministic_and_keeps_formula_text(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    syn.main(["--n", "2000", "--seed", "4", "--out", str(a), "--layout", "ru"])
    syn.main(["--n", "2000", "--seed", "4", "--out", str(b), "--layout", "ru", "--format", "xlsx"])
    assert a.read_bytes() == b.read_bytes()
    ws = openpyxl.load_workbook(a, read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Имя и фамилия" and len(rows) == 2001
    truth = json.loads((tmp_path / "a.xlsx.truth.json").read_text(encoding="utf-8"))
    assert truth["layout"] == "ru" and truth["malformed"]["formula_description"]["count"] == 0
    # machine layout keeps the formula as text, never as a formula
    m = tmp_path / "m.xlsx"
    syn.main(["--n", "2000", "--seed", "4", "--out", str(m)])
    ws = openpyxl.load_workbook(m, read_only=True).worksheets[0]
    rows = ws.iter_rows()
    col = [c.value for c in next(rows)].index("description")
    formula = [r[col] for r in rows if r[col].value == syn.FORMULA_TEXT]
    assert formula and all(c.data_type == "s" for c in formula)


def test_cli_help_first_line_is_stamp():
    res = subprocess.run([sys.executable, "-m", "analysis", "synth", "--help"], capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert res.returncode == 0
    assert res.stdout.splitlines()[0] == syn.SYNTHETIC_STAMP
    assert "--seed" in res.stdout and "--layout" in res.stdout


def test_cli_rejects_bad_n(tmp_path):
    with pytest.raises(syn.UsageError):
        syn.main(["--n", "0", "--out", str(tmp_path / "x.csv")])


def test_viasna_reader_accepts_the_export(tmp_path, gen):
    viasna = pytest.importorskip("analysis.sources.viasna")
    df, _ = gen
    out = tmp_path / "e.csv"
    out.write_bytes(syn.export_bytes(df))
    back = viasna.read_export(out)
    assert len(back) == len(df)
    assert back["detention_date"].tolist() == df["arrested"].tolist()


# ------------------------------------------------------------------------------------------ marker
def test_every_row_carries_a_marker_that_matches_only_itself(gen):
    df, _ = gen
    assert verify(df["id"], df["url"], df["name"], df[syn.MARKER_COLUMN]).all()
    df = df.drop_duplicates()  # exact duplicate rows share their marker
    shifted = df[syn.MARKER_COLUMN].shift(1, fill_value="")
    assert not verify(df["id"], df["url"], df["name"], shifted).any()
    blank = pd.Series("", index=df.index)
    assert not verify(df["id"], df["url"], blank, df[syn.MARKER_COLUMN]).any()  # names blanked


def test_localized_layouts_carry_the_marker_of_their_own_names(gen):
    df, _ = gen
    for layout in ("ru", "en"):
        out = syn.to_layout(df, layout)
        blank = pd.Series("", index=out.index)
        name = out.columns[0]
        assert list(out.columns)[-1] == syn.MARKER_COLUMN
        assert verify(blank, blank, out[name], out[syn.MARKER_COLUMN]).all()


# ------------------------------------------------------------------------------------------ late recognition
@pytest.fixture(scope="module")
def late(params):
    import dataclasses

    return syn.generate(dataclasses.replace(params, late_recognition_share=0.3), n=6000, seed=4)


def test_late_recognition_is_off_by_default_and_changes_nothing_else(params, gen, late):
    df, truth = gen
    assert syn.RECOGNISED_COLUMN not in df and "recognition" not in truth
    import dataclasses

    on, _ = syn.generate(dataclasses.replace(params, late_recognition_share=0.3), n=N, seed=SEED)
    moved = on["status"] != df["status"]
    assert set(df.loc[moved, "status"]) <= {"active", "former"} and set(on.loc[moved, "status"]) == {"np"}
    same = [c for c in df.columns if c not in ("status", "prison", syn.MARKER_COLUMN)]
    assert on[same].equals(df[same])  # own random stream: only the not-yet-recognised differ


def test_late_recognition_truth(params, late):
    df, truth = late
    rec = truth["recognition"]
    by_id = df.drop_duplicates("id").set_index("id")
    dates = pd.to_datetime(by_id[syn.RECOGNISED_COLUMN].replace("", None))
    detained = pd.to_datetime(by_id["arrested"], errors="coerce", format="%Y-%m-%d")
    edited = {str(i) for kind in truth["malformed"].values() for i in kind["ids"]}
    lag = (dates - detained).dt.days.dropna().drop(edited, errors="ignore")
    assert (lag >= 0).all()
    late_ids = [str(i) for i in rec["late_ids"] if str(i) in lag.index]
    assert lag.reindex(late_ids).median() > 100 and lag.drop(late_ids).max() <= params.prompt_recognition_max_days
    waiting = [str(i) for i in rec["not_yet_recognised_ids"]]
    assert (by_id.loc[waiting, "status"].isin(["np", ""])).all() and (by_id.loc[waiting, syn.RECOGNISED_COLUMN] == "").all()
    recognised = (by_id["status"].isin(["active", "former"])) & (by_id[syn.RECOGNISED_COLUMN] == "")
    assert not recognised.drop([str(i) for i in truth["malformed"]["missing_status"]["ids"]], errors="ignore").any()
    assert all(a <= b for a, b in zip(rec["listed_stock_by_month"], truth["stock_by_month"].values()))


def test_cleaned_people_expose_the_recognition_date(tmp_path, late):
    from analysis.clean.people import clean_export
    from analysis.clean.pseudonym import SYNTHETIC_KEY, keyed_hash
    from analysis.sources.viasna import read_export

    df, truth = late
    path, _ = syn.write_export(df, truth, tmp_path / "late.csv")
    result = clean_export(read_export(path), "synthetic", SYNTHETIC_KEY, pd.Timestamp(truth["params"]["as_of"]))
    people = result.people.set_index("record_id")
    by_id = df.drop_duplicates("id").set_index("id")
    ids = pd.Series(by_id.index)
    rid = keyed_hash("id:" + ids, SYNTHETIC_KEY, "record|synthetic")
    kept = rid.isin(people.index).to_numpy()
    got = people.loc[rid[kept], "recognised_date"].dt.strftime("%Y-%m-%d").fillna("").to_numpy()
    assert (got == by_id[syn.RECOGNISED_COLUMN].to_numpy()[kept]).all()
    assert people["recognised_date"].notna().sum() > 1000


# ------------------------------------------------------------------------------------------ dated pair
@pytest.fixture(scope="module")
def pair():
    return syn.synthetic_pair(5, 5000, "2025-06-30", "2026-03-31")


def test_pair_is_deterministic_and_rejects_reversed_dates(pair):
    old, new, truth = pair
    old2, new2, truth2 = syn.synthetic_pair(5, 5000, "2025-06-30", "2026-03-31")
    assert old.equals(old2) and new.equals(new2) and truth == truth2
    with pytest.raises(syn.UsageError):
        syn.synthetic_pair(5, 5000, "2026-03-31", "2025-06-30")


def test_pair_truth_accounts_for_every_record_and_person(pair):
    old, new, truth = pair
    ids = set(old["id"]) | set(new["id"])
    assert set(truth["records"]) == ids
    assert set(truth["persons"]) == set(old["url"]) | set(new["url"])
    assert sum(truth["counts_records"].values()) == len(ids)
    assert sum(truth["counts_persons"].values()) == len(truth["persons"])
    for cls in syn.CHANGE_CLASSES:
        assert truth["counts_records"][cls] > 0, cls  # every class occurs


def test_pair_classes_match_the_two_files(pair):
    old, new, truth = pair
    o, n = old.set_index("id"), new.set_index("id")
    cls = pd.Series(truth["records"])
    assert set(cls[cls == "record_removed"].index) == set(o.index) - set(n.index)
    assert set(cls[cls.isin(["newly_listed", "rearrested"])].index) == set(n.index) - set(o.index)
    both = sorted(set(o.index) & set(n.index))
    same = (o.loc[both] == n.loc[both]).all(axis=1)
    assert set(same[same].index) == set(cls[cls == "unchanged"].index)
    died = cls[cls == "died"].index
    assert (o.loc[died, "died"] == "").all() and (n.loc[died, "died"] == "1").all()
    released = cls[cls == "released"].index
    assert (o.loc[released, "status"] == "active").all() and (n.loc[released, "status"] == "former").all()
    assert set(truth["release_routes"]) == set(released)
    recognised = cls[cls == "newly_recognised"].index
    assert (o.loc[recognised, "status"] == "np").all() and n.loc[recognised, "status"].isin(["active", "former"]).all()
    withdrawn = cls[cls == "status_changed"].index
    assert (o.loc[withdrawn, "status"] == "former").all() and (n.loc[withdrawn, "status"] == "np").all()
    corrected = cls[cls == "field_corrected"].index
    differs = (o.loc[corrected] != n.loc[corrected])
    assert differs["birthday"].all() and not differs.drop(columns=["birthday", syn.MARKER_COLUMN]).any().any()
    for url, first in new.groupby("url")["id"]:
        if truth["persons"][url] == "rearrested":
            assert len(first) >= 2 and set(first) & set(o.index)


def test_pair_exports_are_marked_and_cleanable(tmp_path, pair):
    from analysis.clean.people import clean_export
    from analysis.clean.pseudonym import SYNTHETIC_KEY
    from analysis.sources.viasna import read_export

    old, new, truth = pair
    cleaned = {}
    for name, df in (("old", old), ("new", new)):
        path = tmp_path / f"{name}.csv"
        path.write_bytes(syn.export_bytes(df))
        result = clean_export(read_export(path), "synthetic", SYNTHETIC_KEY, pd.Timestamp(truth["date_new"]))
        assert result.counts["synthetic_rows"] == len(df) and result.counts["quarantined_rows"] == 0
        cleaned[name] = result.people.set_index("record_id")["person_id"]
    both = cleaned["old"].index.intersection(cleaned["new"].index)
    assert len(both) > 1000 and (cleaned["old"][both] == cleaned["new"][both]).all()  # stable person ids
