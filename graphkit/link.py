"""Linking the graph's units to external gazetteers, with a curator's review file in the loop.

Each unit is compared with the records of a gazetteer (gazetteers.py) on four kinds of
evidence: name (names.py), level, parent chain and distance; codes already in the graph
(xbkg:isoCode, xbkg:nationalCode) count as a fifth. Unknown evidence counts as half, so a
match on the name alone scores 0.75: enough for skos:closeMatch, never for skos:exactMatch.

Thresholds (checked against the 90-name gold set by bench/link_bench.py: predictions from 0.70 up
have precision 1.000 and recall 0.941; from 0.85 up recall falls to 0.871, from 0.90 to 0.753):
- score >= EXACT (0.85) -> skos:exactMatch. Reaching it takes the name plus at least one
  confirming piece of evidence (level and parent, or a short distance, or a code).
- CLOSE (0.70) <= score < EXACT -> skos:closeMatch: the name matches but nothing confirms it,
  or the record is a populated place standing for a larger unit, or its dates do not overlap
  the unit's (a unit merged away against a record of its successor).
- two candidates within TIE_MARGIN of each other -> left for review, never guessed.
Accepted links go to data/links/<source>.ttl with their method, source, date and evidence;
data/links/review.csv lists what a curator may accept, reject or replace ("pick").
"""
from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from rapidfuzz import fuzz, process
from rdflib import RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV

from . import paths
from .errors import InputError
from .geometry import parse_point
from .gazetteers import (CLASS_TIERS, COUNTRY_ITEMS, GAZETTEERS, OFFLINE, OFFLINE_LOADERS, Gazetteer, Record,
                         WikidataClient, wikidata_children, wikidata_details, wikidata_record, wikidata_top_level)
from .iri import XBKG
from .names import NameForm, NameMatch, forms_of, similarity
from .namespaces import bind_all, shorten, sparql_prologue
from .store import write_atomically

ADMS = Namespace("http://www.w3.org/ns/adms#")
SCHEMA = Namespace("https://schema.org/")

EXACT = 0.85
CLOSE = 0.70
TIE_MARGIN = 0.03
WEIGHTS = {"name": 0.5, "level": 0.15, "parent": 0.15, "distance": 0.2, "code": 0.3}
UNKNOWN = 0.5
CLOSE_ONLY_FACTOR = 0.9  # a candidate that can only be close ranks below an equally named exact one
# Distance (km) at which the distance evidence falls to zero, by tier; twice that rules a candidate out.
DISTANCE_SCALE = {"country": 2000, "province": 250, "prefecture": 120, "district": 50, "commune": 20,
                  "village": 8, "group": 5}
SETTLEMENT_TIERS = {"commune", "village", "group"}  # where a populated place may be the unit itself
BLOCKING_CUTOFF = 70
WEAK_NAME = 0.9  # a weak candidate reaches the review file only when its name matches this well
NAME_FLOOR = 0.85  # below it no evidence lifts a candidate to a link: similar letters, another place
PLACE_TIERS_EXCLUDED = {"country", "province"}  # no populated place stands for a whole province

UNITS_QUERY = sparql_prologue() + """
SELECT ?unit ?label ?tier ?country ?parent ?wkt ?from ?until ?successor ?iso ?national WHERE {
  ?unit a xbkg:AdministrativeUnit .
  OPTIONAL { ?unit rdfs:label ?label }
  OPTIONAL { ?unit xbkg:level/xbkg:tier ?tier }
  OPTIONAL { ?unit xbkg:country/xbkg:isoCode ?country }
  OPTIONAL { ?unit xbkg:parent ?parent FILTER(?parent != ?unit) }
  OPTIONAL { ?unit geo:hasGeometry/geo:asWKT ?wkt }
  OPTIONAL { ?unit xbkg:validFrom ?from }
  OPTIONAL { ?unit xbkg:validUntil ?until }
  OPTIONAL { ?unit xbkg:successor ?successor }
  OPTIONAL { ?unit xbkg:isoCode ?iso }
  OPTIONAL { ?unit xbkg:nationalCode ?national }
}"""
NAMES_QUERY = sparql_prologue() + """
SELECT ?unit ?name WHERE {
  ?unit a xbkg:AdministrativeUnit ; skos:prefLabel|skos:altLabel|rdfs:label ?name .
}"""
_COUNTRY_KEY = re.compile(r"^iso:[A-Z]{2}$")


