"""The W3C Reconciliation Service API (version 0.2, as OpenRefine speaks it) over the graph's units.

`graphkit serve` hands every request under /reconcile to `handle_request`: the manifest, batched
queries with type (a national level or a cross-country tier) and property constraints (country,
parent, level, ISO and GSO codes), scored candidates with `match`, HTML previews, flyouts and
suggest services for entities, types and properties. Names match in any spelling (names.py).
"""
from __future__ import annotations

import html
import json
import re
import weakref
from dataclasses import dataclass, field

from .errors import InputError
from .link import Unit, load_units
from .names import fold, forms_of, level_hint, similarity
from .namespaces import shorten, sparql_prologue

VERSIONS = ["0.1", "0.2"]
SERVICE_NAME = "graphkit: administrative units on both sides of Vietnam's borders"
IDENTIFIER_SPACE = "https://w3id.org/xbkg/id/unit/"
SCHEMA_SPACE = "https://w3id.org/xbkg/ontology#AdministrativeUnit"
DEFAULT_TYPE = {"id": "AdministrativeUnit", "name": "Administrative unit"}
BATCH_SIZE = 50
DEFAULT_LIMIT = 10
MATCH_SCORE = 85.0  # a candidate is a `match` at or above this, with its name matching at MATCH_NAME
MATCH_NAME = 0.9
MATCH_MARGIN = 3.0  # ...and no other candidate within this many points
NAME_CUTOFF = 0.6
PROPERTIES = [
    {"id": "country", "name": "Country (name or ISO 3166-1 code)"},
    {"id": "parent", "name": "Parent or any unit above (name or id)"},
    {"id": "level", "name": "Level (national level or tier, name or id)"},
    {"id": "isoCode", "name": "ISO 3166 code"},
    {"id": "nationalCode", "name": "National statistics code (GSO)"},
]
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$.]{0,63}$")

LEVELS_QUERY = sparql_prologue() + """
SELECT ?level ?label ?schemeLabel ?tier ?tierLabel WHERE {
  ?level a skos:Concept ; xbkg:rank ?rank ; skos:inScheme ?scheme .
  OPTIONAL { ?level skos:prefLabel ?label FILTER(lang(?label) = "en") }
  OPTIONAL { ?scheme skos:prefLabel ?schemeLabel FILTER(lang(?schemeLabel) = "en") }
  OPTIONAL { ?level xbkg:tier ?tier . ?tier skos:prefLabel ?tierLabel FILTER(lang(?tierLabel) = "en") }
}"""
UNIT_LEVELS_QUERY = sparql_prologue() + """
SELECT ?unit ?level ?countryLabel WHERE {
  ?unit a xbkg:AdministrativeUnit .
  OPTIONAL { ?unit xbkg:level ?level }
  OPTIONAL { ?unit xbkg:country ?country . ?country skos:prefLabel ?countryLabel }
}"""
LINKS_QUERY = sparql_prologue() + """
SELECT ?unit ?relation ?target WHERE {
  VALUES ?relation { skos:exactMatch skos:closeMatch }
  ?unit a xbkg:AdministrativeUnit ; ?relation ?target .
}"""


@dataclass
class Entity:
    """A unit as the service shows it."""

    unit: Unit
    key: str
    level: str | None  # "lvl:vn-district"
    countries: tuple[str, ...]
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ServiceIndex:
    """What the service needs from the store, read once per store."""

    entities: dict[str, Entity]
    types: dict[str, dict]  # type id -> {"id", "name", "tier"}
    units: dict[str, Unit]


_INDEXES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def service_index(store) -> ServiceIndex:
    """The store's entities and types (cached for as long as the store lives)."""
    try:
        return _INDEXES[store]
    except (KeyError, TypeError):
        pass
    index = _build_index(store)
    try:
        _INDEXES[store] = index
    except TypeError:
        pass
    return index


