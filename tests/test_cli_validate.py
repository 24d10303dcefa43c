"""`graphkit validate`: a report people can read, JSON and Turtle for tools, and exit codes that tell
a Violation (1) from bad input (2)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from graphkit import paths
from graphkit.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
CONTEXT = [str(paths.data_dir() / "reference" / "countries.ttl"), str(paths.data_dir() / "sources.ttl")]
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def run(*args: str):
    return CliRunner().invoke(main, ["validate", *args])


@pytest.fixture(scope="module")
def two_countries():
    """Bản Na Pê placed in two countries: two Violations on one unit."""
    return run(*CONTEXT, str(FIXTURES / "shapes" / "unit-in-two-countries.ttl"))


def test_broken_fixture_exits_1_and_the_report_names_it(two_countries):
    assert two_countries.exit_code == 1
    assert "Bản Na Pê" in two_countries.stdout
    assert "UnitHasOneCountry: Administrative unit Bản Na Pê is placed in two countries, Lào and Việt Nam" in two_countries.stdout
    assert two_countries.stderr.strip() == "graphkit: 2 SHACL violation(s)"


def test_text_report_groups_the_results_under_the_thing_at_fault(two_countries):
    lines = two_countries.stdout.splitlines()
    assert lines[0] == "Bản Na Pê  (unit:la-bl-khamkeut-nape)"
    assert [line.split()[:2] for line in lines[1:3]] == [
        ["Violation", "UnitHasOneCountry:"], ["Violation", "UnitLevelInCountryScheme:"]]
    assert lines[-1] == "2 violation(s), 0 warning(s), 0 info: does not conform."


def test_turtle_syntax_error_exits_2_with_file_and_line():
    result = run(str(FIXTURES / "broken-syntax.ttl"))
    assert result.exit_code == 2
    assert "broken-syntax.ttl:5: " in result.stderr
    assert "Traceback" not in result.output


def test_missing_file_exits_2_naming_it(tmp_path):
    result = run(str(tmp_path / "absent.ttl"))
    assert result.exit_code == 2
    assert "absent.ttl" in result.stderr


def test_json_report_lists_each_result_for_tools():
    result = run(*CONTEXT, str(FIXTURES / "shapes" / "partners-of-distant-tiers.ttl"), "--format", "json")
    assert result.exit_code == 0  # a Warning does not fail
    report = json.loads(result.stdout)
    assert (report["conforms"], report["violations"], report["warnings"]) == (True, 0, 1)
    [warning] = report["results"]
    assert warning["shape"] == "https://w3id.org/xbkg/shapes#PartnerTiersClose"
    assert warning["focus"] == "https://w3id.org/xbkg/id/twinning/lao-cai--tam-binh-ba"
    assert warning["focus_label"] == "Lào Cai – tổ Tam Bình Bá"


def test_turtle_report_is_a_shacl_validation_report():
    result = run(*CONTEXT, str(FIXTURES / "shapes" / "twinning-with-one-partner.ttl"), "--format", "turtle")
    assert result.exit_code == 1
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    [root] = graph.subjects(rdflib.RDF.type, SH.ValidationReport)
    assert graph.value(root, SH.conforms).toPython() is False
    [result_node] = graph.objects(root, SH.result)
    assert graph.value(result_node, SH.sourceShape) == rdflib.URIRef("https://w3id.org/xbkg/shapes#TwinningHasTwoPartners")
    assert graph.value(result_node, SH.resultSeverity) == SH.Violation


def test_seed_graph_validates_with_exit_0_and_shows_the_son_kim_2_conflict():
    result = run()
    assert result.exit_code == 0
    assert "Xã Sơn Kim 2  (unit:vn-23-huong-son-son-kim-2)" in result.stdout
    assert "Warning   LocationClaimsAgree: Sources disagree on where Xã Sơn Kim 2 lies" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("0 violation(s)")
