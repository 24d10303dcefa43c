"""Synthetic graphs in graphkit's own model, at a chosen size, with a known number of planted faults.

The graph is written as N-Triples, ontology included, so one file is the whole data graph. It grows in
rounds: each round adds one province subtree per country (Vietnam, China, Laos, with every level of
ontology/levels.ttl below it) and then the relations between the round's units: twinnings at each tier,
station pairs between border posts, agreements with numbered content items, signings, reviews, aid,
aggregate claims and the news sources they cite. Faults are planted on the first eligible nodes, one
fault per node, so the manifest can list exactly which nodes are wrong and how.
"""
from __future__ import annotations

import json
import math
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

import rdflib

from graphkit import paths

from .names import unit_names

BASE = "https://w3id.org/xbkg/"
XBKG = BASE + "ontology#"
UNIT, POST, TW, AGR, ITEM, EV, CLAIM, SRC, ORGN = (BASE + f"id/{k}/" for k in (
    "unit", "post", "twinning", "agreement", "item", "event", "claim", "source", "org"))
LVL, KIND, AREA, ROLE, PASS = (BASE + f"{k}/" for k in ("level", "kind", "area", "role", "passage"))
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
GEO = "http://www.opengis.net/ont/geosparql#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"

A = f"<{RDF}type>"
LABEL, COMMENT = f"<{RDFS}label>", f"<{RDFS}comment>"
PREF, ALT = f"<{SKOS}prefLabel>", f"<{SKOS}altLabel>"
DERIVED, QUOTED, VALUE = f"<{PROV}wasDerivedFrom>", f"<{PROV}wasQuotedFrom>", f"<{PROV}value>"


def x(local: str) -> str:
    """An xbkg: term in N-Triples form."""
    return f"<{XBKG}{local}>"


# Each country's levels from the top down, with the range of children a unit of the level above has.
HIERARCHY = {
    "vn": (("vn-province", None), ("vn-district", (6, 10)), ("vn-commune", (8, 14)), ("vn-village", (5, 9))),
    "cn": (("cn-province", None), ("cn-prefecture", (3, 5)), ("cn-county", (3, 6)), ("cn-township", (3, 6)),
           ("cn-village", (3, 6)), ("cn-group", (2, 4))),
    "la": (("la-province", None), ("la-district", (5, 8)), ("la-village-cluster", (3, 6)), ("la-village", (4, 8))),
}
# Tier rank of each level (ontology/levels.ttl: xbkg:tier -> lvl:tier-* with xbkg:rank).
TIER = {"vn-province": 1, "vn-district": 3, "vn-commune": 4, "vn-village": 5,
        "cn-province": 1, "cn-prefecture": 2, "cn-county": 3, "cn-township": 4, "cn-village": 5, "cn-group": 6,
        "la-province": 1, "la-district": 3, "la-village-cluster": 4, "la-village": 5}
# Rough centre of each country's border belt (lon, lat) and how far provinces spread from it.
CENTRES = {"vn": (105.0, 19.5, 2.5), "cn": (103.5, 23.0, 1.5), "la": (104.0, 18.0, 2.0)}
# A full-size round (one province per country and its relations), measured: about this many triples.
FULL_ROUND_TRIPLES = 60_000

