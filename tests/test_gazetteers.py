"""Gazetteers (graphkit/gazetteers.py): the offline packages, and Wikidata through a local Oxigraph server."""
from __future__ import annotations

import csv
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from graphkit.errors import EndpointError
from graphkit.gazetteers import WikidataClient, geonames_records, iso_records, national_records, top_level_query
from servers import GRAPHKIT, free_port, listening, stop, wait_until_up

FIXTURE = Path(__file__).parent / "fixtures" / "wikidata" / "border.ttl"
UNIT = "https://w3id.org/xbkg/id/unit/"
WD = "http://www.wikidata.org/entity/"
ADMS_ID = URIRef("http://www.w3.org/ns/adms#identifier")
CHINESE_UNITS = ["cn-yn", "cn-yn-honghe", "cn-yn-honghe-hekou"]


# ---------------------------------------------------------------- offline packages

def test_iso_records_carry_chinese_and_lao_names_from_pycountry():
    yunnan = next(r for r in iso_records(["CN"]) if r.id == "CN-YN")
    assert "云南省" in yunnan.names and yunnan.tier == "province"
    bolikhamxai = next(r for r in iso_records(["LA"]) if r.id == "LA-BL")
    assert "ບໍລິຄຳໄຊ" in bolikhamxai.names


def test_iso_codes_of_provinces_merged_in_2025_end_the_day_before():
    records = {r.id: r for r in iso_records(["VN"])}
    assert records["VN-02"].valid_until == "2025-06-30"  # Lào Cai, merged with Yên Bái
    assert records["VN-23"].valid_until is None  # Hà Tĩnh carried on unchanged


def test_geonames_places_in_vietnam_know_their_2025_province_code():
    si_ma_cai = next(r for r in geonames_records(["VN"]) if r.id == "1567902")
    assert si_ma_cai.name == "Si Ma Cai" and "gso:15" in si_ma_cai.parent_keys
    assert round(si_ma_cai.lat, 1) == 22.7 and si_ma_cai.kind == "place"


def test_national_records_hold_the_provinces_and_communes_of_2025():
    records = national_records(["VN"])
    assert sum(r.tier == "province" for r in records) == 34
    ban_lau = next(r for r in records if r.id == "02788")
    assert (ban_lau.name, ban_lau.valid_from, ban_lau.parent_keys) == ("Xã Bản Lầu", "2025-07-01", ("gso:15",))
    assert national_records(["LA"]) == []


# ---------------------------------------------------------------- Wikidata through a local server

