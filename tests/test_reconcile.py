"""The Reconciliation Service API (graphkit/reconcile.py), directly and through a running `graphkit serve`."""
from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from graphkit.load import load_graph
from graphkit.reconcile import handle_request
from servers import graphkit_server

SCHEMAS = Path(__file__).parent / "fixtures" / "reconcile-schemas"
BASE = "http://127.0.0.1:8000"


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource(contents=schema, specification=DRAFT7)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def check(schema_file: str, document) -> None:
    """Raise if the document breaks the named 0.2 schema."""
    schema = json.loads((SCHEMAS / schema_file).read_text(encoding="utf-8"))
    errors = sorted(Draft7Validator(schema, registry=REGISTRY).iter_errors(document), key=str)
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


@pytest.fixture(scope="module")
def store():
    return load_graph()


def ask(store, subpath: str = "", method: str = "GET", **params) -> tuple[int, str, bytes]:
    return handle_request(store, method, subpath, {k: str(v) for k, v in params.items()}, BASE)


def reconcile(store, queries: dict) -> dict:
    check("reconciliation-query-batch.json", queries)
    status, content_type, body = ask(store, method="POST", queries=json.dumps(queries))
    assert status == 200 and content_type.startswith("application/json")
    answer = json.loads(body)
    check("reconciliation-result-batch.json", answer)
    return answer


def ids(result: dict) -> list[str]:
    return [c["id"] for c in result["result"]]


# ---------------------------------------------------------------- the manifest and queries

def test_manifest_matches_the_manifest_schema(store):
    status, content_type, body = ask(store)
    manifest = json.loads(body)
    assert status == 200 and content_type.startswith("application/json")
    check("manifest.json", manifest)
    assert manifest["preview"]["url"] == f"{BASE}/reconcile/preview?id={{{{id}}}}"
    assert manifest["suggest"]["entity"]["service_url"] == f"{BASE}/reconcile"


def test_single_query_without_constraints_matches_the_schemas(store):
    answer = reconcile(store, {"q0": {"query": "huyện Hà Khẩu"}})
    best = answer["q0"]["result"][0]
    assert (best["id"], best["match"]) == ("cn-yn-honghe-hekou", True)
    assert best["type"] == [{"id": "lvl:cn-county", "name": "county (China)"}]


def test_batch_with_types_and_properties_matches_the_schemas(store):
    answer = reconcile(store, {
        "q0": {"query": "Si Ma Cai", "type": "lvl:vn-district", "limit": 5},
        "q1": {"query": "Ban Lau", "type": ["AdministrativeUnit"],
               "properties": [{"pid": "parent", "v": "Mường Khương"}], "type_strict": "should"},
        "q2": {"query": "Borikhamxay", "properties": [{"pid": "country", "v": "LA"}, {"pid": "level", "v": "province"}]},
        "q3": {"query": "Nam Khe", "properties": [{"pid": "parent", "v": {"id": "cn-yn-honghe-hekou", "name": "Hekou"}}]},
    })
    assert ids(answer["q0"]) == ["vn-02-si-ma-cai"]
    assert ids(answer["q1"]) == ["vn-02-muong-khuong-ban-lau"] and answer["q1"]["result"][0]["match"]
    assert ids(answer["q2"])[0] == "la-bl" and answer["q2"]["result"][0]["match"]
    assert ids(answer["q3"]) == ["cn-yn-honghe-hekou-nanxi"]


def test_tier_type_matches_levels_of_every_country(store):
    answer = reconcile(store, {"q": {"query": "Si Ma Cai", "type": "lvl:tier-commune"}})
    assert set(ids(answer["q"])) >= {"vn-02-si-ma-cai-thi-tran", "vn-2025-15-si-ma-cai"}
    assert "vn-02-si-ma-cai" not in ids(answer["q"])


def test_names_in_other_spellings_and_scripts_reconcile(store):
    answer = reconcile(store, {"a": {"query": "Ha Khau"}, "b": {"query": "河口"}, "c": {"query": "Hekou"},
                               "d": {"query": "Hủa Phăn"}})
    for key in "abc":
        assert ids(answer[key])[0] == "cn-yn-honghe-hekou", key
    assert ids(answer["d"])[0] == "la-ho"


def test_two_equally_good_candidates_are_never_a_match(store):
    result = reconcile(store, {"q": {"query": "Lào Cai", "type": "lvl:vn-province"}})["q"]["result"]
    assert {c["id"] for c in result[:2]} == {"vn-02", "vn-2025-15"}
    assert not any(c["match"] for c in result)


def test_name_with_no_match_returns_an_empty_result(store):
    assert reconcile(store, {"q": {"query": "Zzyzx Springs"}})["q"]["result"] == []


def test_query_by_properties_alone(store):
    answer = reconcile(store, {"q": {"properties": [{"pid": "isoCode", "v": "VN-23"}]}})
    assert ids(answer["q"]) == ["vn-23"]


def test_legacy_single_query_parameter(store):
    status, _, body = ask(store, query="Bôlykhămxay")
    assert status == 200 and json.loads(body)["result"][0]["id"] == "la-bl"