# Planted faults: kind -> (the shape of ontology/shapes.ttl that catches it, what is wrong).
FAULT_KINDS = {
    "twinning-with-one-partner": ("TwinningHasTwoPartners", "a twinning with one xbkg:partner instead of two"),
    "cross-border-twinning-within-one-country": ("PartnersInDifferentCountries",
                                                 "a cross-border twinning whose partners are in one country"),
    "twinning-without-source": ("HasSource", "a twinning with no prov:wasDerivedFrom"),
    "twinning-without-establishment": ("TwinningEstablishment",
                                       "a twinning with no establishment date, bound or explicit unknown"),
    "establishment-date-as-plain-string": ("DateDatatype", "a twinning whose xbkg:established is a plain string"),
    "evidence-without-quote": ("EvidenceQuoted", "evidence that names its source but quotes nothing"),
    "unit-without-level": ("UnitHasLevel", "an administrative unit with no xbkg:level"),
    "unit-without-name": ("UnitHasName", "an administrative unit with no skos:prefLabel"),
    "unit-in-other-country-than-parent": ("ParentInSameCountry", "a unit whose xbkg:country differs from its parent's"),
    "unit-ends-before-it-begins": ("ValidityInOrder", "a unit whose validFrom is after its validUntil"),
    "citation-of-unknown-source": ("SourceIsKnown", "an agreement derived from a source the graph does not know"),
    "term-ends-before-it-starts": ("TermInOrder", "an agreement whose termStart is after its termEnd"),
    "content-item-without-area": ("ContentItemHasArea", "a content item with no xbkg:cooperationArea"),
    "review-years-disagree": ("ReviewYearsAgree", "a review whose N years disagree with the dates by three years"),
    "event-without-date": ("EventDated", "an aid event with no date and no bound on it"),
}
TWINNING_FAULTS = ("twinning-with-one-partner", "cross-border-twinning-within-one-country", "twinning-without-source",
                   "twinning-without-establishment", "establishment-date-as-plain-string", "evidence-without-quote")
UNIT_FAULTS = ("unit-without-level", "unit-without-name", "unit-in-other-country-than-parent",
               "unit-ends-before-it-begins")

TWINNING_KINDS = ("friendship-twinning", "residential-cluster-twinning", "village-twinning")
AGREEMENT_KINDS = ("twinning-record", "memorandum", "coordination-record")
AREAS = ("border-legal-propaganda", "economy", "culture-sports", "border-security", "disaster-epidemic",
         "liaison-review", "labour", "health", "tourism")
PUBLISHERS = ("Báo Lào Cai", "Báo Hà Giang", "Báo Biên phòng", "Thời Đại", "Báo Hà Tĩnh", "Báo Điện Biên Phủ")


def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    """An N-Triples literal."""
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if lang:
        return f'"{body}"@{lang}'
    if datatype:
        return f'"{body}"^^<{datatype}>'
    return f'"{body}"'


def date(value: str) -> str:
    """An xsd:date, xsd:gYearMonth or xsd:gYear literal, by the precision of the value."""
    kind = {10: "date", 7: "gYearMonth", 4: "gYear"}[len(value)]
    return lit(value, datatype=XSD + kind)


def integer(value: int) -> str:
    return lit(str(value), datatype=XSD + "integer")