@dataclass
class Unit:
    """An administrative unit of the graph, with what matching compares."""

    iri: str
    label: str
    names: tuple[str, ...] = ()
    tier: str | None = None
    country: str = ""
    parent: str | None = None
    lat: float | None = None
    lon: float | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    successor: str | None = None
    iso: str | None = None
    national: str | None = None
    ancestors: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[NameForm, ...]:
        return forms_of(self.names)


def load_units(store) -> dict[str, Unit]:
    """Every administrative unit in the store, with names, parent chain and codes."""
    units: dict[str, Unit] = {}
    for row in store.query(UNITS_QUERY).rows:
        iri = str(row["unit"])
        unit = units.setdefault(iri, Unit(iri, str(row["label"] or shorten(iri))))
        tier = str(row["tier"]).rsplit("tier-", 1)[-1] if row["tier"] else None
        point = parse_point(row["wkt"]) if row["wkt"] else None
        units[iri] = replace(
            unit, tier=unit.tier or tier, country=unit.country or str(row["country"] or ""),
            parent=unit.parent or _text(row["parent"]),
            lat=unit.lat if unit.lat is not None else (point[1] if point else None),
            lon=unit.lon if unit.lon is not None else (point[0] if point else None),
            valid_from=unit.valid_from or _text(row["from"]), valid_until=unit.valid_until or _text(row["until"]),
            successor=unit.successor or _text(row["successor"]), iso=unit.iso or _text(row["iso"]),
            national=unit.national or _text(row["national"]))
    names: dict[str, list[str]] = {}
    for row in store.query(NAMES_QUERY).rows:
        names.setdefault(str(row["unit"]), []).append(str(row["name"]))
    for iri, unit in units.items():
        unit.names = tuple(sorted(set(names.get(iri, [unit.label])), key=lambda n: (n != unit.label, n)))
        unit.ancestors = _ancestors(iri, units)
    return units


def _text(term) -> str | None:
    return str(term) if term is not None else None


def _ancestors(iri: str, units: dict[str, Unit]) -> tuple[str, ...]:
    chain, seen = [], {iri}
    current = units[iri].parent
    while current and current not in seen and current in units:
        chain.append(current)
        seen.add(current)
        current = units[current].parent
    return tuple(chain)


def unit_keys(unit: Unit, units: dict[str, Unit], linked: dict[str, set[str]] | None = None) -> set[str]:
    """Keys the unit's ancestors are known by: ISO and GSO codes (a successor's too) and linked items."""
    keys: set[str] = set()
    if unit.country:
        keys.add(f"iso:{unit.country}")
    for iri in unit.ancestors:
        ancestor = units[iri]
        if ancestor.iso:
            keys.add(f"iso:{ancestor.iso}")
        for code_holder in (ancestor, units.get(ancestor.successor or "")):
            if code_holder is not None and code_holder.national:
                keys.add(f"gso:{code_holder.national}")
        keys |= (linked or {}).get(iri, set())
    return keys


# ---------------------------------------------------------------- scoring