def test_jsonp_callback_wraps_the_answer(store):
    status, content_type, body = ask(store, callback="jQuery123_456")
    assert status == 200 and content_type.startswith("application/javascript")
    assert body.startswith(b"jQuery123_456({") and body.endswith(b"});")
    assert ask(store, callback="alert(1)//")[0] == 400


@pytest.mark.parametrize("queries", ["{not json", "[1, 2]", json.dumps({"q": {"limit": 3}})])
def test_malformed_queries_are_a_bad_request(store, queries):
    status, _, body = ask(store, method="POST", queries=queries)
    assert status == 400 and "error" in json.loads(body)


def test_unknown_property_is_a_bad_request(store):
    status, _, body = ask(store, method="POST", queries=json.dumps(
        {"q": {"query": "Lào Cai", "properties": [{"pid": "population", "v": "3"}]}}))
    assert status == 400 and "population" in json.loads(body)["error"]


def test_unknown_path_is_not_found(store):
    assert ask(store, "/extend")[0] == 404


# ---------------------------------------------------------------- preview, flyout, suggest

def test_preview_is_an_html_page_about_the_unit(store):
    status, content_type, body = ask(store, "/preview", id="vn-02-muong-khuong")
    page = body.decode()
    assert status == 200 and content_type.startswith("text/html")
    assert "Huyện Mường Khương" in page and "2025-06-30" in page and "Lào Cai" in page


def test_preview_of_an_unknown_unit_is_not_found(store):
    status, _, body = ask(store, "/preview", id="<script>")
    assert status == 404 and b"<script>" not in body


def test_flyout_gives_html_for_a_suggested_unit(store):
    status, _, body = ask(store, "/flyout/entity", id="la-bl-khamkeut-nape")
    flyout = json.loads(body)
    assert status == 200 and flyout["id"] == "la-bl-khamkeut-nape" and "Bản Na Pê" in flyout["html"]


def test_suggest_entity_finds_units_by_prefix_and_by_other_spellings(store):
    for prefix in ("Mường Kh", "muong kh"):
        answer = json.loads(ask(store, "/suggest/entity", prefix=prefix)[2])
        check("suggest-entities-response.json", answer)
        assert "vn-02-muong-khuong" in ids(answer)
    answer = json.loads(ask(store, "/suggest/entity", prefix="Borikhamxay")[2])
    assert ids(answer)[0] == "la-bl"


def test_suggest_type_and_property_match_their_schemas(store):
    types = json.loads(ask(store, "/suggest/type", prefix="district")[2])
    check("suggest-types-response.json", types)
    assert {"lvl:vn-district", "lvl:la-district", "lvl:tier-district"} <= set(ids(types))
    properties = json.loads(ask(store, "/suggest/property", prefix="par")[2])
    check("suggest-properties-response.json", properties)
    assert ids(properties) == ["parent"]


# ---------------------------------------------------------------- through `graphkit serve`

def _get(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def _post_form(url: str, fields: dict[str, str]) -> tuple[int, dict, bytes]:
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def test_openrefine_shaped_requests_to_graphkit_serve_pass_the_schemas():
    with graphkit_server() as base:
        status, headers, body = _get(base + "/reconcile")
        manifest = json.loads(body)
        check("manifest.json", manifest)
        assert headers.get("Access-Control-Allow-Origin") == "*"
        assert manifest["suggest"]["entity"]["service_url"] == base + "/reconcile"

        queries = {"q0": {"query": "Sơn Kim 2", "type": "lvl:vn-commune", "limit": 3},
                   "q1": {"query": "Hekou", "properties": [{"pid": "country", "v": "CN"}]},
                   "q2": {"query": "Hua Phan"}}
        check("reconciliation-query-batch.json", queries)
        status, _, body = _post_form(base + "/reconcile", {"queries": json.dumps(queries)})
        answer = json.loads(body)
        check("reconciliation-result-batch.json", answer)
        assert status == 200 and ids(answer["q1"])[0] == "cn-yn-honghe-hekou"
        assert set(ids(answer["q0"])) == {"vn-23-huong-son-son-kim-2", "vn-2025-42-son-kim-2"}

        status, _, body = _get(base + "/reconcile?" + urllib.parse.urlencode({"queries": json.dumps({"x": {"query": "Salavan"}})}))
        check("reconciliation-result-batch.json", json.loads(body))

        preview_url = manifest["preview"]["url"].replace("{{id}}", urllib.parse.quote("la-bl", safe=""))
        status, headers, body = _get(preview_url)
        assert status == 200 and headers["Content-Type"].startswith("text/html") and "Bôlykhămxay" in body.decode()

        for service, schema in (("entity", "suggest-entities-response.json"), ("type", "suggest-types-response.json"),
                                ("property", "suggest-properties-response.json")):
            meta = manifest["suggest"][service]
            status, _, body = _get(meta["service_url"] + meta["service_path"] + "?prefix=la")
            check(schema, json.loads(body))
