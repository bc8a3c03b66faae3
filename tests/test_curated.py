"""Curated raw tables: checksums, schemas and errors that name file, row and column."""

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from analysis import paths, provenance
from analysis.errors import DataError
from analysis.sources import curated


@pytest.mark.parametrize("name", curated.TABLES)
def test_shipped_tables_load_and_cite_sources(name):
    df = curated.load(name)
    assert len(df) > 0
    assert df["source_url"].str.match(r"^https?://").all()
    assert provenance.read_meta(curated.path_of(name))["sha256"] == provenance.sha256(curated.path_of(name))


@pytest.fixture
def copy_of_curated(tmp_path):
    """A writable copy of the curated folder, so tests can damage files safely."""
    root = tmp_path / "curated"
    shutil.copytree(paths.CURATED, root)
    return root


def test_tampered_file_is_refused(copy_of_curated):
    path = copy_of_curated / "pp_counts.csv"
    path.write_bytes(path.read_bytes().replace(b"1135", b"1136", 1))
    with pytest.raises(DataError, match=r"pp_counts\.csv: sha256 .* does not match"):
        curated.load("pp_counts", root=copy_of_curated)


def test_malformed_cell_names_row_and_column(copy_of_curated):
    path = copy_of_curated / "pp_counts.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[4, "currently_held"] = "about 1,100"
    df.to_csv(path, index=False, lineterminator="\n")
    provenance.update(path)
    with pytest.raises(DataError) as err:
        curated.load("pp_counts", root=copy_of_curated)
    message = str(err.value)
    assert "pp_counts.csv" in message and "row 6" in message and "'currently_held'" in message
    assert "about 1,100" in message


def test_missing_sidecar_is_explained(copy_of_curated):
    (copy_of_curated / "population.meta.yml").unlink()
    with pytest.raises(DataError, match="no provenance sidecar"):
        curated.load("population", root=copy_of_curated)


def test_update_changes_only_the_sha_line(copy_of_curated):
    path = copy_of_curated / "legal_events.csv"
    before = provenance.sidecar(path).read_text().splitlines()
    path.write_text(path.read_text() + path.read_text().splitlines()[1] + "\n")
    digest = provenance.update(path)
    after = provenance.sidecar(path).read_text().splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert changed == [(next(line for line in before if line.startswith("sha256:")), f"sha256: {digest}")]
    curated.load("legal_events", root=copy_of_curated)


def test_checksum_cli_reports_tampering_in_one_line(copy_of_curated):
    path = copy_of_curated / "population.csv"
    path.write_text(path.read_text().replace("Azerbaijan", "Azerbaidjan", 1))
    proc = subprocess.run([sys.executable, "-m", "analysis", "checksum", str(path)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "population.csv" in proc.stderr


def test_a_newer_figure_is_a_one_row_change_the_series_picks_up(copy_of_curated):
    """Append one sourced row, update the checksum, and the default window now ends at the new month."""
    from analysis.stats import series

    path = copy_of_curated / "pp_counts.csv"
    row = ("2026-06-30,880,,,,,,,exact,viasna,Viasna,https://spring96.org/en/news/999999,2026-07-01,false,"
           "Hypothetical test row,Test only\n")
    path.write_text(path.read_text(encoding="utf-8") + row, encoding="utf-8")
    provenance.update(path)
    counts = curated.load("pp_counts", root=copy_of_curated)
    end = series.last_observed(counts)
    assert end == "2026-06-30"
    monthly = series.monthly_series(counts, "2020-08-01", end)
    assert monthly.iloc[-1]["currently_held"] == 880 and monthly.iloc[-1]["observed"]


@pytest.mark.parametrize("value, check", [("2026-02-30", "calendar_date"), ("2025-13-01", "calendar_date"),
                                          ("２０２５-01-01", "str_matches"), ("2025-1-01", "str_matches")])
def test_impossible_or_non_ascii_date_names_file_row_and_column(copy_of_curated, value, check):
    path = copy_of_curated / "pp_counts.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = value + lines[5][10:]
    path.write_text("".join(lines), encoding="utf-8")
    provenance.update(path)
    with pytest.raises(DataError) as err:
        curated.load("pp_counts", root=copy_of_curated)
    message = str(err.value)
    assert "pp_counts.csv, row 6, column 'as_of_date'" in message and value in message and check in message


def test_date_after_the_sources_publication_is_refused(copy_of_curated):
    path = copy_of_curated / "release_events.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[2, "event_date"] = "2099-01-01"
    df.to_csv(path, index=False, lineterminator="\n")
    provenance.update(path)
    with pytest.raises(DataError) as err:
        curated.load("release_events", root=copy_of_curated)
    message = str(err.value)
    assert "release_events.csv, row 4, column 'event_date'" in message and "after the source's publication" in message


@pytest.mark.parametrize("observed, published, later", [("2025-10-07", "2025-10", False), ("2025-10", "2025-10-01", False),
                                                        ("2025-11-01", "2025-10", True), ("2025", "2024-12-31", True),
                                                        ("2025-10-02", "2025-10-01", True), ("2025-10-01", "", False)])
def test_after_publication_compares_at_the_coarser_precision(observed, published, later):
    from analysis.schemas import after_publication

    df = pd.DataFrame({"as_of_date": [observed], "source_published": [published or None]})
    assert bool(after_publication(df, "pp_counts").iloc[0]) is later