@dataclass
class Candidate:
    """A record proposed for a unit, with its score and the evidence behind it."""

    record: Record
    score: float
    features: dict[str, float | None]
    name: NameMatch
    distance_km: float | None = None
    notes: tuple[str, ...] = ()
    close_only: bool = False

    def evidence(self) -> str:
        """One line a curator can read: which name matched which, level, parent, distance, notes."""
        parts = []
        if self.name.query is not None:
            via = f" via {self.name.candidate.via}" if self.name.candidate.via != "text" else ""
            parts.append(f"name '{self.name.query.original}'~'{self.name.candidate.original}'{via} "
                         f"{self.name.score:.2f}")
        for feature in ("level", "parent", "code"):
            value = self.features.get(feature)
            parts.append(f"{feature} {'?' if value is None else f'{value:.2f}'}")
        if self.distance_km is not None:
            parts.append(f"{self.distance_km:.0f} km")
        return "; ".join(parts + list(self.notes))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    rlat1, rlat2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((rlat2 - rlat1) / 2) ** 2 + math.cos(rlat1) * math.cos(rlat2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _overlaps(unit: Unit, record: Record) -> bool:
    """False when the unit's lifespan and the record's do not meet."""
    u_from, u_until = (unit.valid_from or "")[:10], (unit.valid_until or "")[:10]
    r_from, r_until = (record.valid_from or "")[:10], (record.valid_until or "")[:10]
    if u_until and r_from and u_until < r_from:
        return False
    if r_until and u_from and r_until < u_from:
        return False
    return True


def _parent_feature(record: Record, unit: Unit, keys: set[str], units: dict[str, Unit]) -> float | None:
    if keys & set(record.parent_keys):
        return 1.0
    if record.parent_names and unit.ancestors:
        ancestor_names = [n for iri in unit.ancestors for n in units[iri].names]
        if similarity(forms_of(ancestor_names), forms_of(record.parent_names)).score >= 0.9:
            return 1.0
    spaces = {k.split(":", 1)[0] for k in keys if not _COUNTRY_KEY.match(k)}
    if any(k.split(":", 1)[0] in spaces for k in record.parent_keys):
        return 0.0
    return None


def _code_feature(record: Record, unit: Unit) -> float | None:
    codes = dict(record.identifiers)
    for scheme, ours in (("iso", unit.iso), ("gso", unit.national)):
        if ours and scheme in codes:
            return 1.0 if codes[scheme] == ours else 0.0
    return None


def score_candidate(unit: Unit, record: Record, name: NameMatch, keys: set[str],
                    units: dict[str, Unit]) -> Candidate | None:
    """The candidate's score, or None when it is ruled out (another country, far away)."""
    if record.country and unit.country and record.country != unit.country:
        return None
    if record.kind == "place" and unit.tier in PLACE_TIERS_EXCLUDED:
        return None
    features: dict[str, float | None] = {"name": name.score}
    features["level"] = None if record.tier is None or unit.tier is None else float(record.tier == unit.tier)
    features["parent"] = _parent_feature(record, unit, keys, units)
    features["code"] = _code_feature(record, unit)
    distance = None
    notes: list[str] = []
    if None not in (unit.lat, unit.lon, record.lat, record.lon):
        distance = haversine_km(unit.lat, unit.lon, record.lat, record.lon)
        scale = DISTANCE_SCALE.get(unit.tier or "", 50)
        if distance > 2 * scale:
            return None
        features["distance"] = max(0.0, 1 - distance / scale)
    else:
        features["distance"] = None
    # A missing code says nothing about the candidate (the source may not carry codes), nor does a
    # missing parent of a unit that has none (a country): both are left out.
    # Other missing evidence counts as half, so confirmed evidence outranks silence.
    weighed = {f: v for f, v in features.items() if v is not None or (f != "code" and (f != "parent" or unit.ancestors))}
    score = sum(WEIGHTS[f] * (UNKNOWN if v is None else v) for f, v in weighed.items()) / \
        sum(WEIGHTS[f] for f in weighed)
    if name.score < NAME_FLOOR or features["level"] == 0.0:
        score = min(score, CLOSE - 0.001)  # another place with a like name, or another level of it
    close_only = False
    if not _overlaps(unit, record):
        close_only = True
        notes.append(_lifespan_note(unit, record))
    if record.kind == "place" and unit.tier not in SETTLEMENT_TIERS:
        close_only = True
        notes.append("a populated place standing for the unit")
    if close_only:
        score *= CLOSE_ONLY_FACTOR
    return Candidate(record, round(score, 4), features, name, distance, tuple(notes), close_only)


def _lifespan_note(unit: Unit, record: Record) -> str:
    if unit.valid_until:
        successor = f"; successor {shorten(unit.successor)}" if unit.successor else ""
        return f"unit ended {unit.valid_until[:10]}, record from {(record.valid_from or '?')[:10]}{successor}"
    return f"unit from {(unit.valid_from or '?')[:10]}, record ended {(record.valid_until or '?')[:10]}"


# ---------------------------------------------------------------- candidate search

class RecordIndex:
    """Records of one gazetteer by country, searchable by any form of their names."""

    def __init__(self, records: Iterable[Record], pinyin: bool = True):
        self.records = list(records)
        self.forms = [forms_of(r.names, pinyin) for r in self.records]
        # Latin keys bucketed by country and first two letters: romanisations differ inside a name.
        self.latin: dict[tuple[str, str], tuple[list[str], list[int]]] = {}
        self.exact: dict[tuple[str, str], list[int]] = {}
        for i, (record, forms) in enumerate(zip(self.records, self.forms)):
            for form in forms:
                if form.kind == "latin":
                    keys, owners = self.latin.setdefault((record.country, form.key[:2]), ([], []))
                    keys.append(form.key)
                    owners.append(i)
                self.exact.setdefault((record.country, form.key), []).append(i)

    def search(self, forms: tuple[NameForm, ...], country: str) -> list[int]:
        """Indexes of records with a form close to one of `forms`."""
        found: set[int] = set()
        for form in forms:
            found.update(self.exact.get((country, form.key), []))
            keys, owners = self.latin.get((country, form.key[:2]), ([], []))
            if form.kind == "latin" and len(form.key) >= 4 and keys:
                for _, _, position in process.extract(form.key, keys, scorer=fuzz.ratio,
                                                      score_cutoff=BLOCKING_CUTOFF, limit=40):
                    found.add(owners[position])
        return sorted(found)


def candidates_for(unit: Unit, index: RecordIndex, units: dict[str, Unit], keys: set[str] | None = None,
                   rejected: set[str] = frozenset()) -> list[Candidate]:
    """Scored candidates for one unit, best first; rejected record ids are never proposed."""
    keys = unit_keys(unit, units) if keys is None else keys
    out = []
    for i in index.search(unit.forms, unit.country):
        record = index.records[i]
        if record.id in rejected:
            continue
        name = similarity(unit.forms, index.forms[i])
        if name.score < 0.75:
            continue
        candidate = score_candidate(unit, record, name, keys, units)
        if candidate is not None:
            out.append(candidate)
    return sorted(out, key=lambda c: (-c.score, c.record.id))


@dataclass
class Proposal:
    """What the matcher makes of one unit against one gazetteer."""

    unit: Unit
    source: str
    status: str  # "exact", "close", "tie", "weak" or "none"
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    @property
    def tied(self) -> list[Candidate]:
        if not self.candidates:
            return []
        return [c for c in self.candidates if self.candidates[0].score - c.score < TIE_MARGIN]


def decide(unit: Unit, source: str, candidates: list[Candidate]) -> Proposal:
    """exact / close above the thresholds, tie when two are equally good, weak below, none without."""
    if not candidates:
        return Proposal(unit, source, "none", [])
    best = candidates[0]
    if best.score < CLOSE:
        return Proposal(unit, source, "weak", candidates)
    if len(candidates) > 1 and best.score - candidates[1].score < TIE_MARGIN:
        return Proposal(unit, source, "tie", candidates)
    status = "exact" if best.score >= EXACT and not best.close_only else "close"
    return Proposal(unit, source, status, candidates)


@lru_cache(maxsize=8)
def offline_index(source: str, countries: frozenset[str]) -> RecordIndex:
    """The searchable records of an offline gazetteer for some countries (built once per process)."""
    return RecordIndex(OFFLINE_LOADERS[source](countries), pinyin=source != "geonames")


def propose_offline(units: dict[str, Unit], source: str, rejected: dict[tuple[str, str], set[str]] | None = None,
                    only: Iterable[str] | None = None) -> list[Proposal]:
    """Proposals for every unit (or the `only` ones) against an offline gazetteer."""
    chosen = [units[i] for i in (only if only is not None else units)]
    index = offline_index(source, frozenset(u.country for u in chosen if u.country))
    rejected = rejected or {}
    return [decide(u, source, candidates_for(u, index, units, rejected=rejected.get((u.iri, source), set())))
            for u in sorted(chosen, key=lambda u: u.iri)]


def propose_wikidata(units: dict[str, Unit], client: WikidataClient,
                     rejected: dict[tuple[str, str], set[str]] | None = None,
                     only: Iterable[str] | None = None) -> list[Proposal]:
    """Proposals against Wikidata, top down: first-level items by class, then P131 children of matches."""
    chosen = [units[i] for i in (only if only is not None else units)]
    rejected = rejected or {}
    countries = sorted({u.country for u in chosen if u.country in COUNTRY_ITEMS})
    items = [COUNTRY_ITEMS[c] for c in countries] + [q for c in countries for q in wikidata_top_level(client, c)]
    facts = wikidata_details(client, items)
    linked: dict[str, set[str]] = {}
    proposals = []
    for depth in sorted({len(u.ancestors) for u in chosen}):
        layer = [u for u in chosen if len(u.ancestors) == depth]
        parents = {key.removeprefix("wd:") for u in layer for a in u.ancestors for key in linked.get(a, ())}
        new = [q for q in wikidata_children(client, sorted(parents)) if q not in facts] if parents else []
        facts.update(wikidata_details(client, new))
        index = RecordIndex(_wikidata_records(facts))
        for unit in sorted(layer, key=lambda u: u.iri):
            keys = unit_keys(unit, units, linked)
            proposal = decide(unit, "wikidata", candidates_for(unit, index, units, keys,
                                                               rejected.get((unit.iri, "wikidata"), set())))
            if proposal.status in ("exact", "close", "tie"):
                linked[unit.iri] = {f"wd:{c.record.id}" for c in proposal.tied or proposal.candidates[:1]}
            proposals.append(proposal)
    return proposals


def _wikidata_records(facts: dict[str, list[tuple[str, str]]]) -> list[Record]:
    labels = {item: tuple(v for p, v in rows if p.endswith("#label")) for item, rows in facts.items()}
    return [wikidata_record(item, rows, labels, CLASS_TIERS) for item, rows in facts.items()]


def match_text(query: str, source: str, country: str, tier: str | None = None, parent: str | None = None,
               lat: float | None = None, lon: float | None = None) -> Proposal:
    """Match one free-text place name (a spreadsheet cell, a gold-set row) against an offline gazetteer."""
    units = {"query": Unit("query", query, (query,), tier, country, "parent" if parent else None, lat, lon)}
    if parent:
        units["parent"] = Unit("parent", parent, (parent,), None, country)
        units["query"].ancestors = ("parent",)
    return decide(units["query"], source, candidates_for(units["query"], offline_index(source, frozenset([country])),
                                                         units))


# ---------------------------------------------------------------- review file

REVIEW_COLUMNS = ["unit", "unit_label", "source", "candidate", "candidate_name", "score", "proposed",
                  "evidence", "decision", "pick", "note"]
DECISIONS = {"", "accept", "reject", "pick"}


@dataclass
class ReviewRow:
    unit: str
    unit_label: str
    source: str
    candidate: str
    candidate_name: str = ""
    score: str = ""
    proposed: str = ""
    evidence: str = ""
    decision: str = ""
    pick: str = ""
    note: str = ""

    def as_dict(self) -> dict[str, str]:
        return {c: getattr(self, c) for c in REVIEW_COLUMNS}


def read_review(path: Path) -> list[ReviewRow]:
    """Rows of a review file; a bad decision is an InputError naming the line."""
    if not path.is_file():
        return []
    rows = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"unit", "source", "candidate", "decision"} - set(reader.fieldnames or [])
        if missing:
            raise InputError(f"review file lacks the column(s) {', '.join(sorted(missing))}", path, 1)
        for line, raw in enumerate(reader, start=2):
            row = ReviewRow(**{c: (raw.get(c) or "").strip() for c in REVIEW_COLUMNS})
            row.decision = row.decision.lower()
            if row.decision not in DECISIONS:
                raise InputError(f"decision {row.decision!r} is not one of accept, reject, pick (or empty)", path, line)
            if row.decision == "pick" and not row.pick:
                raise InputError("decision 'pick' needs the id of the chosen candidate in the 'pick' column", path, line)
            if row.source not in GAZETTEERS:
                raise InputError(f"unknown source {row.source!r}; expected one of {', '.join(GAZETTEERS)}", path, line)
            rows.append(row)
    return rows


