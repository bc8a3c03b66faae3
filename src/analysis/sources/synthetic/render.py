"""Text of the export: every latent value rendered in the messy forms of the real export, then malformed rows
and duplicates added (known counts)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import UsageError
from analysis.sources.synthetic.calibration import _choice, _days
from analysis.sources.synthetic.params import (
    COLONIES, FAMILIES, FORMULA_TEXT, GARBAGE_ARTICLES, MACHINE_COLUMNS, MALFORMED_KINDS, NAME_RU,
    OPEN_TYPE, PENALTY_RU, PENALTY_TYPES, PRE_TRIAL, RELEASED_MARKERS_F, RELEASED_MARKERS_M, SENTENCE_FORMS,
    UNPARSEABLE_DATES, URL_BASE, DECLARATION_BASE, SynthParams,
)
from analysis.sources.synthetic.text import _article_text, _facility_text, _iso, _lookup, _render_dates, _term_text


def render_records(p: SynthParams, h: dict) -> tuple[pd.DataFrame, dict]:
    """Machine-layout text of the base records (one row each) and the forms drawn (for the truth)."""
    (N, as_of, birth, det, died, exiled, exit_day, fam, female, months_sent, person, ptype, rec, region,
     released, rng, sentenced, status, sz, verdict, wave_of) = (h[k] for k in (
        'N', 'as_of', 'birth', 'det', 'died', 'exiled', 'exit_day', 'fam', 'female', 'months_sent',
        'person', 'ptype', 'rec', 'region', 'released', 'rng', 'sentenced', 'status', 'sz', 'verdict',
        'wave_of'))
    width = max(6, len(str(N)))
    pnum = [f"{x:0{width}d}" for x in person.tolist()]
    name = np.array([f"{NAME_RU} {x}" for x in pnum], dtype=object)
    url = np.array([URL_BASE + x for x in pnum], dtype=object)
    status_txt = np.array(["active", "former", "np"])[status].astype(object)
    gender = np.where(female, "female", "male").astype(object)
    cap = rng.random(N) < p.gender_capitalised_prob
    gender[cap] = np.where(female[cap], "Female", "Male")

    birthday, f_birth = _render_dates(rng, birth, np.ones(N, bool), p.birthday_form_probs, p.dmy_zero_pad_prob)
    arrested, f_arr = _render_dates(rng, det, np.ones(N, bool), p.date_form_probs, p.dmy_zero_pad_prob)
    verdict_txt, f_ver = _render_dates(rng, verdict, sentenced, p.date_form_probs, p.dmy_zero_pad_prob)
    rel_known = released & ~died & (rng.random(N) >= p.release_missing_prob)
    release_txt, f_rel = _render_dates(rng, exit_day, rel_known, p.date_form_probs, p.dmy_zero_pad_prob)

    # articles
    codes = {f: (list(p.family_codes[f]), np.array(list(p.family_codes[f].values()), float)) for f in FAMILIES}
    code_list = sorted({c for f in FAMILIES for c in p.family_codes[f]})
    code1 = np.zeros(N, dtype=np.int64)
    code2 = np.zeros(N, dtype=np.int64)
    second = rng.random(N) < p.second_article_prob
    u1, u2 = rng.random(N), rng.random(N)
    for i, f in enumerate(FAMILIES):
        lab, pr = codes[f]
        cdf = np.cumsum(pr / pr.sum())
        sel = fam == i
        a = np.minimum(np.searchsorted(cdf, u1[sel], side="right"), len(lab) - 1)
        # second code: the next code of the same family (different from the first when possible)
        b = (a + 1 + np.floor(u2[sel] * max(len(lab) - 1, 1)).astype(int)) % len(lab)
        lab_idx = np.array([code_list.index(c) for c in lab])
        code1[sel] = lab_idx[a]
        code2[sel] = lab_idx[b]
    second &= code1 != code2
    parts_p = {int(k): v for k, v in p.part_probs.items()}
    part_vals = np.array(list(parts_p))
    part1 = part_vals[_choice(rng, parts_p, N)]
    part2 = part_vals[_choice(rng, parts_p, N)]
    a_form = _choice(rng, p.article_form_probs, N)
    dash = rng.random(N) < p.en_dash_prob
    newline = rng.random(N) < p.article_newline_prob
    art1 = _article_text(code1, code_list, part1, a_form, dash)
    art2 = _article_text(code2, code_list, part2, a_form, dash)
    articles = np.where(second, np.where(newline, art1 + "\n" + art2, art1 + "; " + art2), art1).astype(object)

    # sentence and penalty
    s_form = _choice(rng, p.sentence_form_probs, N)
    m_int = np.nan_to_num(months_sent).astype(np.int64)
    decision = np.full(N, "", dtype=object)
    uniq = {(int(m), int(f)) for m, f in zip(m_int[sentenced], s_form[sentenced])}
    lut = {(m, f): _term_text(m, SENTENCE_FORMS[f]) for m, f in uniq if m > 0}
    term = sentenced & (ptype != PENALTY_TYPES.index("fine"))
    decision[term] = [lut[(m, f)] for m, f in zip(m_int[term], s_form[term])]
    is_fine = sentenced & (ptype == PENALTY_TYPES.index("fine"))
    decision[is_fine] = "штраф"
    penalty = np.where(sentenced, np.array([PENALTY_RU[t] for t in PENALTY_TYPES], dtype=object)[ptype], "")
    s_form_used = np.where(term, np.where((SENTENCE_FORMS.index("ru_decimal") == s_form) & ~((m_int % 12 == 6) & (m_int >= 12)),
                                          SENTENCE_FORMS.index("ru"), s_form), -1)

    # prison cell
    prison = np.full(N, "", dtype=object)
    u_pr = rng.random(N)
    fac_pre = _facility_text(rng, PRE_TRIAL, N)
    fac_col = _facility_text(rng, COLONIES, N)
    fac_open = _facility_text(rng, OPEN_TYPE, N)
    facility = np.where(~sentenced, fac_pre, np.where(ptype == 1, fac_open, fac_col))
    marker_i = rng.integers(0, len(RELEASED_MARKERS_M), N)
    marker = np.where(female, np.array(RELEASED_MARKERS_F, dtype=object)[marker_i],
                      np.array(RELEASED_MARKERS_M, dtype=object)[marker_i])
    active = status == 0
    prison[active] = facility[active]
    former = (status == 1) & ~died
    prison[former & (u_pr < 0.7)] = marker[former & (u_pr < 0.7)]
    prison[former & (u_pr >= 0.7) & (u_pr < 0.9)] = facility[former & (u_pr >= 0.7) & (u_pr < 0.9)]
    prison[died] = facility[died]
    isnp = status == 2
    prison[isnp & (u_pr < 0.2)] = "неизвестно"
    prison[isnp & (u_pr >= 0.2) & (u_pr < 0.35)] = facility[isnp & (u_pr >= 0.2) & (u_pr < 0.35)]
    np_marker = isnp & released & (u_pr >= 0.35) & (u_pr < 0.5)
    prison[np_marker] = marker[np_marker]

    # description (free text)
    description = np.full(N, "", dtype=object)
    plain = rng.random(N) < p.description_prob
    description[plain] = "Синтетическая запись: описание дела."
    in_wave = wave_of >= 0
    wave_dates = np.array([_days(w["date"]) for w in p.waves] or [0], dtype=np.int64)
    wd = _iso(wave_dates[np.maximum(wave_of, 0)])
    freed = np.where(female, "Освобождена", "Освобождён").astype(object)
    description[in_wave] = freed[in_wave] + " " + wd[in_wave] + " по помилованию."
    ex = in_wave & exiled
    description[ex] = freed[ex] + " " + wd[ex] + " по помилованию; вывезен(а) за пределы Беларуси."
    description[died] = np.where(female[died], "Умерла в заключении.", "Умер в заключении.")

    declaration = _lookup(rng.integers(100_000, 130_000, N), lambda k: f"{DECLARATION_BASE}{k}")
    declaration[~rec] = ""
    judge = _lookup(rng.integers(1, 400, N), lambda k: f"Синтетический Судья {k:04d}")
    judge[~sentenced] = ""
    counsel = _lookup(rng.integers(1, 900, N), lambda k: f"Синтетический Адвокат {k:04d}")
    counsel[rng.random(N) >= p.counsel_prob] = ""
    pstart = np.where(term & (rng.random(N) < 0.5), _iso(det), "").astype(object)
    appeal = verdict + rng.integers(30, 120, N)
    appeal_txt = np.where(sentenced & (appeal <= as_of) & (rng.random(N) < 0.3), _iso(appeal), "").astype(object)
    ftl_p = np.where(fam == FAMILIES.index("extremism"), p.fake_terrorist_prob["extremism"],
                     p.fake_terrorist_prob["other_families"])
    ftl = np.where(rec & (rng.random(N) < ftl_p), "1", "").astype(object)
    died_txt = np.where(died, "1", "").astype(object)
    clusters = np.array(list(p.region_shares), dtype=object)[region]

    # ids: unique random numbers, rows finally sorted by id
    n_ids = N + sz["near_duplicate"]
    ids = np.sort(rng.choice(np.arange(1, 3 * n_ids + 1000), size=n_ids, replace=False))
    ids = rng.permutation(ids)
    rec_id = ids[:N]

    df = pd.DataFrame({
        "id": rec_id.astype(str).astype(object), "url": url, "name": name, "status": status_txt, "gender": gender,
        "photo": "", "description": description, "birthday": birthday, "arrested": arrested,
        "articles": articles, "prison": prison, "declaration": declaration, "decision": decision,
        "penalty": penalty, "judge": judge, "councel": counsel, "penalty_start_date": pstart,
        "release_date": release_txt, "verdict_date": verdict_txt, "appeal_date": appeal_txt,
        "fake_terrorist_list": ftl, "died": died_txt, "clusters": clusters,
    }, columns=list(MACHINE_COLUMNS))
    return df, {'ids': ids, 'rec_id': rec_id, 'a_form': a_form, 'code1': code1, 'code_list': code_list,
            'dash': dash, 'f_arr': f_arr, 'f_birth': f_birth, 'f_rel': f_rel, 'f_ver': f_ver, 's_form_used':
            s_form_used, 'second': second, 'term': term}


def add_malformed(p: SynthParams, h: dict, df: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Deliberately malformed rows edited in place, exact and near duplicates added; rows sorted by id."""
    (N, as_of, birth, det, ids, linked, n, re_rows, rng, sz) = (h[k] for k in (
        'N', 'as_of', 'birth', 'det', 'ids', 'linked', 'n', 're_rows', 'rng', 'sz'))
    in_place = [k for k in MALFORMED_KINDS if k not in ("exact_duplicate", "near_duplicate")]
    n_kind = {k: max(1, int(round(p.malformed_rates[k] * n))) for k in in_place}
    n_kind.update({k: sz[k] for k in ("exact_duplicate", "near_duplicate")})
    busy = np.zeros(N, bool)
    busy[re_rows] = True
    busy[linked] = True
    free = np.flatnonzero(~busy)
    total = sum(n_kind.values())
    if total > free.size:
        raise UsageError(f"n={n} too small for {total} malformed/duplicate rows")
    chosen_rows = rng.choice(free, size=total, replace=False)
    by_kind, pos = {}, 0
    for k in MALFORMED_KINDS:
        by_kind[k] = np.sort(chosen_rows[pos:pos + n_kind[k]])
        pos += n_kind[k]
    near_src = by_kind["near_duplicate"]
    exact_src = by_kind["exact_duplicate"]
    clean_copy_near = df.iloc[near_src].copy()
    clean_copy_exact = df.iloc[exact_src].copy()

    r = by_kind["release_before_detention"]
    df.loc[r, "arrested"] = _iso(det[r])
    df.loc[r, "release_date"] = _iso(det[r] - rng.integers(30, 400, r.size))
    r = by_kind["unparseable_date"]
    df.loc[r, "arrested"] = np.array(UNPARSEABLE_DATES, dtype=object)[rng.integers(0, len(UNPARSEABLE_DATES), r.size)]
    r = by_kind["missing_status"]
    df.loc[r, "status"] = ""
    r = by_kind["future_date"]
    df.loc[r, "arrested"] = _iso(as_of + rng.integers(30, 700, r.size))
    df.loc[r, ["release_date", "verdict_date", "penalty_start_date", "appeal_date"]] = ""
    r = by_kind["garbage_article"]
    df.loc[r, "articles"] = np.array(GARBAGE_ARTICLES, dtype=object)[rng.integers(0, len(GARBAGE_ARTICLES), r.size)]
    r = by_kind["formula_description"]
    df.loc[r, "description"] = FORMULA_TEXT

    # near duplicates: same person entered twice (new id and url, same name + day-precision birthday)
    near = clean_copy_near
    near_ids = ids[N:]
    near["id"] = near_ids.astype(str).astype(object)
    near["url"] = (near["url"] + "-2").to_numpy()
    b_iso = _iso(birth[near_src])
    near["birthday"] = b_iso
    df.loc[near_src, "birthday"] = b_iso
    near["arrested"] = _iso(det[near_src])  # re-typed in another form
    out = pd.concat([df, near, clean_copy_exact], ignore_index=True)
    order = np.argsort(out["id"].astype(np.int64).to_numpy(), kind="stable")
    out = out.iloc[order].reset_index(drop=True)
    return out, {'by_kind': by_kind, 'exact_src': exact_src, 'near_src': near_src, 'near_ids': near_ids}
