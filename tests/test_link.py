"""Linking units to gazetteers (graphkit/link.py, graphkit/names.py): matching, decisions, the review loop."""
from __future__ import annotations

import csv
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from graphkit.errors import InputError
from graphkit.gazetteers import OFFLINE_LOADERS
from graphkit.link import iso_code_problems, load_units, match_text, read_review, run_link
from graphkit.load import load_graph
from graphkit.names import level_hint
from graphkit.paths import project_root

UNIT = "https://w3id.org/xbkg/id/unit/"
ADMS = Namespace("http://www.w3.org/ns/adms#")
BENCH = project_root() / "bench" / "link_bench.py"


@pytest.fixture(scope="module")
def store():
    return load_graph()


def link_once(store, tmp_path: Path, sources: list[str], units: list[str], day: str = "2026-05-01"):
    return run_link(store, sources, tmp_path, tmp_path / "review.csv", today=day,
                    only=[UNIT + u for u in units])


def review_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def set_decision(path: Path, unit: str, candidate: str, decision: str, pick: str = "") -> None:
    rows = review_rows(path)
    hits = [r for r in rows if r["unit"] == UNIT + unit and r["candidate"] == candidate]
    assert hits, f"no review row for {unit} -> {candidate}"
    hits[0]["decision"], hits[0]["pick"] = decision, pick
    write_rows(path, rows)