def write_review(path: Path, rows: list[ReviewRow]) -> None:
    rows = sorted(rows, key=lambda r: (r.source, r.unit, r.decision == "", r.candidate))

    def write(tmp: Path) -> None:
        with open(tmp, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=REVIEW_COLUMNS)
            writer.writeheader()
            writer.writerows(r.as_dict() for r in rows)

    write_atomically(path, write)


def rejected_ids(rows: list[ReviewRow]) -> dict[tuple[str, str], set[str]]:
    """(unit, source) -> candidate ids a curator rejected (a pick rejects the row's own candidate)."""
    out: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        if row.decision in ("reject", "pick") and row.candidate:
            out.setdefault((row.unit, row.source), set()).add(row.candidate)
    return out


# ---------------------------------------------------------------- links

@dataclass(frozen=True)
class Link:
    """An accepted link of a unit to a gazetteer entry."""

    unit: str
    source: str
    record_id: str
    relation: str  # "exactMatch" or "closeMatch"
    method: str  # "automatic" or "curator"
    score: float | None
    evidence: str
    decided: str  # ISO date
    related: tuple[tuple[str, str], ...] = ()  # other identifiers the record carries: ("osm", "1234")


def links_from(proposals: list[Proposal], reviews: list[ReviewRow], today: str,
               previous: dict[tuple[str, str, str], str]) -> list[Link]:
    """Curators' accepted and picked links, then the matcher's exact and close ones for the rest."""
    links: dict[tuple[str, str], list[Link]] = {}
    for row in reviews:
        if row.decision in ("accept", "pick"):
            record_id = row.pick if row.decision == "pick" else row.candidate
            relation = "closeMatch" if row.decision == "accept" and row.proposed == "closeMatch" else "exactMatch"
            key = (row.unit, row.source, record_id)
            links.setdefault((row.unit, row.source), []).append(Link(
                row.unit, row.source, record_id, relation, "curator", _float(row.score),
                row.evidence or f"picked by a curator instead of {row.candidate}", previous.get(key, today)))
    for proposal in proposals:
        if (proposal.unit.iri, proposal.source) in links or proposal.status not in ("exact", "close"):
            continue
        best = proposal.best
        key = (proposal.unit.iri, proposal.source, best.record.id)
        links[(proposal.unit.iri, proposal.source)] = [Link(
            proposal.unit.iri, proposal.source, best.record.id, f"{proposal.status}Match", "automatic",
            best.score, best.evidence(), previous.get(key, today),
            tuple(i for i in best.record.identifiers if i[0] in RELATED_IRIS))]
    return [link for group in links.values() for link in group]


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def review_rows(proposals: list[Proposal], reviews: list[ReviewRow]) -> list[ReviewRow]:
    """The next review file: every curator decision kept, then what the matcher proposes anew."""
    decided = {(r.unit, r.source) for r in reviews if r.decision in ("accept", "pick")}
    seen = {(r.unit, r.source, r.candidate) for r in reviews if r.decision}
    rows = [r for r in reviews if r.decision]
    for proposal in proposals:
        if (proposal.unit.iri, proposal.source) in decided or proposal.status == "none":
            continue
        if proposal.status == "weak" and (proposal.best.name.score < WEAK_NAME
                                          or proposal.best.features.get("level") == 0.0):
            continue
        shown = proposal.tied if proposal.status == "tie" else proposal.candidates[:1]
        label = {"exact": "exactMatch", "close": "closeMatch", "tie": "review (tie)", "weak": "review (weak)"}
        for candidate in shown:
            if (proposal.unit.iri, proposal.source, candidate.record.id) in seen:
                continue
            rows.append(ReviewRow(
                proposal.unit.iri, proposal.unit.label, proposal.source, candidate.record.id,
                candidate.record.name, f"{candidate.score:.3f}", label[proposal.status], candidate.evidence()))
    return rows


