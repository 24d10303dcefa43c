"""The benchmark: the generator makes graphs of the asked size with known faults; `python -m bench --quick` prints the table."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from bench.generate import FAULT_KINDS, generate
from bench.run import parse_scale

ROOT = Path(__file__).resolve().parent.parent


def test_generated_graph_has_about_the_asked_size_and_parses(tmp_path):
    manifest = generate(tmp_path / "g.nt", 30_000, seed=3)
    store = ox.Store()
    store.bulk_load(path=str(tmp_path / "g.nt"), format=ox.RdfFormat.N_TRIPLES)
    assert len(store) == manifest.triples
    assert 30_000 <= manifest.triples <= 36_000


def test_generated_graph_plants_the_asked_number_of_each_fault(tmp_path):
    manifest = generate(tmp_path / "g.nt", 5_000, seed=5, faults_per_kind=2)
    assert set(manifest.faults) == set(FAULT_KINDS)
    assert all(len(set(foci)) == 2 for foci in manifest.faults.values())


def test_generated_units_span_three_countries_at_every_level(tmp_path):
    generate(tmp_path / "g.nt", 5_000, seed=5)
    store = ox.Store()
    store.bulk_load(path=str(tmp_path / "g.nt"), format=ox.RdfFormat.N_TRIPLES)
    levels = {row["level"].value.rsplit("/", 1)[-1] for row in store.query(
        "SELECT DISTINCT ?level WHERE { ?u a <https://w3id.org/xbkg/ontology#AdministrativeUnit> ; "
        "<https://w3id.org/xbkg/ontology#level> ?level }")}
    assert {"vn-village", "cn-group", "la-village-cluster", "vn-province", "cn-prefecture"} <= levels


def test_scales_are_read_with_k_and_m_suffixes():
    assert [parse_scale(s) for s in ("100k", "1M", "2500", "1.5M")] == [100_000, 1_000_000, 2_500, 1_500_000]


def test_quick_run_prints_the_table_with_ratios(tmp_path):
    finished = subprocess.run([sys.executable, "-m", "bench", "--quick", "--workdir", str(tmp_path)],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    rows = {cells[1]: cells for cells in (line.split(" | ") for line in finished.stdout.splitlines()) if len(cells) > 8}
    assert rows["step"][6] == "speed-up"
    for step in ("load", "validate", "query aggregate-claims"):
        assert re.fullmatch(r"[\d,.]+x", rows[step][6]), rows[step]
    assert "same results as pyshacl" in rows["validate"][8]