@dataclass
class Manifest:
    """What a generated graph holds: its size, counts by kind of node, planted faults, sample nodes."""

    path: str
    triples: int
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    faults: dict[str, list[str]] = field(default_factory=dict)
    samples: dict[str, str] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(asdict(self), indent=1, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "Manifest":
        return cls(**json.loads(Path(path).read_text(encoding="utf-8")))


@dataclass
class _Unit:
    iri: str
    key: str
    country: str
    level: str
    point: tuple[float, float]
    names: dict[str, str]


class _Generator:
    """Writes one graph; holds only the current round's units in memory."""

    def __init__(self, out: TextIO, seed: int, faults_per_kind: int, scale: float) -> None:
        self.out = out
        self.rng = random.Random(seed)
        self.triples = 0
        self.bnodes = 0
        self.scale = scale
        self.counts: dict[str, int] = {}
        self.pending = {kind: faults_per_kind for kind in FAULT_KINDS}
        self.faults: dict[str, list[str]] = {kind: [] for kind in FAULT_KINDS}
        self.samples: dict[str, str] = {}
        self.provinces = {"vn": 0, "cn": 0, "la": 0}
        self.codes = {level: 0 for level in TIER}
        self.sources: list[str] = []
        self.serial = 0

    def add(self, s: str, p: str, o: str) -> None:
        self.out.write(f"{s} {p} {o} .\n")
        self.triples += 1

    def bnode(self) -> str:
        self.bnodes += 1
        return f"_:g{self.bnodes}"

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def fault(self, node: str, *kinds: str) -> str | None:
        """Take the first of the kinds still to plant for this node, if any, and record it."""
        for kind in kinds:
            if self.pending[kind] > 0:
                self.pending[kind] -= 1
                self.faults[kind].append(node.strip("<>"))
                return kind
        return None

    # --- sources and provenance

    def fixed_sources(self) -> None:
        for key, title in (("gen-gazetteer", "Synthetic gazetteer of the border provinces"),
                           ("pycountry", "pycountry: ISO 3166 countries")):
            s = f"<{SRC}{key}>"
            self.add(s, A, x("Source"))
            self.add(s, f"<{DCT}title>", lit(title, "en"))
            self.add(s, f"<{DCT}publisher>", lit("graphkit bench"))

    def news_source(self, year: int) -> str:
        """A new synthetic news article, cited by the relations that follow it."""
        self.serial += 1
        s = f"<{SRC}gen-{self.serial:07d}>"
        self.add(s, A, x("Source"))
        self.add(s, A, f"<{SCHEMA}NewsArticle>")
        self.add(s, f"<{DCT}title>", lit(f"Kết nghĩa hữu nghị hai bên biên giới, bài {self.serial}", "vi"))
        self.add(s, f"<{DCT}publisher>", lit(self.rng.choice(PUBLISHERS)))
        self.add(s, f"<{DCT}issued>", date(f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"))
        self.add(s, f"<{SCHEMA}url>", f"<https://bao.example.vn/ket-nghia-post{self.serial}.html>")
        self.count("sources")
        self.sources.append(s)
        return s

    def evidence(self, node: str, source: str, quote: str | None, passage: str = "body") -> None:
        b = self.bnode()
        self.add(node, x("evidence"), b)
        self.add(b, A, x("Evidence"))
        self.add(b, QUOTED, source)
        self.add(b, x("passage"), f"<{PASS}{passage}>")
        if quote is not None:
            self.add(b, VALUE, lit(quote, "vi"))

    # --- units

    def country(self, code: str, names: dict[str, str], iso: str) -> None:
        s = f"<{UNIT}{code}>"
        self.add(s, A, x("AdministrativeUnit"))
        self.add(s, A, x("Country"))
        self.add(s, LABEL, lit(names["vi"]))
        for lang, name in names.items():
            self.add(s, PREF, lit(name, lang))
        self.add(s, x("level"), f"<{LVL}{code}-country>")
        self.add(s, x("country"), s)
        self.add(s, x("isoCode"), lit(iso))
        self.add(s, DERIVED, f"<{SRC}pycountry>")

    def unit(self, country: str, level: str, key: str, parent: _Unit | None, point: tuple[float, float]) -> _Unit:
        s = f"<{UNIT}{key}>"
        names = unit_names(country, level, (self.rng.randrange(1000), self.rng.randrange(1000)))
        fault = None
        if level == HIERARCHY[country][-1][0]:  # leaves only, so no child inherits the fault
            fault = self.fault(s, *UNIT_FAULTS)
        self.add(s, A, x("AdministrativeUnit"))
        self.add(s, LABEL, lit(names["vi"]))
        local = {"vn": "vi", "cn": "zh", "la": "lo"}[country]
        if fault != "unit-without-name":
            self.add(s, PREF, lit(names[local], local))
            if local != "vi":
                self.add(s, PREF, lit(names["vi"], "vi"))
            self.add(s, PREF, lit(names["en"], "en"))
        self.add(s, ALT, lit(names["alt-vi"], "vi"))
        if "zh-Latn-pinyin" in names:
            self.add(s, ALT, lit(names["zh-Latn-pinyin"], "zh-Latn-pinyin"))
        if fault != "unit-without-level":
            self.add(s, x("level"), f"<{LVL}{level}>")
        other = {"vn": "cn", "cn": "la", "la": "vn"}[country]
        self.add(s, x("country"), f"<{UNIT}{other if fault == 'unit-in-other-country-than-parent' else country}>")
        self.add(s, x("parent"), parent.iri if parent else f"<{UNIT}{country}>")
        self.codes[level] += 1
        if level.endswith("province"):
            self.add(s, x("isoCode"), lit(f"{country.upper()}-{_base36(self.provinces[country], 3)}"))
        self.add(s, x("nationalCode"), lit(f"{TIER[level]}{self.codes[level]:07d}"))
        if fault == "unit-ends-before-it-begins":
            self.add(s, x("validFrom"), date("2020-01-01"))
            self.add(s, x("validUntil"), date("2012"))
        else:
            self.lifespan(s, country, level, parent)
        geometry = self.bnode()
        self.add(s, f"<{GEO}hasGeometry>", geometry)
        self.add(geometry, A, f"<{GEO}Geometry>")
        self.add(geometry, f"<{GEO}asWKT>", lit(f"POINT({point[0]:.4f} {point[1]:.4f})", datatype=GEO + "wktLiteral"))
        self.add(s, DERIVED, f"<{SRC}gen-gazetteer>")
        if self.sources and self.rng.random() < 0.15:
            source = self.rng.choice(self.sources[-50:])
            self.add(s, DERIVED, source)
            self.evidence(s, source, f"{names['vi']}, {parent.names['vi'] if parent else ''}".strip(", "))
        self.count("units")
        return _Unit(s, key, country, level, point, names)

    def lifespan(self, s: str, country: str, level: str, parent: _Unit | None) -> None:
        """Dates and successors: Vietnam's districts ended on 30 June 2025; some units began later."""
        if level == "vn-district":
            self.add(s, x("validUntil"), date("2025-06-30"))
            self.add(s, x("successor"), parent.iri)
        elif self.rng.random() < 0.08:
            self.add(s, x("validFrom"), date(f"{self.rng.randint(1976, 2020)}-{self.rng.randint(1, 12):02d}-01"))

    def subtree(self, country: str, depth: int, parent: _Unit | None, key: str,
                point: tuple[float, float], round_units: dict[str, list[_Unit]]) -> None:
        level = HIERARCHY[country][depth][0]
        unit = self.unit(country, level, key, parent, point)
        round_units.setdefault(level, []).append(unit)
        if depth + 1 >= len(HIERARCHY[country]):
            return
        low, high = HIERARCHY[country][depth + 1][1]
        children = max(1, round(self.rng.randint(low, high) * self.scale))
        spread = 0.6 / (depth + 1)
        for i in range(children):
            child_point = (point[0] + self.rng.uniform(-spread, spread), point[1] + self.rng.uniform(-spread, spread))
            self.subtree(country, depth + 1, unit, f"{key}-{i + 1:02d}", child_point, round_units)
        if level == "vn-commune" and len(round_units["vn-commune"]) % 5 == 0:
            self.merged_commune(unit, parent)

    def merged_commune(self, unit: _Unit, district: _Unit) -> None:
        """The 2025 reform: an old commune ends and a new commune of the new era succeeds it."""
        s = unit.iri
        self.add(s, x("validUntil"), date("2025-06-30"))
        new = f"<{UNIT}{unit.key}-2025>"
        self.add(s, x("successor"), new)
        self.add(new, A, x("AdministrativeUnit"))
        self.add(new, LABEL, lit(unit.names["vi"]))
        self.add(new, PREF, lit(unit.names["vi"], "vi"))
        self.add(new, PREF, lit(unit.names["en"], "en"))
        self.add(new, x("level"), f"<{LVL}vn-commune>")
        self.add(new, x("country"), f"<{UNIT}vn>")
        self.add(new, x("parent"), f"<{UNIT}{district.key.rsplit('-', 1)[0]}>")  # districts were abolished
        self.add(new, x("validFrom"), date("2025-07-01"))
        self.add(new, DERIVED, f"<{SRC}gen-gazetteer>")
        self.count("units")

    def province(self, country: str, round_units: dict[str, list[_Unit]]) -> None:
        self.provinces[country] += 1
        lon, lat, spread = CENTRES[country]
        point = (lon + self.rng.uniform(-spread, spread), lat + self.rng.uniform(-spread, spread))
        self.subtree(country, 0, None, f"{country}-g{self.provinces[country]:04d}", point, round_units)

    # --- relations

    def organisation(self, unit: _Unit) -> str:
        s = f"<{ORGN}{unit.key}-leadership>"
        if s in self._orgs:
            return s
        self._orgs.add(s)
        self.add(s, A, f"<{ORG}Organization>")
        self.add(s, LABEL, lit(f"Lãnh đạo {unit.names['vi']}"))
        self.add(s, PREF, lit(f"Lãnh đạo {unit.names['vi']}", "vi"))
        self.add(s, PREF, lit(f"{unit.names['en']} leadership", "en"))
        self.add(s, x("country"), f"<{UNIT}{unit.country}>")
        self.add(s, x("locatedIn"), unit.iri)
        self.add(s, DERIVED, f"<{SRC}gen-gazetteer>")
        self.count("organisations")
        return s

    def association(self, event: str, agent: str, role: str) -> None:
        b = self.bnode()
        self.add(event, f"<{PROV}qualifiedAssociation>", b)
        self.add(b, A, f"<{PROV}Association>")
        self.add(b, f"<{PROV}agent>", agent)
        self.add(b, f"<{PROV}hadRole>", f"<{ROLE}{role}>")

    def twinning(self, near: _Unit, far: _Unit, kind: str, scope: str = "cross-border") -> None:
        key = f"{near.key}--{far.key}"
        s = f"<{TW}{key}>"
        fault = self.fault(s, *TWINNING_FAULTS) if scope == "cross-border" else None
        year = self.rng.randint(1995, 2022)
        source = self.news_source(min(2025, year + self.rng.randint(0, 3))) if self.rng.random() < 0.3 or not self.sources \
            else self.rng.choice(self.sources[-20:])
        self.add(s, A, x("Twinning"))
        self.add(s, LABEL, lit(f"{near.names['vi']} – {far.names['vi']}"))
        self.add(s, x("partner"), near.iri)
        if fault == "cross-border-twinning-within-one-country":
            self.add(s, x("partner"), self._same_country_partner(near))
        elif fault != "twinning-with-one-partner":
            self.add(s, x("partner"), far.iri)
        self.add(s, x("kind"), f"<{KIND}{kind}>")
        self.add(s, x("scope"), f"<{KIND}{scope}>")
        established = f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"
        roll = self.rng.random()
        known = None
        if fault == "establishment-date-as-plain-string":
            self.add(s, x("established"), lit(established))
        elif fault == "twinning-without-establishment":
            pass
        elif roll < 0.6:
            self.add(s, x("established"), date(established))
            known = year
        elif roll < 0.85:
            self.add(s, x("establishedNotAfter"), date(f"{year}"))
        else:
            self.add(s, x("establishmentUnknown"), lit("true", datatype=XSD + "boolean"))
        if fault != "twinning-without-source":
            self.add(s, DERIVED, source)
        self.evidence(s, source, None if fault == "evidence-without-quote"
                      else f"{near.names['vi']} và {far.names['vi']} ký kết kết nghĩa năm {year}")
        self.count("twinnings")
        agreed = self.rng.random() < 0.7
        if agreed:
            self.agreement(s, key, near, far, year, source)
        reviewed = self.rng.random() < 0.35
        if reviewed:
            self.review(s, key, near, far, year, source, known)
        if fault is None and scope == "cross-border" and agreed and reviewed and "twinning" not in self.samples:
            self.samples.update(twinning=s.strip("<>"), name=near.names["alt-vi"])
        if self.rng.random() < 0.1:
            self.aid(s, key, near, far, year, source)

    def _same_country_partner(self, near: _Unit) -> str:
        pool = [u for units in self._round.values() for u in units if u.country == near.country and u.iri != near.iri]
        return pool[0].iri

    def agreement(self, twinning: str, key: str, near: _Unit, far: _Unit, year: int, source: str) -> str:
        s = f"<{AGR}{key}-{year}>"
        signing = f"<{EV}{key}-signing-{year}>"
        self.add(s, A, x("Agreement"))
        self.add(s, LABEL, lit(f"Biên bản kết nghĩa {near.names['vi']} – {far.names['vi']} ({year})"))
        self.add(s, x("kind"), f"<{KIND}{self.rng.choice(AGREEMENT_KINDS)}>")
        self.add(s, x("concerns"), twinning)
        self.add(s, x("party"), near.iri)
        self.add(s, x("party"), far.iri)
        self.add(s, f"<{PROV}wasGeneratedBy>", signing)
        fault = self.fault(s, "citation-of-unknown-source", "term-ends-before-it-starts")
        if fault == "term-ends-before-it-starts":
            self.add(s, x("termStart"), date(str(year)))
            self.add(s, x("termEnd"), date(str(year - 2)))
        elif self.rng.random() < 0.4:
            self.add(s, x("termStart"), date(str(year)))
            self.add(s, x("termEnd"), date(str(year + self.rng.choice((3, 4, 5)))))
        for number in range(1, self.rng.randint(3, 6) + 1):
            item = f"<{ITEM}{key}-{year}-{number}>"
            self.add(s, x("contentItem"), item)
            self.add(item, A, x("ContentItem"))
            self.add(item, x("itemNumber"), integer(number))
            if self.fault(item, "content-item-without-area") is None:
                for area in self.rng.sample(AREAS, self.rng.choice((1, 1, 2))):
                    self.add(item, x("cooperationArea"), f"<{AREA}{area}>")
            self.add(item, LABEL, lit(f"Nội dung hợp tác số {number}", "vi"))
            self.add(item, DERIVED, source)
            self.count("content items")
        self.add(s, DERIVED, f"<{SRC}gen-unknown-{self.serial}>" if fault == "citation-of-unknown-source" else source)
        self.count("agreements")
        if fault is None:
            self.samples.setdefault("agreement", s.strip("<>"))
        self.add(signing, A, x("SigningEvent"))
        self.add(signing, LABEL, lit(f"Lễ ký kết biên bản kết nghĩa {near.names['vi']} – {far.names['vi']}"))
        self.add(signing, x("concerns"), twinning)
        self.add(signing, x("date"), date(f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"))
        self.add(signing, x("place"), self.rng.choice((near, far)).iri)
        self.association(signing, self.organisation(near), "signatory")
        self.association(signing, self.organisation(far), "signatory")
        if self.rng.random() < 0.5:
            self.association(signing, self.organisation(self._parent_of(near)), "witness")
        self.add(signing, DERIVED, source)
        self.evidence(signing, source, f"hai bên đã cùng ký kết biên bản kết nghĩa {near.names['vi']} – {far.names['vi']}")
        self.count("signings")
        return s

    def _parent_of(self, unit: _Unit) -> _Unit:
        key = unit.key.rsplit("-", 1)[0]
        for units in self._round.values():
            for candidate in units:
                if candidate.key == key:
                    return candidate
        return unit

    def review(self, twinning: str, key: str, near: _Unit, far: _Unit, year: int, source: str,
               established: int | None) -> None:
        years = self.rng.choice((3, 5, 8, 10))
        s = f"<{EV}{key}-review-{years}>"
        self.add(s, A, x("ReviewEvent"))
        self.add(s, LABEL, lit(f"Sơ kết {years} năm kết nghĩa {near.names['vi']} – {far.names['vi']}"))
        wrong = established is not None and self.fault(s, "review-years-disagree")
        self.add(s, x("reviews"), twinning)
        self.add(s, x("yearsReviewed"), integer(years + 3 if wrong else years))
        self.add(s, x("date"), date(f"{year + years}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"))
        self.add(s, x("place"), near.iri)
        self.association(s, self.organisation(near), "organiser")
        self.association(s, self.organisation(far), "organiser")
        self.add(s, DERIVED, source)
        self.evidence(s, source, f"tổ chức sơ kết {years} năm thực hiện kết nghĩa")
        self.count("reviews")

    def aid(self, twinning: str, key: str, near: _Unit, far: _Unit, year: int, source: str) -> None:
        s = f"<{EV}{key}-aid-{year}>"
        self.add(s, A, x("AidEvent"))
        self.add(s, LABEL, lit(f"{near.names['vi']} hỗ trợ {far.names['vi']}"))
        self.add(s, x("concerns"), twinning)
        if self.fault(s, "event-without-date") is None:
            self.add(s, x("date"), date(f"{year + 1}"))
        self.add(s, x("aidItem"), lit(f"{self.rng.randint(5, 80)} tấn xi măng", "vi"))
        self.association(s, self.organisation(near), "donor")
        self.association(s, self.organisation(far), "recipient")
        self.add(s, DERIVED, source)
        self.count("aid events")

    def border_post(self, unit: _Unit) -> _Unit:
        key = f"{unit.key}-post"
        s = f"<{POST}{key}>"
        word = {"vn": "Đồn Biên phòng", "cn": "Trạm biên phòng", "la": "Đồn biên phòng"}[unit.country]
        names = {"vi": f"{word} {unit.names['alt-vi']}", "en": f"{unit.names['en']} border post"}
        self.add(s, A, x("BorderPost"))
        self.add(s, LABEL, lit(names["vi"]))
        self.add(s, PREF, lit(names["vi"], "vi"))
        self.add(s, PREF, lit(names["en"], "en"))
        self.add(s, x("country"), f"<{UNIT}{unit.country}>")
        self.add(s, x("locatedIn"), unit.iri)
        self.add(s, DERIVED, f"<{SRC}gen-gazetteer>")
        self.count("border posts")
        return _Unit(s, key, unit.country, unit.level, unit.point, {**names, "alt-vi": names["vi"]})

    def relations(self, round_units: dict[str, list[_Unit]], minimum: int) -> None:
        """Twinnings between this round's Vietnamese units and their Chinese and Lao counterparts."""
        self._round = round_units
        self._orgs: set[str] = set()
        plan = (  # (near level, far levels, share of near units twinned, kind)
            ("vn-province", ("cn-province", "la-province"), 0.8, "friendship-twinning"),
            ("vn-district", ("cn-county", "la-district"), 0.3, "friendship-twinning"),
            ("vn-commune", ("cn-township", "la-village-cluster", "la-village"), 0.08, "friendship-twinning"),
            ("vn-village", ("cn-village", "cn-group", "la-village"), 0.04, "residential-cluster-twinning"),
        )
        made = 0
        for near_level, far_levels, share, kind in plan:
            nears = round_units.get(near_level, [])
            wanted = max(1 if nears else 0, math.ceil(len(nears) * share))
            if near_level == "vn-village":
                wanted = max(wanted, minimum - made)
            for near in self.rng.sample(nears, min(wanted, len(nears))):
                fars = [u for level in far_levels for u in round_units.get(level, [])]
                if fars:
                    far = self.rng.choice(fars)
                    self.twinning(near, far, kind if far.country == "cn" or kind != "residential-cluster-twinning"
                                  else "village-twinning")
                    made += 1
        districts, counties = round_units.get("vn-district", []), round_units.get("cn-county", [])
        for near, far in list(zip(districts, counties))[:3]:
            self.twinning(self.border_post(near), self.border_post(far), "station-pair")
        provinces, prefectures = round_units.get("vn-province", []), round_units.get("cn-prefecture", [])
        if provinces and prefectures:
            self.twinning(provinces[0], prefectures[-1], "cooperation", scope="international")
        self.claims(round_units)

    def claims(self, round_units: dict[str, list[_Unit]]) -> None:
        """Aggregate claims ("N village pairs between province A and B") with stated counts."""
        vn, cn = round_units.get("vn-province", []), round_units.get("cn-province", [])
        if not (vn and cn) or not self.sources:
            return
        for pair_type, claimed in (("village-pair", self.rng.randint(1, 8)), ("district-pair", self.rng.randint(1, 5)),
                                   ("station-pairs", self.rng.randint(2, 4))):
            s = f"<{CLAIM}{vn[0].key}--{cn[0].key}-{pair_type}>"
            source = self.sources[-1]
            self.add(s, A, x("AggregateClaim"))
            self.add(s, LABEL, lit(f"{vn[0].names['vi']} – {cn[0].names['vi']}: {claimed} cặp ({pair_type})"))
            self.add(s, x("claimAbout"), vn[0].iri)
            self.add(s, x("counterpart"), cn[0].iri)
            self.add(s, x("pairType"), f"<{KIND}{pair_type}>")
            self.add(s, x("claimedCount"), integer(claimed))
            self.add(s, x("asOf"), date("2025-04"))
            self.add(s, DERIVED, source)
            self.evidence(s, source, f"có {claimed} cặp kết nghĩa")
            self.count("aggregate claims")


def _base36(number: int, width: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    while number:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
    return text.rjust(width, "0")


def ontology_ntriples() -> str:
    """The ontology files (without the shapes) as N-Triples, so a generated file is a whole data graph."""
    graph = rdflib.Graph()
    for path in sorted(paths.ontology_dir().glob("*.ttl")):
        if path.name != "shapes.ttl":
            graph.parse(path, format="turtle")
    return graph.serialize(format="nt")


def round_scale(triples: int) -> float:
    """How much to shrink a round's fan-out so that a graph of this size has at least eight rounds."""
    return min(1.0, (triples / (8 * FULL_ROUND_TRIPLES)) ** (1 / 3))


def generate(path: Path, triples: int, seed: int = 7, faults_per_kind: int = 3) -> Manifest:
    """Write a graph of about `triples` triples to `path` (N-Triples) and return its manifest."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        ontology = ontology_ntriples()
        out.write(ontology)
        generator = _Generator(out, seed, faults_per_kind, round_scale(triples))
        generator.triples = ontology.count("\n")
        generator.fixed_sources()
        generator.country("vn", {"vi": "Việt Nam", "en": "Vietnam"}, "VN")
        generator.country("cn", {"vi": "Trung Quốc", "zh": "中国", "en": "China"}, "CN")
        generator.country("la", {"vi": "Lào", "lo": "ລາວ", "en": "Laos"}, "LA")
        generator.news_source(2020)
        needed = faults_per_kind * len(TWINNING_FAULTS)
        while generator.triples < triples or any(generator.pending.values()):
            round_units: dict[str, list[_Unit]] = {}
            for country in ("vn", "cn", "la"):
                generator.province(country, round_units)
            generator.relations(round_units, minimum=needed + 2 if any(generator.pending.values()) else 0)
            generator.samples.setdefault("province", round_units["vn-province"][0].iri.strip("<>"))
            generator.samples.setdefault("counterpart", round_units["cn-province"][0].iri.strip("<>"))
    return Manifest(str(path), generator.triples, seed, dict(sorted(generator.counts.items())),
                    {k: v for k, v in generator.faults.items()}, generator.samples)