def links_graph(links: list[Link], gazetteer: Gazetteer) -> Graph:
    """Turtle for one gazetteer's links: the SKOS triple and a link record with its provenance."""
    graph = bind_all(Graph())
    graph.bind("adms", ADMS)
    if gazetteer.url:
        graph.add((gazetteer.source, RDF.type, XBKG.Source))
        graph.add((gazetteer.source, DCTERMS.title, Literal(gazetteer.title, lang="en")))
        graph.add((gazetteer.source, SCHEMA.url, URIRef(gazetteer.url)))
    for link in sorted(links, key=lambda l: (l.unit, l.record_id)):
        unit = URIRef(link.unit)
        record = BNode()
        target = gazetteer.iri(link.record_id)
        if target is not None:
            graph.add((unit, SKOS[link.relation], target))
            graph.add((record, RDFS.seeAlso, target))
        graph.add((unit, ADMS.identifier if link.relation == "exactMatch" else RDFS.seeAlso, record))
        if link.relation == "exactMatch":
            graph.add((record, RDF.type, ADMS.Identifier))
        graph.add((record, RDF.type, PROV.Entity))
        graph.add((record, SKOS.notation, Literal(link.record_id)))
        graph.add((record, ADMS.schemaAgency, Literal(gazetteer.scheme)))
        graph.add((record, DCTERMS.relation, SKOS[link.relation]))
        graph.add((record, DCTERMS.source, gazetteer.source))
        graph.add((record, PROV.wasDerivedFrom, gazetteer.source))
        graph.add((record, DCTERMS.type, Literal(link.method)))
        graph.add((record, DCTERMS.date, Literal(link.decided, datatype=XSD.date)))
        if link.score is not None:
            graph.add((record, RDF.value, Literal(round(link.score, 3), datatype=XSD.decimal)))
        graph.add((record, RDFS.comment, Literal(link.evidence)))
        for scheme, value in link.related:
            graph.add((record, RDFS.seeAlso, URIRef(RELATED_IRIS[scheme].format(id=value))))
    return graph