def _build_index(store) -> ServiceIndex:
    units = load_units(store)
    types = {"AdministrativeUnit": {**DEFAULT_TYPE, "tier": None}}
    for row in store.query(LEVELS_QUERY).rows:
        level = shorten(str(row["level"]))
        country = str(row["schemeLabel"] or "").removeprefix("Administrative levels of ")
        if country.startswith("Comparable"):
            types[level] = {"id": level, "name": f"{row['label']} (any country)", "tier": level}
        else:
            tier = shorten(str(row["tier"])) if row["tier"] else None
            types[level] = {"id": level, "name": f"{row['label']} ({country})", "tier": tier}
    entities: dict[str, Entity] = {}
    for row in store.query(UNIT_LEVELS_QUERY).rows:
        iri = str(row["unit"])
        if iri not in units or not iri.startswith(IDENTIFIER_SPACE):
            continue
        entity = entities.setdefault(iri, Entity(units[iri], iri[len(IDENTIFIER_SPACE):],
                                                 shorten(str(row["level"])) if row["level"] else None, ()))
        if row["countryLabel"] is not None:
            entity.countries = tuple(dict.fromkeys(entity.countries + (str(row["countryLabel"]),)))
    for row in store.query(LINKS_QUERY).rows:
        if str(row["unit"]) in entities:
            entities[str(row["unit"])].links.append((shorten(str(row["relation"])), str(row["target"])))
    return ServiceIndex({e.key: e for e in entities.values()}, types, units)


# ---------------------------------------------------------------- requests

def handle_request(store, method: str, subpath: str, params: dict[str, str], base_url: str) -> tuple[int, str, bytes]:
    """Answer one request under /reconcile: (HTTP status, content type, body)."""
    if method.upper() not in ("GET", "POST"):
        return _json(405, {"error": "use GET or POST"}, params)
    route = ROUTES.get(subpath.rstrip("/"))
    if route is None:
        return _json(404, {"error": f"no reconciliation service at /reconcile{subpath}"}, params)
    try:
        return route(service_index(store), params, base_url.rstrip("/"))
    except InputError as error:
        return _json(400, {"error": error.message}, params)


def _json(status: int, payload, params: dict[str, str]) -> tuple[int, str, bytes]:
    body = json.dumps(payload, ensure_ascii=False)
    callback = params.get("callback")
    if callback:
        if not _CALLBACK.match(callback):
            return 400, "application/json", json.dumps({"error": "callback must be a JavaScript name"}).encode()
        return status, "application/javascript; charset=utf-8", f"{callback}({body});".encode()
    return status, "application/json; charset=utf-8", body.encode()


def _root(index: ServiceIndex, params: dict[str, str], base: str) -> tuple[int, str, bytes]:
    if "queries" in params:
        batch = _parse_batch(params["queries"])
        return _json(200, {key: {"result": reconcile_query(index, query)} for key, query in batch.items()}, params)
    if "query" in params:  # version 0.1: one query, as JSON or as plain text
        query = _parse_single(params["query"])
        return _json(200, {"result": reconcile_query(index, query)}, params)
    return _json(200, manifest(base), params)


def manifest(base: str) -> dict:
    """The service manifest for a server whose base URL is `base`."""
    service = f"{base}/reconcile"
    return {
        "versions": VERSIONS,
        "name": SERVICE_NAME,
        "identifierSpace": IDENTIFIER_SPACE,
        "schemaSpace": SCHEMA_SPACE,
        "defaultTypes": [DEFAULT_TYPE],
        "view": {"url": IDENTIFIER_SPACE + "{{id}}"},
        "preview": {"url": service + "/preview?id={{id}}", "width": 420, "height": 220},
        "suggest": {
            "entity": {"service_url": service, "service_path": "/suggest/entity",
                       "flyout_service_path": "/flyout/entity?id=${id}"},
            "type": {"service_url": service, "service_path": "/suggest/type"},
            "property": {"service_url": service, "service_path": "/suggest/property"},
        },
        "batchSize": BATCH_SIZE,
    }