def linked(path: Path, unit: str) -> dict[str, tuple[str, str]]:
    """notation -> (relation, method) of the unit's link records in one links file."""
    graph = Graph().parse(path, format="turtle")
    out = {}
    for prop in (ADMS.identifier, URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso")):
        for record in graph.objects(URIRef(UNIT + unit), prop):
            notation = graph.value(record, SKOS.notation)
            if notation is not None:
                out[str(notation)] = (str(graph.value(record, DCTERMS.relation)).rsplit("#", 1)[-1],
                                      str(graph.value(record, DCTERMS.type)))
    return out


# ---------------------------------------------------------------- names and matching

def test_level_words_are_read_as_level_hints():
    assert level_hint("huyện Hà Khẩu") == "district"
    assert level_hint("xã Sơn Kim 2") == "commune"
    assert level_hint("thị trấn Si Ma Cai") == "commune"
    assert level_hint("tỉnh Lào Cai") == "province"
    assert level_hint("thôn Cốc Phương") == "village"
    assert level_hint("bản Na Pê") == "village"
    assert level_hint("Sơn La") is None


def test_vietnamese_name_matches_without_diacritics_or_with_a_level_word():
    assert match_text("tinh Lao Cai", "iso", "VN", "province").best.record.id == "VN-02"
    assert match_text("Thành phố Hồ Chí Minh", "iso", "VN", "province").best.record.id == "VN-SG"


def test_d_without_its_stroke_matches_đ():
    proposal = match_text("Dak Lak", "iso", "VN", "province")
    assert (proposal.status, proposal.best.record.id) == ("exact", "VN-33")


def test_lao_romanisations_reach_the_same_province():
    for spelling in ("Bôlykhămxay", "Bolikhamxay", "Borikhamxay", "Bolikhamxai"):
        assert match_text(spelling, "iso", "LA", "province").best.record.id == "LA-BL", spelling
    for spelling in ("Hủa Phăn", "Houaphan"):
        assert match_text(spelling, "iso", "LA", "province").best.record.id == "LA-HO", spelling


def test_chinese_characters_pinyin_and_sino_vietnamese_reach_yunnan():
    for spelling in ("云南省", "Yunnan", "Vân Nam"):
        proposal = match_text(spelling, "iso", "CN", "province")
        assert (proposal.status, proposal.best.record.id) == ("exact", "CN-YN"), spelling


def test_sino_vietnamese_reading_finds_hekou_by_its_coordinates():
    proposal = match_text("Hà Khẩu", "geonames", "CN", "commune", lat=22.53, lon=103.94)
    assert proposal.best.record.id == "1808588"
    assert "sino-vietnamese" in proposal.best.evidence()


def test_names_one_letter_apart_are_different_places():
    assert match_text("Quang Binh", "iso", "VN", "province").best.record.id == "VN-24"
    assert "VN-13" not in {c.record.id for c in match_text("Quang Binh", "iso", "VN", "province").candidates}


def test_numbers_in_names_must_agree():
    proposal = match_text("Xã Sơn Kim 3", "national", "VN", "commune", "Hà Tĩnh")
    assert proposal.status in ("none", "weak")
    assert "18199" not in {c.record.id for c in proposal.candidates}


def test_name_with_no_match_proposes_nothing():
    proposal = match_text("Tổ Tam Bình Bá", "iso", "CN", "group")
    assert (proposal.status, proposal.candidates) == ("none", [])


def test_two_equally_good_candidates_are_left_for_review():
    proposal = match_text("tỉnh Viêng Chăn", "iso", "LA", "province")
    assert proposal.status == "tie"
    assert {c.record.id for c in proposal.tied} == {"LA-VI", "LA-VT"}


def test_populated_place_for_a_district_is_only_a_close_match():
    proposal = match_text("Hà Khẩu", "geonames", "CN", "district", lat=22.53, lon=103.94)
    assert proposal.status == "close"
    assert "populated place" in proposal.best.evidence()


# ---------------------------------------------------------------- runs on the seed data

def test_tie_in_a_run_writes_no_link_and_lists_both_candidates(store, tmp_path):
    link_once(store, tmp_path, ["geonames"], ["cn-yn-honghe-hekou-nanxi-longbao"])
    rows = [r for r in review_rows(tmp_path / "review.csv") if r["proposed"] == "review (tie)"]
    assert len(rows) >= 2
    assert linked(tmp_path / "geonames.ttl", "cn-yn-honghe-hekou-nanxi-longbao") == {}


def test_merged_away_unit_gets_only_a_close_match_to_its_successors_code(store, tmp_path):
    report = link_once(store, tmp_path, ["national"], ["vn-02-muong-khuong-ban-lau", "vn-2025-15-ban-lau"])
    old = next(p for p in report.proposals if p.unit.iri.endswith("vn-02-muong-khuong-ban-lau"))
    assert old.status == "close"
    assert "successor unit:vn-2025-15-ban-lau" in old.best.evidence()
    assert linked(tmp_path / "national.ttl", "vn-2025-15-ban-lau") == {"02788": ("exactMatch", "automatic")}
    assert linked(tmp_path / "national.ttl", "vn-02-muong-khuong-ban-lau") == {"02788": ("closeMatch", "automatic")}


def test_iso_run_links_every_unit_that_has_an_iso_code(store, tmp_path):
    run_link(store, ["iso"], tmp_path, tmp_path / "review.csv", today="2026-05-01")
    units = load_units(store)
    with_codes = {iri: u.iso for iri, u in units.items() if u.iso}
    assert len(with_codes) > 90
    graph = Graph().parse(tmp_path / "iso.ttl", format="turtle")
    for iri, code in with_codes.items():
        notations = {str(graph.value(r, SKOS.notation)) for r in graph.objects(URIRef(iri), ADMS.identifier)}
        assert notations == {code}, iri


def test_committed_links_carry_every_iso_code_as_an_identifier(store):
    assert (project_root() / "data" / "links" / "iso.ttl").is_file()
    assert iso_code_problems(store) == []


def test_links_record_method_source_and_date(store, tmp_path):
    link_once(store, tmp_path, ["iso"], ["vn-23"])
    graph = Graph().parse(tmp_path / "iso.ttl", format="turtle")
    record = graph.value(URIRef(UNIT + "vn-23"), ADMS.identifier)
    assert graph.value(record, SKOS.notation) == Literal("VN-23")
    assert graph.value(record, DCTERMS.type) == Literal("automatic")
    assert str(graph.value(record, DCTERMS.source)) == "https://w3id.org/xbkg/id/source/pycountry"
    assert graph.value(record, PROV.wasDerivedFrom) is not None
    assert str(graph.value(record, DCTERMS.date)) == "2026-05-01"
    assert "name" in str(graph.value(record, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")))


def test_rerun_keeps_the_date_a_link_was_first_written(store, tmp_path):
    link_once(store, tmp_path, ["iso"], ["vn-23"], day="2026-05-01")
    link_once(store, tmp_path, ["iso"], ["vn-23"], day="2026-06-01")
    graph = Graph().parse(tmp_path / "iso.ttl", format="turtle")
    record = graph.value(URIRef(UNIT + "vn-23"), ADMS.identifier)
    assert str(graph.value(record, DCTERMS.date)) == "2026-05-01"


# ---------------------------------------------------------------- the review loop

def test_rejected_link_is_never_proposed_again(store, tmp_path):
    link_once(store, tmp_path, ["iso"], ["vn-23"])
    set_decision(tmp_path / "review.csv", "vn-23", "VN-23", "reject")
    for _ in range(2):
        link_once(store, tmp_path, ["iso"], ["vn-23"])
    assert linked(tmp_path / "iso.ttl", "vn-23") == {}
    rows = [r for r in review_rows(tmp_path / "review.csv") if r["unit"] == UNIT + "vn-23"]
    assert [(r["candidate"], r["decision"]) for r in rows] == [("VN-23", "reject")]


def test_accepted_link_is_never_lost(store, tmp_path):
    link_once(store, tmp_path, ["iso"], ["vn-2025-15"])
    set_decision(tmp_path / "review.csv", "vn-2025-15", "VN-02", "accept")
    for _ in range(2):
        link_once(store, tmp_path, ["iso"], ["vn-2025-15"])
        link_once(store, tmp_path, ["iso"], ["vn-23"])
    assert linked(tmp_path / "iso.ttl", "vn-2025-15") == {"VN-02": ("closeMatch", "curator")}
    assert linked(tmp_path / "iso.ttl", "vn-23") == {"VN-23": ("exactMatch", "automatic")}


def test_picking_another_candidate_links_it_and_rejects_the_proposal(store, tmp_path):
    link_once(store, tmp_path, ["iso"], ["vn-2025-15"])
    set_decision(tmp_path / "review.csv", "vn-2025-15", "VN-02", "pick", "VN-06")
    link_once(store, tmp_path, ["iso"], ["vn-2025-15"])
    assert linked(tmp_path / "iso.ttl", "vn-2025-15") == {"VN-06": ("exactMatch", "curator")}
    rows = [r for r in review_rows(tmp_path / "review.csv") if r["unit"] == UNIT + "vn-2025-15"]
    assert [(r["candidate"], r["decision"], r["pick"]) for r in rows] == [("VN-02", "pick", "VN-06")]


def test_bad_decision_in_the_review_file_names_its_line(store, tmp_path):
    link_once(store, tmp_path, ["iso"], ["vn-23"])
    set_decision(tmp_path / "review.csv", "vn-23", "VN-23", "maybe")
    with pytest.raises(InputError) as error:
        read_review(tmp_path / "review.csv")
    assert error.value.line == 2 and "maybe" in error.value.message


# ---------------------------------------------------------------- the command

def test_link_command_writes_links_and_the_review_file(tmp_path):
    result = subprocess.run(["graphkit", "link", "--source", "iso", "--out", str(tmp_path), "--unit", UNIT + "la-bl",
                             "--date", "2026-05-01"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "iso: 1 exact" in result.stdout
    assert linked(tmp_path / "iso.ttl", "la-bl") == {"LA-BL": ("exactMatch", "automatic")}
    assert (tmp_path / "review.csv").is_file()


def test_link_command_refuses_a_bad_review_file_in_one_line(tmp_path):
    (tmp_path / "review.csv").write_text("unit,source,candidate,decision\nx,iso,VN-02,perhaps\n", encoding="utf-8")
    result = subprocess.run(["graphkit", "link", "--source", "iso", "--out", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "review.csv:2:" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- the gold set

def _bench():
    spec = importlib.util.spec_from_file_location("link_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def test_gold_set_has_at_least_fifty_units_with_ids_from_the_packages():
    bench = _bench()
    rows = bench.read_gold()
    assert len(rows) >= 50
    for row in (r for r in rows if r["expected"]):
        ids = {rec.id for rec in OFFLINE_LOADERS[row["source"]]([row["country"]])}
        assert row["expected"] in ids, row


def test_gold_set_precision_and_recall_are_above_their_floors():
    bench = _bench()
    outcomes = bench.run(bench.read_gold())
    precision, recall = bench.precision_recall(outcomes)
    assert precision >= 0.97 and recall >= 0.90, bench.report(outcomes)
    for source in ("iso", "geonames", "national"):
        mine = [o for o in outcomes if o.row["source"] == source]
        precision, recall = bench.precision_recall(mine)
        assert precision >= 0.95 and recall >= 0.85, (source, bench.report(outcomes))