# Identifiers a Wikidata item carries that name entities elsewhere (P1566, P402).
RELATED_IRIS = {"geonames": "https://sws.geonames.org/{id}/", "osm": "https://www.openstreetmap.org/relation/{id}"}


def links_path(folder: Path, source: str) -> Path:
    return folder / f"{source}.ttl"


def previous_dates(path: Path) -> dict[tuple[str, str, str], str]:
    """(unit, source, id) -> the date a link was first written, so a rerun keeps it."""
    if not path.is_file():
        return {}
    graph = Graph().parse(path, format="turtle")
    source = path.stem
    out = {}
    query = """SELECT ?unit ?code ?date WHERE {
        { ?unit <http://www.w3.org/ns/adms#identifier> ?r } UNION { ?unit rdfs:seeAlso ?r }
        ?r skos:notation ?code ; dct:date ?date }"""
    for unit, code, day in graph.query(query, initNs={"rdfs": RDFS, "skos": SKOS, "dct": DCTERMS}):
        out[(str(unit), source, str(code))] = str(day)
    return out


def write_links(folder: Path, source: str, links: list[Link]) -> Path:
    gazetteer = GAZETTEERS[source]
    text = f"# Links from graph units to {gazetteer.title}: written by `graphkit link`; curators edit review.csv.\n"
    text += links_graph(links, gazetteer).serialize(format="turtle")
    path = links_path(folder, source)
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return path