def _parse_batch(text: str) -> dict[str, dict]:
    try:
        batch = json.loads(text)
    except ValueError as error:
        raise InputError(f"'queries' is not JSON: {error}") from None
    if not isinstance(batch, dict) or not all(isinstance(q, dict) for q in batch.values()):
        raise InputError("'queries' must be an object of reconciliation queries")
    if len(batch) > BATCH_SIZE * 4:
        raise InputError(f"at most {BATCH_SIZE * 4} queries in one batch")
    for key, query in batch.items():
        if not (isinstance(query.get("query"), str) and query["query"].strip()) and not query.get("properties"):
            raise InputError(f"query {key!r} has neither a 'query' string nor 'properties'")
    return batch


def _parse_single(text: str) -> dict:
    try:
        query = json.loads(text)
    except ValueError:
        return {"query": text}
    return query if isinstance(query, dict) else {"query": text}


# ---------------------------------------------------------------- matching

def reconcile_query(index: ServiceIndex, query: dict) -> list[dict]:
    """Scored candidates for one reconciliation query, best first."""
    text = str(query.get("query") or "").strip()
    types = query.get("type") or []
    types = [types] if isinstance(types, str) else [t for t in types if isinstance(t, str)]
    constraints = [(p.get("pid"), p.get("v")) for p in query.get("properties") or [] if isinstance(p, dict)]
    limit = query.get("limit")
    limit = int(limit) if isinstance(limit, (int, float)) and limit > 0 else DEFAULT_LIMIT
    forms = forms_of([text]) if text else ()
    hint = level_hint(text) if text else None
    scored = []
    for entity in index.entities.values():
        if types and not any(_has_type(index, entity, t) for t in types):
            continue
        checks = [_property_holds(index, entity, pid, value) for pid, value in constraints]
        if not all(checks):
            continue
        candidate = _score(index, entity, text, forms, hint, len(checks))
        if candidate is not None:
            scored.append(candidate)
    scored.sort(key=lambda c: (-c["score"], c["name"]))
    _mark_match(scored)
    return scored[:limit]


def _score(index: ServiceIndex, entity: Entity, text: str, forms, hint: str | None, constraints: int) -> dict | None:
    if text and text in (entity.key, entity.unit.iri):
        name_score, agrees = 1.0, None
    elif text:
        match = similarity(forms, entity.unit.forms)
        if match.score < NAME_CUTOFF:
            return None
        name_score = match.score
        agrees = None if match.level_hint is None or entity.unit.tier is None else match.level_hint == entity.unit.tier
    else:
        name_score, agrees = 1.0, None  # properties alone
    score = 100 * name_score + (5 if agrees else -15 if agrees is False else 0) + 2 * constraints
    features = [{"id": "name", "value": round(name_score, 3)}, {"id": "constraints_met", "value": constraints}]
    if agrees is not None:
        features.append({"id": "level_word_agrees", "value": agrees})
    return {"id": entity.key, "name": entity.unit.label, "description": describe(index, entity),
            "score": round(min(100.0, max(0.0, score)), 2), "match": False,
            "type": [_type_ref(index, entity)], "features": features}


def _mark_match(candidates: list[dict]) -> None:
    """`match` for the best candidate only when it is good and clearly ahead: a tie is never a match."""
    if not candidates:
        return
    best = candidates[0]
    name = next(f["value"] for f in best["features"] if f["id"] == "name")
    runner_up = candidates[1]["score"] if len(candidates) > 1 else -100.0
    best["match"] = best["score"] >= MATCH_SCORE and name >= MATCH_NAME and best["score"] - runner_up >= MATCH_MARGIN


def _type_ref(index: ServiceIndex, entity: Entity) -> dict:
    if entity.level and entity.level in index.types:
        return {"id": entity.level, "name": index.types[entity.level]["name"]}
    return dict(DEFAULT_TYPE)


