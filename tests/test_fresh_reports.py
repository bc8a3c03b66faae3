"""The committed reports are what `make reports` would build now: stamps match the inputs, the site matches.

A stale report means someone changed a notebook, a parameter, an input file or a pinned package version
without rebuilding: run `make reports` and commit reports/ and notebooks/.
"""

from __future__ import annotations

import pytest

from analysis import paths, run, site, stamps

COMMITTED = paths.ROOT / "reports"  # not paths.REPORTS: `make test` points that at a scratch folder
REPORTS = run.load_config(paths.CONFIG)


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r.name)
def test_committed_report_is_up_to_date(report):
    folder = COMMITTED / report.name
    key = stamps.stamp(report, {})
    assert stamps.is_up_to_date(report, folder, key, write_back=True), (
        f"reports/{report.name} is stale (inputs, notebook or versions changed since it was built): "
        "run `make reports` and commit reports/ and notebooks/")


def test_committed_site_matches_the_builder():
    stale = [path.relative_to(paths.ROOT).as_posix() for path, text in site.pages(REPORTS, COMMITTED).items()
             if not path.is_file() or path.read_text(encoding="utf-8") != text]
    assert not stale, f"site pages out of date: {', '.join(stale)}; run `make reports` and commit reports/"