# ---------------------------------------------------------------- a run

SOURCE_CHOICES = ("iso", "geonames", "national", "wikidata", "offline", "all")


def sources_for(choice: str) -> list[str]:
    """The gazetteers a --source choice stands for."""
    if choice == "offline":
        return list(OFFLINE)
    if choice == "all":
        return [*OFFLINE, "wikidata"]
    if choice not in GAZETTEERS:
        raise InputError(f"unknown source {choice!r}; choose one of {', '.join(SOURCE_CHOICES)}")
    return [choice]


@dataclass
class LinkReport:
    """What a run did, per source: counts by status, links written, review rows."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    links: dict[str, int] = field(default_factory=dict)
    review_rows: int = 0
    written: list[Path] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    batches_fetched: int = 0
    batches_cached: int = 0


def run_link(store, sources: list[str], links_folder: Path | None = None, review_path: Path | None = None,
             client: WikidataClient | None = None, today: str | None = None,
             only: Iterable[str] | None = None) -> LinkReport:
    """Link the store's units to the sources; write data/links/<source>.ttl and the review file."""
    links_folder = links_folder or paths.data_dir() / "links"
    review_path = review_path or links_folder / "review.csv"
    today = today or date.today().isoformat()
    units = load_units(store)
    only = list(only) if only is not None else None
    if only is not None and (unknown := [i for i in only if i not in units]):
        raise InputError(f"no administrative unit {unknown[0]!r} in the graph")
    reviews = read_review(review_path)
    rejected = rejected_ids(reviews)
    report = LinkReport()
    next_rows = [r for r in reviews if r.source not in sources]
    for source in sources:
        if source == "wikidata":
            proposals = propose_wikidata(units, client or WikidataClient(), rejected, only)
        else:
            proposals = propose_offline(units, source, rejected, only)
        mine = [r for r in reviews if r.source == source]
        previous = previous_dates(links_path(links_folder, source))
        links = links_from(proposals, mine, today, previous)
        if only is not None:
            links = _keep_others(links_folder, source, set(only), today, previous) + links
        report.written.append(write_links(links_folder, source, links))
        rows = review_rows(proposals, mine)
        if only is not None:
            rows += [r for r in mine if not r.decision and r.unit not in set(only)]
        next_rows += rows
        report.counts[source] = _count(proposals)
        report.links[source] = len(links)
        report.proposals += proposals
    write_review(review_path, next_rows)
    report.review_rows = len(next_rows)
    report.written.append(review_path)
    if client is not None:
        report.batches_fetched, report.batches_cached = client.fetched, client.from_cache
    return report