def _has_type(index: ServiceIndex, entity: Entity, type_id: str) -> bool:
    if type_id in ("AdministrativeUnit", SCHEMA_SPACE, "xbkg:AdministrativeUnit"):
        return True
    type_id = shorten(type_id)
    level = index.types.get(entity.level or "", {})
    return type_id in (entity.level, level.get("tier"))


def _values(value) -> list:
    return value if isinstance(value, list) else [value]


def _property_holds(index: ServiceIndex, entity: Entity, pid, value) -> bool:
    """Whether the entity has `value` (or one of several) for property `pid`."""
    unit = entity.unit
    for v in _values(value):
        wanted = str(v.get("id") or v.get("name") or "") if isinstance(v, dict) else str(v)
        if not wanted.strip():
            continue
        if pid == "country" and (wanted.upper() == unit.country or _named(wanted, entity.countries)):
            return True
        if pid == "parent" and _is_above(index, entity, wanted):
            return True
        if pid == "level" and (_has_type(index, entity, wanted) or _level_named(index, entity, wanted)):
            return True
        if pid == "isoCode" and unit.iso and wanted.upper() == unit.iso.upper():
            return True
        if pid == "nationalCode" and unit.national and wanted.strip() == unit.national:
            return True
    if pid not in {p["id"] for p in PROPERTIES}:
        raise InputError(f"unknown property {pid!r}; the service knows {', '.join(p['id'] for p in PROPERTIES)}")
    return False


def _named(wanted: str, names) -> bool:
    return similarity(forms_of([wanted]), forms_of(list(names))).score >= MATCH_NAME


def _is_above(index: ServiceIndex, entity: Entity, wanted: str) -> bool:
    for iri in entity.unit.ancestors:
        ancestor = index.units[iri]
        if wanted in (iri, iri.removeprefix(IDENTIFIER_SPACE)) or _named(wanted, ancestor.names):
            return True
    return False


def _level_named(index: ServiceIndex, entity: Entity, wanted: str) -> bool:
    level = index.types.get(entity.level or "")
    if level is None:
        return False
    label = level["name"].split(" (")[0]
    return fold(wanted) in (fold(label), fold(entity.unit.tier or ""))


def describe(index: ServiceIndex, entity: Entity) -> str:
    """"district of Lào Cai, Việt Nam (until 2025-06-30)" and the like."""
    level = index.types.get(entity.level or "", DEFAULT_TYPE)["name"].split(" (")[0]
    chain = [index.units[i].label for i in entity.unit.ancestors]
    text = f"{level} of {', '.join(chain)}" if chain else level
    if entity.unit.valid_until:
        text += f" (until {entity.unit.valid_until[:10]})"
    elif entity.unit.valid_from:
        text += f" (from {entity.unit.valid_from[:10]})"
    return text


# ---------------------------------------------------------------- preview, flyout, suggest

def _entity(index: ServiceIndex, params: dict[str, str]) -> Entity | None:
    key = (params.get("id") or "").strip().removeprefix(IDENTIFIER_SPACE)
    return index.entities.get(key)


