"""The `graphkit` command: build, stats, queries, query and search on the real data, and bad input
answered with one line naming the file (and line), a non-zero exit and no traceback."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from graphkit import paths
from graphkit.cli import main
from graphkit.query import canned_queries

FIXTURES = Path(__file__).parent / "fixtures"
GRAPHKIT = shutil.which("graphkit") or str(Path(sys.executable).parent / "graphkit")


def graphkit(*args: str, root: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed command in a real process, as a user would."""
    env = dict(os.environ)
    env.pop("GRAPHKIT_DEBUG", None)
    if root is not None:
        env["GRAPHKIT_ROOT"] = str(root)
    return subprocess.run([GRAPHKIT, *args], capture_output=True, text=True, env=env, timeout=600)


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def assert_one_clear_line(run: subprocess.CompletedProcess, *expected: str) -> None:
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert run.stderr.startswith("graphkit: ") and run.stderr.strip().count("\n") == 0, run.stderr
    for text in expected:
        assert text in run.stderr


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    return graphkit("build", "--out", str(out)), out


@pytest.fixture
def broken_root(tmp_path):
    """A copy of the project whose data holds one file with a Turtle syntax error on line 5."""
    root = tmp_path / "project"
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(paths.project_root() / folder, root / folder)
    shutil.copy(FIXTURES / "broken-syntax.ttl", root / "data" / "units" / "broken.ttl")
    return root


def test_build_exits_zero_on_the_real_data(build):
    run, _ = build
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr


def test_build_writes_the_merged_graph_as_turtle(build):
    run, out = build
    graph = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    assert f"({len(graph)} triples)" in run.stdout
    assert (out / "graph.nt").is_file()


def test_build_prints_the_summary_with_shape_results(build):
    run, _ = build
    assert "Aggregate claims against the graph" in run.stdout
    assert "SHACL: 0 violation(s)" in run.stdout


def test_stats_sets_the_lao_cai_claims_beside_the_graph():
    lines = invoke("stats").splitlines()
    claims = {line.strip().rsplit(None, 3)[0]: line.split()[-3:] for line in lines if "Lào Cai – Vân Nam" in line}
    assert claims == {
        "Lào Cai – Vân Nam: 6 cặp thôn - bản": ["6", "/", "1"],
        "Lào Cai – Vân Nam: 10 cặp đồn - trạm": ["10", "/", "0"],
        "Lào Cai – Vân Nam: 7 cặp huyện, thành phố, thị xã": ["7", "/", "0"],
    }


def test_stats_counts_the_twinnings():
    assert any(line.split() == ["xbkg:Twinning", "11"] for line in invoke("stats").splitlines())


def test_queries_lists_every_query_with_title_description_and_parameters():
    output = invoke("queries")
    for name, query in canned_queries().items():
        assert f"{name}: {query.title}\n" in output
        assert query.description.split()[0] in output
        for parameter in query.parameters:
            assert f"--param {parameter.name}=<{parameter.type}>" in output


def test_query_binds_a_parameter_and_prints_a_table():
    output = invoke("query", "reviews-due", "--param", "year=2023")
    assert "tw:coc-phuong--tam-binh-ba" in output and "(1 row)" in output


def test_query_prints_csv():
    output = invoke("query", "twinnings-under-unit", "--format", "csv")
    assert output.splitlines()[0].startswith("twinning,twinningLabel,partner")
    assert len(output.splitlines()) == 3


def test_query_prints_sparql_json():
    answer = json.loads(invoke("query", "signatories", "--param", "twinning=tw:si-ma-cai--seo-pa-chu", "--format", "json"))
    assert len(answer["results"]["bindings"]) == 4


def test_query_runs_a_file_by_path():
    output = invoke("query", str(FIXTURES / "echo-parameter.rq"), "--param", 'text="} ; DROP ALL', "--format", "csv")
    assert output.splitlines()[1].startswith('"""} ; DROP ALL",')


def test_search_finds_son_kim_2_and_tells_its_versions_apart():
    lines = invoke("search", "Son Kim 2").splitlines()
    assert len(lines) == 2
    assert "unit:vn-23-huong-son-son-kim-2" in lines[0] and "valid until 2025-06-30" in lines[0]
    assert "unit:vn-2025-42-son-kim-2" in lines[1] and "valid from 2025-07-01" in lines[1]


def test_search_finds_bolikhamxay():
    assert invoke("search", "Bolikhamxay").startswith("Bôlykhămxay  [province, Lào]  matched 'Bolikhamxay'  unit:la-bl")


def test_search_prints_json():
    hits = json.loads(invoke("search", "Hà Khẩu", "--json"))
    assert hits[0]["unit"] == "https://w3id.org/xbkg/id/unit/cn-yn-honghe-hekou" and hits[0]["validity"] == ""


def test_search_says_when_nothing_matches():
    assert invoke("search", "Wakanda") == "No unit matches 'Wakanda'.\n"


def test_a_turtle_syntax_error_stops_build_with_file_and_line(broken_root, tmp_path):
    run = graphkit("build", "--out", str(tmp_path / "out"), root=broken_root)
    assert_one_clear_line(run, f"{broken_root / 'data' / 'units' / 'broken.ttl'}:5:", "syntax error")
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_a_turtle_syntax_error_stops_a_query_with_file_and_line(broken_root):
    assert_one_clear_line(graphkit("query", "aggregate-claims", root=broken_root), "broken.ttl:5:")


def test_a_missing_project_folder_is_named(tmp_path):
    assert_one_clear_line(graphkit("stats", root=tmp_path), f"{tmp_path / 'ontology'}: no such file or folder")


def test_a_missing_query_file_is_named(tmp_path):
    assert_one_clear_line(graphkit("query", str(tmp_path / "gone.rq")), "gone.rq: no such query file")


def test_an_unknown_query_is_refused():
    assert_one_clear_line(graphkit("query", "twinings"), "unknown query 'twinings'")


def test_an_unknown_parameter_is_refused():
    assert_one_clear_line(graphkit("query", "reviews", "--param", "unit=unit:vn-02"),
                          "reviews.rq: ", "no parameter 'unit'")


def test_a_parameter_of_the_wrong_type_names_its_declaration():
    assert_one_clear_line(graphkit("query", "reviews-due", "--param", "year=twenty"),
                          "reviews-due.rq:", "parameter 'year' must be a year")


def test_a_parameter_without_a_value_is_refused_in_one_line():
    assert_one_clear_line(graphkit("query", "reviews-due", "--param", "year"), "expected key=value")


def test_a_sparql_syntax_error_names_file_and_line():
    assert_one_clear_line(graphkit("query", str(FIXTURES / "broken-query.rq")), "broken-query.rq:9: SPARQL error")