def _keep_others(folder: Path, source: str, only: set[str], today: str,
                 previous: dict[tuple[str, str, str], str]) -> list[Link]:
    """Links of units outside a partial run, read back from the source's file unchanged."""
    path = links_path(folder, source)
    if not path.is_file():
        return []
    graph = Graph().parse(path, format="turtle")
    kept = []
    query = """SELECT ?unit ?code ?relation ?method ?score ?comment WHERE {
        { ?unit <http://www.w3.org/ns/adms#identifier> ?r } UNION { ?unit rdfs:seeAlso ?r }
        ?r skos:notation ?code ; dct:relation ?relation ; dct:type ?method ; rdfs:comment ?comment .
        OPTIONAL { ?r rdf:value ?score } }"""
    for unit, code, relation, method, score, comment in graph.query(
            query, initNs={"rdfs": RDFS, "skos": SKOS, "dct": DCTERMS, "rdf": RDF}):
        if str(unit) in only:
            continue
        kept.append(Link(str(unit), source, str(code), str(relation).rsplit("#", 1)[-1], str(method),
                         float(score) if score is not None else None, str(comment),
                         previous.get((str(unit), source, str(code)), today)))
    return kept


def _count(proposals: list[Proposal]) -> dict[str, int]:
    counts = {s: 0 for s in ("exact", "close", "tie", "weak", "none")}
    for proposal in proposals:
        counts[proposal.status] += 1
    return counts


# ---------------------------------------------------------------- checks

ISO_IDENTIFIERS = sparql_prologue() + """
PREFIX adms: <http://www.w3.org/ns/adms#>
SELECT ?unit ?iso ?notation WHERE {
  { ?unit xbkg:isoCode ?iso .
    OPTIONAL { ?unit adms:identifier ?id . ?id adms:schemaAgency "ISO 3166" ; skos:notation ?notation } }
  UNION
  { ?unit adms:identifier ?id . ?id adms:schemaAgency "ISO 3166" ; skos:notation ?notation .
    OPTIONAL { ?unit xbkg:isoCode ?iso } }
}"""


def iso_code_problems(store) -> list[str]:
    """Units whose xbkg:isoCode is not also a linked ISO identifier, or whose identifier disagrees."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    for row in store.query(ISO_IDENTIFIERS).rows:
        codes, notations = found.setdefault(str(row["unit"]), (set(), set()))
        if row["iso"] is not None:
            codes.add(str(row["iso"]))
        if row["notation"] is not None:
            notations.add(str(row["notation"]))
    problems = []
    for unit, (codes, notations) in sorted(found.items()):
        if codes - notations:
            problems.append(f"{shorten(unit)} has xbkg:isoCode {', '.join(sorted(codes - notations))} "
                            "but no ISO 3166 identifier link for it")
        if codes and notations - codes:
            problems.append(f"{shorten(unit)} is linked to ISO {', '.join(sorted(notations - codes))}, "
                            f"which is not its xbkg:isoCode {', '.join(sorted(codes))}")
    return problems