def preview_html(index: ServiceIndex, entity: Entity) -> str:
    """A small HTML page about one unit, for an iframe in OpenRefine."""
    unit = entity.unit
    rows = [("Level", index.types.get(entity.level or "", DEFAULT_TYPE)["name"]),
            ("Within", " › ".join(index.units[i].label for i in entity.unit.ancestors) or "—"),
            ("Other names", ", ".join(n for n in unit.names if n != unit.label)[:300] or "—")]
    for label, value in (("ISO 3166", unit.iso), ("GSO code", unit.national), ("Valid from", unit.valid_from),
                         ("Valid until", unit.valid_until), ("Successor", shorten(unit.successor) if unit.successor else None)):
        if value:
            rows.append((label, value))
    links = "".join(f'<li>{html.escape(rel)} <a href="{html.escape(target)}" target="_blank">{html.escape(target)}</a></li>'
                    for rel, target in sorted(entity.links))
    table = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows)
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>' + html.escape(unit.label) + "</title>"
            "<style>body{font:14px sans-serif;margin:8px}th{text-align:left;padding-right:8px;vertical-align:top}</style>"
            f"</head><body><h3>{html.escape(unit.label)}</h3><table>{table}</table>"
            f"{'<ul>' + links + '</ul>' if links else ''}"
            f'<p><a href="{html.escape(unit.iri)}" target="_blank">{html.escape(unit.iri)}</a></p></body></html>')


def _preview(index: ServiceIndex, params: dict[str, str], base: str) -> tuple[int, str, bytes]:
    entity = _entity(index, params)
    if entity is None:
        page = f"<!DOCTYPE html><html><body><p>No unit {html.escape(params.get('id', ''))}.</p></body></html>"
        return 404, "text/html; charset=utf-8", page.encode()
    return 200, "text/html; charset=utf-8", preview_html(index, entity).encode()


def _flyout(index: ServiceIndex, params: dict[str, str], base: str) -> tuple[int, str, bytes]:
    entity = _entity(index, params)
    if entity is None:
        return _json(404, {"error": f"no unit {params.get('id', '')!r}"}, params)
    text = f"<p><strong>{html.escape(entity.unit.label)}</strong><br>{html.escape(describe(index, entity))}</p>"
    return _json(200, {"id": entity.key, "html": text}, params)


def _page(items: list[dict], params: dict[str, str]) -> list[dict]:
    try:
        cursor = max(0, int(params.get("cursor") or 0))
    except ValueError:
        raise InputError("cursor must be a whole number") from None
    return items[cursor:cursor + DEFAULT_LIMIT]


def _suggest_entity(index: ServiceIndex, params: dict[str, str], base: str) -> tuple[int, str, bytes]:
    prefix = fold(params.get("prefix", ""))
    found = []
    for entity in index.entities.values():
        folded = [fold(n) for n in entity.unit.names]
        rank = 0 if any(f.startswith(prefix) for f in folded) else 1 if any(prefix in f for f in folded) else None
        if rank is None and prefix:  # another spelling: Hekou for Hà Khẩu, Borikhamxay for Bôlykhămxay
            rank = 2 if similarity(forms_of([params["prefix"]]), entity.unit.forms).score >= MATCH_NAME else None
        if rank is not None:
            found.append((rank, entity.unit.label, entity))
    found.sort(key=lambda t: (t[0], t[1]))
    items = [{"id": e.key, "name": e.unit.label, "description": describe(index, e), "notable": [_type_ref(index, e)]}
             for _, _, e in found]
    return _json(200, {"result": _page(items, params)}, params)


def _suggest_type(index: ServiceIndex, params: dict[str, str], base: str) -> tuple[int, str, bytes]:
    prefix = fold(params.get("prefix", ""))
    items = [{"id": t["id"], "name": t["name"]} for t in index.types.values()
             if prefix in fold(t["name"]) or prefix in fold(t["id"])]
    return _json(200, {"result": _page(sorted(items, key=lambda t: t["name"]), params)}, params)


def _suggest_property(index: ServiceIndex, params: dict[str, str], base: str) -> tuple[int, str, bytes]:
    prefix = fold(params.get("prefix", ""))
    items = [dict(p) for p in PROPERTIES if prefix in fold(p["name"]) or prefix in fold(p["id"])]
    return _json(200, {"result": _page(items, params)}, params)


ROUTES = {
    "": _root,
    "/preview": _preview,
    "/flyout/entity": _flyout,
    "/suggest/entity": _suggest_entity,
    "/suggest/type": _suggest_type,
    "/suggest/property": _suggest_property,
}
