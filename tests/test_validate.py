"""Validation: every shape fires on its own broken fixture, with its severity and a message naming
the thing at fault by its label; the seed data has no Violation. Both engines are checked: an
rdflib store validates with pyshacl (the reference), an Oxigraph store with the set-at-a-time validator."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import RDF, RDFS

from graphkit import paths
from graphkit.errors import InputError
from graphkit.load import load_graph
from graphkit.store import ENGINES
from graphkit.validate import SH, ValidationReport, load_shapes, shapes_path, validate, validation_sources

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
BROKEN = sorted(FIXTURES.glob("*.ttl"))
SHP = "https://w3id.org/xbkg/shapes#"
# What a fixture is validated with besides the ontology: the countries with their levels, and the sources.
CONTEXT = [paths.data_dir() / "reference" / "countries.ttl", paths.data_dir() / "sources.ttl"]
SON_KIM_2 = "https://w3id.org/xbkg/id/unit/vn-23-huong-son-son-kim-2"


@dataclass(frozen=True)
class Expectation:
    """What a broken fixture's header says must fire: `# expect: shp:Shape Severity "label"`."""

    shape: str
    severity: str
    label: str
    also: frozenset[str]


def expectation(fixture: Path) -> Expectation:
    text = fixture.read_text(encoding="utf-8")
    shape, severity, label = re.search(r'^# expect: shp:(\w+) (\w+) "(.+)"$', text, re.MULTILINE).groups()
    also = frozenset(SHP + name for name in re.findall(r"^# also: shp:(\w+)$", text, re.MULTILINE))
    return Expectation(SHP + shape, severity, label, also)


@functools.cache
def validate_fixture(fixture: Path, engine: str) -> ValidationReport:
    return validate(load_graph(validation_sources(CONTEXT + [fixture]), engine=engine))


@pytest.fixture(scope="module", params=ENGINES)
def seed_report(request) -> ValidationReport:
    return validate(load_graph(engine=request.param))


by_fixture_and_engine = pytest.mark.parametrize(
    "fixture,engine", [(f, e) for f in BROKEN for e in ENGINES], ids=lambda v: getattr(v, "stem", v))


@by_fixture_and_engine
def test_broken_fixture_fires_its_own_shape_with_its_severity(fixture, engine):
    expected = expectation(fixture)
    fired = {(r.shape, r.severity) for r in validate_fixture(fixture, engine).results}
    assert (expected.shape, expected.severity) in fired


@by_fixture_and_engine
def test_broken_fixture_message_names_the_thing_at_fault_by_its_label(fixture, engine):
    expected = expectation(fixture)
    messages = [r.message for r in validate_fixture(fixture, engine).results if r.shape == expected.shape]
    assert messages and all(expected.label in m for m in messages), messages
    assert not any("https://" in m for m in messages), messages


@by_fixture_and_engine
def test_broken_fixture_fires_no_other_shape(fixture, engine):
    expected = expectation(fixture)
    fired = {r.shape for r in validate_fixture(fixture, engine).results}
    assert fired - {expected.shape} == expected.also


def test_every_shape_has_a_broken_fixture():
    shapes = {str(s) for s in load_shapes().subjects(RDF.type, SH.NodeShape)}
    assert shapes == {expectation(f).shape for f in BROKEN}


def test_every_shape_has_a_label_an_english_message_and_a_severity():
    graph = load_shapes()
    for shape in graph.subjects(RDF.type, SH.NodeShape):
        assert str(shape).startswith(SHP)
        assert graph.value(shape, RDFS.label) is not None, shape
        assert "{?thisLabel}" in str(graph.value(shape, SH.message)), shape
        assert graph.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info), shape


def test_shape_queries_walk_no_transitive_paths():
    graph = load_shapes()
    for select in graph.objects(None, SH.select):
        assert not re.search(r"[\w>)][*+]\s", str(select)), select


def test_seed_data_has_no_violation(seed_report):
    assert seed_report.conforms, [r.message for r in seed_report.results if r.severity == "Violation"]


def test_seed_data_flags_the_son_kim_2_conflict_naming_both_quotes(seed_report):
    [conflict] = [r for r in seed_report.results if r.shape == SHP + "LocationClaimsAgree"]
    assert (conflict.focus, conflict.severity, conflict.focus_label) == (SON_KIM_2, "Warning", "Xã Sơn Kim 2")
    assert 'Hà Tĩnh according to seed-003 (article body): "UBND xã Sơn Kim 2, huyện Hương Sơn, tỉnh Hà Tĩnh"' in conflict.message
    assert 'Nghệ An according to seed-003 (headline): "Sơ kết 8 năm ký kết nghĩa giữa xã Sơn Kim 2 (Nghệ An)' in conflict.message


def test_seed_review_of_an_undated_twinning_is_an_info_not_a_violation(seed_report):
    [info] = [r for r in seed_report.results if r.shape == SHP + "ReviewYearsCheckable"]
    assert info.severity == "Info"
    assert info.focus.endswith("/event/son-kim-2--na-pe-review-8")
    assert "establishment date of the twinning is not known" in info.message


def test_validation_sources_add_the_ontology_once_and_never_the_shapes():
    fixture = BROKEN[0]
    sources = validation_sources([paths.ontology_dir(), fixture])
    names = [p.name for p in sources]
    assert {"xbkg.ttl", "levels.ttl", "vocabularies.ttl", fixture.name} <= set(names)
    assert "shapes.ttl" not in names
    assert len(names) == len(set(names))


def test_shapes_syntax_error_is_an_input_error_with_the_line():
    with pytest.raises(InputError) as caught:
        load_shapes(Path(__file__).parent / "fixtures" / "broken-syntax.ttl")
    assert caught.value.line == 5


def test_default_shapes_are_the_ontology_shapes_file():
    assert shapes_path() == paths.ontology_dir() / "shapes.ttl"