@contextmanager
def oxigraph_at(folder: Path, port: int) -> Iterator[str]:
    """The Oxigraph server over a loaded store, at a chosen port (so it can come back where it was)."""
    process = subprocess.Popen([shutil.which("oxigraph"), "serve-read-only", "--location", str(folder),
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/query?query=ASK%7B%7D", process)
        yield base + "/query"
    finally:
        stop(process)


@pytest.fixture(scope="module")
def wikidata_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wikidata") / "store"
    subprocess.run([shutil.which("oxigraph"), "load", "--location", str(folder), "--file", str(FIXTURE)],
                   check=True, capture_output=True)
    return folder


@pytest.fixture(scope="module")
def wikidata(wikidata_store) -> Iterator[str]:
    with oxigraph_at(wikidata_store, free_port()) as endpoint:
        yield endpoint


def graphkit_link(endpoint: str, out: Path, cache: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([*GRAPHKIT, "link", "--source", "wikidata", "--endpoint", endpoint, "--out", str(out),
                           "--cache", str(cache), "--date", "2026-05-01", "--batch-size", "4", *options],
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def wikidata_run(wikidata, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wikidata-run")
    result = graphkit_link(wikidata, out, out / "cache")
    assert result.returncode == 0, result.stderr
    return out


def wikidata_links(folder: Path) -> set[tuple[str, str, str]]:
    """(unit key, item, relation) of every link in a wikidata.ttl."""
    graph = Graph().parse(folder / "wikidata.ttl", format="turtle")
    out = set()
    for relation in (SKOS.exactMatch, SKOS.closeMatch):
        for unit, item in graph.subject_objects(relation):
            out.add((str(unit).removeprefix(UNIT), str(item).removeprefix(WD), relation.split("#")[-1]))
    return out


def test_wikidata_run_links_seed_units_through_the_parent_chain(wikidata_run):
    links = wikidata_links(wikidata_run)
    assert ("la-bl", "Q900000201", "exactMatch") in links  # Bôlykhămxay, by class, P17 and P300
    assert ("la-bl-khamkeut", "Q900000211", "exactMatch") in links  # found as a P131 child
    assert ("cn-yn-honghe-hekou", "Q900000312", "exactMatch") in links  # 河口瑶族自治县
    assert ("vn-23-huong-son-son-kim-2", "Q900000122", "exactMatch") in links


def test_wikidata_links_keep_the_items_other_identifiers(wikidata_run):
    graph = Graph().parse(wikidata_run / "wikidata.ttl", format="turtle")
    record = graph.value(URIRef(UNIT + "cn-yn-honghe-hekou"), ADMS_ID)
    assert URIRef("https://sws.geonames.org/1808588/") in set(graph.objects(record, RDFS.seeAlso))
    assert str(graph.value(record, DCTERMS.source)) == "https://w3id.org/xbkg/id/source/wikidata"


def test_unit_merged_away_links_to_its_own_item_and_its_successor_to_the_new_one(wikidata_run):
    links = wikidata_links(wikidata_run)
    assert ("vn-02", "Q900000101", "exactMatch") in links
    assert ("vn-2025-15", "Q900000102", "exactMatch") in links
    assert ("vn-02-muong-khuong-ban-lau", "Q900000112", "exactMatch") in links
    assert not {item for unit, item, _ in links if unit == "vn-02-muong-khuong-ban-lau"} & {"Q900000113"}


def test_two_equally_good_items_are_left_for_review(wikidata_run):
    assert not [link for link in wikidata_links(wikidata_run) if link[0] == "la-bl-khamkeut-nape"]
    with open(wikidata_run / "review.csv", newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["unit"] == UNIT + "la-bl-khamkeut-nape"]
    assert {(r["candidate"], r["proposed"]) for r in rows} == {("Q900000212", "review (tie)"),
                                                                ("Q900000213", "review (tie)")}


def test_unit_with_no_item_gets_no_link(wikidata_run):
    units = {link[0] for link in wikidata_links(wikidata_run)}
    assert "cn-yn-honghe-hekou-nanxi-longbao-tam-binh-ba" not in units


def test_wikidata_requests_carry_the_user_agent():
    with listening() as endpoint:
        WikidataClient(endpoint.url, user_agent="graphkit-test/1.0 (tests)").select(top_level_query("VN"))
    assert endpoint.hits[0]["headers"]["User-Agent"] == "graphkit-test/1.0 (tests)"
    assert endpoint.hits[0]["method"] == "POST"


def test_wikidata_client_retries_with_back_off_then_reports_an_endpoint_error():
    with listening(status=503, body=b"busy") as endpoint:
        client = WikidataClient(endpoint.url, retries=2, backoff=0.01)
        with pytest.raises(EndpointError) as error:
            client.select(top_level_query("VN"))
    assert len(endpoint.hits) == 3
    assert "after 3 tries" in str(error.value)


def test_a_query_the_endpoint_refuses_is_not_retried():
    with listening(status=400, body=b"bad query") as endpoint:
        with pytest.raises(EndpointError):
            WikidataClient(endpoint.url, retries=3, backoff=0.01).select(top_level_query("VN"))
    assert len(endpoint.hits) == 1


def test_answers_are_cached_on_disk_and_reused(wikidata, tmp_path):
    first = WikidataClient(wikidata, cache_dir=tmp_path)
    rows = first.select(top_level_query("LA"))
    second = WikidataClient(wikidata, cache_dir=tmp_path)
    assert second.select(top_level_query("LA")) == rows
    assert (first.fetched, second.fetched, second.from_cache) == (1, 0, 1)


def test_network_error_mid_run_resumes_from_the_cache(wikidata_store, wikidata_run, tmp_path):
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}/query"
    cache, out = tmp_path / "cache", tmp_path / "out"
    units = [option for key in CHINESE_UNITS for option in ("--unit", UNIT + key)]
    with oxigraph_at(wikidata_store, port):
        first = graphkit_link(endpoint, out, cache, *units)
    assert first.returncode == 0, first.stderr
    cached = len(list(cache.iterdir()))

    broken = graphkit_link(endpoint, out, cache, "--retries", "1", "--backoff", "0.01")
    assert broken.returncode == 2
    assert "could not be reached after 2 tries" in broken.stderr and "Traceback" not in broken.stderr
    assert len(list(cache.iterdir())) == cached

    with oxigraph_at(wikidata_store, port):
        resumed = graphkit_link(endpoint, out, cache)
    assert resumed.returncode == 0, resumed.stderr
    assert "0 from the cache" not in resumed.stdout
    assert wikidata_links(out) == wikidata_links(wikidata_run)
