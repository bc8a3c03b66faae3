"""The truth of a synthetic export: true parameters and realised values, to check methods against."""

from __future__ import annotations

import numpy as np

from analysis import SYNTHETIC_STAMP
from analysis.sources.synthetic.params import (
    ARTICLE_FORMS, FAMILIES, MALFORMED_KINDS, PENALTY_TYPES, SENTENCE_FORMS, SynthParams,
)
from analysis.sources.synthetic.text import _counts, _quantiles


def build_truth(p: SynthParams, h: dict) -> dict:
    """JSON-serialisable truth of one run (``h``: histories, rendered forms, malformed rows, final export)."""
    (N, R, a_form, as_of, by_kind, code1, code_list, dash, det, died, exact_src, exiled, exit_day, f_arr,
     f_birth, f_rel, f_ver, fam, female, linked, months_sent, near_ids, near_src, out, ptype, re_rows,
     rec, rec_id, released, s_form_used, scale, second, seed, sentenced, status, stock, term, wave_of,
     wave_truth) = (h[k] for k in (
        'N', 'R', 'a_form', 'as_of', 'by_kind', 'code1', 'code_list', 'dash', 'det', 'died', 'exact_src',
        'exiled', 'exit_day', 'f_arr', 'f_birth', 'f_rel', 'f_ver', 'fam', 'female', 'linked',
        'months_sent', 'near_ids', 'near_src', 'out', 'ptype', 're_rows', 'rec', 'rec_id', 'released',
        's_form_used', 'scale', 'second', 'seed', 'sentenced', 'status', 'stock', 'term', 'wave_of',
        'wave_truth'))
    rec_ids = rec_id.astype(np.int64)
    fam_counts = np.bincount(fam, minlength=len(FAMILIES))
    sent_q = {}
    for i, f in enumerate(FAMILIES):
        sel = term & (fam == i) & (ptype == 0)
        sent_q[f] = _quantiles(months_sent[sel].astype(float))
    exit_type = np.where(died, "died", np.where(~released, "still_held",
                         np.where(wave_of >= 0, "early_release", "sentence_served")))
    malformed = {k: {"count": int(len(by_kind[k])), "column": MALFORMED_KINDS[k],
                     "ids": sorted(int(x) for x in rec_ids[by_kind[k]])} for k in MALFORMED_KINDS}
    malformed["near_duplicate"]["ids"] = sorted(int(x) for x in near_ids)
    malformed["near_duplicate"]["source_ids"] = {str(int(a)): int(b) for a, b in zip(near_ids, rec_ids[near_src])}
    status_rows = out["status"].value_counts().to_dict()
    truth = {
        "stamp": SYNTHETIC_STAMP,
        "seed": int(seed),
        "n": int(len(out)),
        "n_records": int(N),
        "n_recognised_records": int(R),
        "scale": round(float(scale), 6),
        "layout": "machine",
        "status_counts_records": {s: int(np.sum(status == i)) for i, s in enumerate(("active", "former", "np"))},
        "status_counts_rows": {str(k): int(v) for k, v in sorted(status_rows.items())},
        "women_share_records": round(float(female.mean()), 6),
        "women_share_recognised": round(float(female[rec].mean()), 6),
        "women_share_active": round(float(female[status == 0].mean()), 6) if np.any(status == 0) else None,
        "article_family_counts": {f: int(c) for f, c in zip(FAMILIES, fam_counts)},
        "article_family_shares": {f: round(float(c / N), 6) for f, c in zip(FAMILIES, fam_counts)},
        "penalty_type_counts": {t: int(np.sum(ptype == i)) for i, t in enumerate(PENALTY_TYPES)},
        "sentenced_records": int(sentenced.sum()),
        "sentence_quantiles_by_family": sent_q,
        "sentence_quantiles_note": "true months of imprisonment (not restricted/fine) for records sentenced by as_of",
        "malformed": malformed,
        "malformed_rows_total": int(sum(v["count"] for v in malformed.values())),
        "wave_selection": {
            "model": "within a wave the k released are the first k of independent exponential clocks with "
                     "rate hr_female^female * hr_older^older among recognised people in custody",
            "hazard_ratio_female": p.hr_female, "hazard_ratio_older": p.hr_older,
            "older_definition": f"age at detention >= {p.older_age:g} (birthday to arrested)"},
        "waves": wave_truth,
        "wave_released_total": int(sum(w["realised"] for w in wave_truth)),
        "exiled_total": int(exiled.sum()),
        "deaths": int(died.sum()),
        "death_ids": sorted(int(x) for x in rec_ids[died]),
        "exit_type_counts": {k: int(np.sum(exit_type[rec] == k)) for k in
                             ("still_held", "sentence_served", "early_release", "died")},
        "stock_by_month": {m: int(s) for m, s in zip(p.months, stock)},
        "stock_target_by_month": {m: round(float(t) * scale, 3) for m, t in zip(p.months, p.stock_target)},
        "stock_as_of": int(np.sum(rec & (det <= as_of) & (exit_day > as_of))),
        "true_duplicate_ids": sorted({int(x) for x in rec_ids[exact_src]} | {int(x) for x in near_ids}),
        "rearrests": {str(int(a)): int(b) for a, b in zip(rec_ids[re_rows], rec_ids[linked])},
        "text_forms": {
            "arrested": _counts(f_arr, list(p.date_form_probs)),
            "verdict_date": _counts(f_ver, list(p.date_form_probs)),
            "release_date": _counts(f_rel, list(p.date_form_probs)),
            "birthday": _counts(f_birth, list(p.birthday_form_probs)),
            "articles": _counts(a_form, ARTICLE_FORMS),
            "articles_multi": int(second.sum()),
            "articles_en_dash": int(np.sum(dash & np.isin(code1, [i for i, c in enumerate(code_list) if "-" in c]))),
            "decision": _counts(s_form_used, SENTENCE_FORMS),
            "note": "counts over base records before malformed edits and duplicate rows",
        },
        "params": p.to_dict(),
    }
    return truth
