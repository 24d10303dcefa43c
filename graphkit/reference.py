"""Reference data compiled from cited packages: countries and province-level units.

Vietnam's 63 provinces before 1 July 2025 come from pycountry (ISO 3166-2); the 34 from that
day from vietnam-provinces (GSO codes), linked old -> new by Resolution 202/2025/QH15.
China's provinces bordering Vietnam and Laos (plus Guangdong, home of a twinned city) and
all of Laos's provinces come from pycountry, with names in other languages from the
curators' table below. `graphkit reference` rewrites data/reference/; CI checks that the
checked-in files are what it writes.
"""
from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pycountry
from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV

from . import paths
from .iri import XBKG, mint
from .store import write_atomically

LVL = Namespace("https://w3id.org/xbkg/level/")
REFORM_DAY = "2025-07-01"
LAST_DAY_BEFORE_REFORM = "2025-06-30"

SOURCE_PYCOUNTRY = mint("source", "pycountry")
SOURCE_VN_PROVINCES = mint("source", "vietnam-provinces")
SOURCE_RESOLUTION_202 = mint("source", "nq-202-2025-qh15")
SOURCE_CURATORS = mint("source", "curators")

COUNTRIES = {  # key -> (ISO alpha-2, labels)
    "vn": ("VN", {"vi": "Việt Nam", "en": "Vietnam", "zh": "越南", "lo": "ຫວຽດນາມ"}),
    "cn": ("CN", {"vi": "Trung Quốc", "en": "China", "zh": "中国", "lo": "ຈີນ"}),
    "la": ("LA", {"vi": "Lào", "en": "Laos", "zh": "老挝", "lo": "ລາວ"}),
    "de": ("DE", {"vi": "Đức", "en": "Germany", "de": "Deutschland"}),
    "kr": ("KR", {"vi": "Hàn Quốc", "en": "South Korea", "ko": "대한민국"}),
}

# Province-level units outside Vietnam that the graph needs, by ISO 3166-2 code, with the
# names pycountry lacks (curators' table). Alternative spellings feed name search.
OTHER_PROVINCES = {
    "CN-YN": {"vi": ["Vân Nam"], "zh": ["云南省", "云南"], "en": ["Yunnan"]},
    "CN-GX": {"vi": ["Quảng Tây"], "zh": ["广西壮族自治区", "广西"], "en": ["Guangxi"]},
    "CN-GD": {"vi": ["Quảng Đông"], "zh": ["广东省", "广东"], "en": ["Guangdong"]},
    "LA-AT": {"vi": ["Attapư", "A-tô-pư"], "lo": ["ແຂວງອັດຕະປື"], "en": ["Attapeu", "Attopeu"]},
    "LA-BK": {"vi": ["Bò Kẹo"], "lo": ["ແຂວງບໍ່ແກ້ວ"], "en": ["Bokeo"]},
    "LA-BL": {"vi": ["Bôlykhămxay", "Bô Ly Khăm Xay", "Bolikhămxay"], "lo": ["ແຂວງບໍລິຄຳໄຊ"],
              "en": ["Bolikhamxay", "Borikhamxay", "Bolikhamsai", "Borikhane"]},
    "LA-CH": {"vi": ["Chămpasắc", "Chăm Pa Sắc"], "lo": ["ແຂວງຈຳປາສັກ"], "en": ["Champasak", "Champassak"]},
    "LA-HO": {"vi": ["Hủa Phăn"], "lo": ["ແຂວງຫົວພັນ"], "en": ["Houaphanh", "Huaphanh", "Houaphan", "Hua Phan"]},
    "LA-KH": {"vi": ["Khăm Muộn"], "lo": ["ແຂວງຄຳມ່ວນ"], "en": ["Khammouane", "Khammouan"]},
    "LA-LM": {"vi": ["Luông Nặm Thà"], "lo": ["ແຂວງຫຼວງນ້ຳທາ"], "en": ["Luang Namtha"]},
    "LA-LP": {"vi": ["Luông Pha Băng", "Luông Pha Bang", "Luang Prabang"], "lo": ["ແຂວງຫຼວງພະບາງ"],
              "en": ["Luang Prabang", "Louangphabang", "Luang Phrabang"]},
    "LA-OU": {"vi": ["U Đôm Xay"], "lo": ["ແຂວງອຸດົມໄຊ"], "en": ["Oudomxay", "Oudomxai"]},
    "LA-PH": {"vi": ["Phông Sa Lỳ"], "lo": ["ແຂວງຜົ້ງສາລີ"], "en": ["Phongsaly", "Phongsali"]},
    "LA-SL": {"vi": ["Salavan", "Sa La Van"], "lo": ["ແຂວງສາລະວັນ"], "en": ["Salavan", "Saravane"]},
    "LA-SV": {"vi": ["Savannakhẹt", "Xa Vẳn Na Khệt"], "lo": ["ແຂວງສະຫວັນນະເຂດ"], "en": ["Savannakhet"]},
    "LA-VI": {"vi": ["Viêng Chăn (tỉnh)"], "lo": ["ແຂວງວຽງຈັນ"], "en": ["Vientiane Province"]},
    "LA-VT": {"vi": ["Thủ đô Viêng Chăn"], "lo": ["ນະຄອນຫຼວງວຽງຈັນ"], "en": ["Vientiane Capital", "Vientiane Prefecture"]},
    "LA-XA": {"vi": ["Xay Nha Bu Ly"], "lo": ["ແຂວງໄຊຍະບູລີ"], "en": ["Xayabury", "Sainyabuli", "Xaignabouli"]},
    "LA-XE": {"vi": ["Sê Kông", "Xê Kông"], "lo": ["ແຂວງເຊກອງ"], "en": ["Sekong", "Xekong"]},
    "LA-XI": {"vi": ["Xiêng Khoảng"], "lo": ["ແຂວງຊຽງຂວາງ"], "en": ["Xiangkhouang", "Xiengkhouang"]},
    "LA-XS": {"vi": ["Xay Sổm Bun"], "lo": ["ແຂວງໄຊສົມບູນ"], "en": ["Xaisomboun", "Xaysomboun"]},
    "DE-ST": {"de": ["Sachsen-Anhalt"], "en": ["Saxony-Anhalt"], "vi": ["Sachsen-Anhalt"]},
    "KR-41": {"ko": ["경기도"], "en": ["Gyeonggi Province"], "vi": ["Gyeonggi"]},
}

# Vietnam from 1 July 2025: new GSO province code -> the ISO codes of the provinces it
# continues (Resolution 202/2025/QH15). One code alone: the province carried on unchanged.
VN_2025 = {
    1: ["VN-HN"], 4: ["VN-04"], 8: ["VN-07", "VN-03"], 11: ["VN-71"], 12: ["VN-01"],
    14: ["VN-05"], 15: ["VN-02", "VN-06"], 19: ["VN-69", "VN-53"], 20: ["VN-09"],
    22: ["VN-13"], 24: ["VN-56", "VN-54"], 25: ["VN-68", "VN-70", "VN-14"],
    31: ["VN-HP", "VN-61"], 33: ["VN-66", "VN-20"], 37: ["VN-18", "VN-63", "VN-67"],
    38: ["VN-21"], 40: ["VN-22"], 42: ["VN-23"], 44: ["VN-25", "VN-24"], 46: ["VN-26"],
    48: ["VN-DN", "VN-27"], 51: ["VN-29", "VN-28"], 52: ["VN-30", "VN-31"],
    56: ["VN-34", "VN-36"], 66: ["VN-33", "VN-32"], 68: ["VN-35", "VN-72", "VN-40"],
    75: ["VN-39", "VN-58"], 79: ["VN-SG", "VN-57", "VN-43"], 80: ["VN-37", "VN-41"],
    82: ["VN-45", "VN-46"], 86: ["VN-49", "VN-50", "VN-51"], 91: ["VN-44", "VN-47"],
    92: ["VN-CT", "VN-52", "VN-73"], 96: ["VN-59", "VN-55"],
}
# Names Vietnamese writers also use, for provinces the seed articles name.
VN_ALT_NAMES = {
    "VN-26": ["Thừa Thiên Huế", "Thừa Thiên - Huế", "Huế", "Thành phố Huế"],
    "VN-DN": ["Thành phố Đà Nẵng", "TP Đà Nẵng", "Da Nang"],
    "VN-CT": ["Thành phố Cần Thơ", "Can Tho"],
    "VN-02": ["tỉnh Lào Cai", "Lao Cai"],
    "VN-23": ["tỉnh Hà Tĩnh", "Ha Tinh"],
}


def unit_iri_for_iso(code: str) -> URIRef:
    """Units from ISO 3166-2 are keyed by their code, which does not change with a name."""
    return mint("unit", code.lower())


def country_iri(key: str) -> URIRef:
    return mint("unit", key)


def vn_2025_iri(gso_code: int) -> URIRef:
    """A Vietnamese province from 1 July 2025: the unchanged ones keep their earlier IRI."""
    continued = VN_2025[gso_code]
    if len(continued) == 1:
        return unit_iri_for_iso(continued[0])
    return mint("unit", f"vn-2025-{gso_code:02d}")


def _sources(graph: Graph) -> None:
    graph.add((SOURCE_PYCOUNTRY, RDF.type, XBKG.Source))
    graph.add((SOURCE_PYCOUNTRY, DCTERMS.title, Literal(f"pycountry {version('pycountry')}: ISO 3166-1 and ISO 3166-2 from Debian's iso-codes", lang="en")))
    graph.add((SOURCE_PYCOUNTRY, DCTERMS.publisher, Literal("pycountry / Debian iso-codes")))
    graph.add((SOURCE_PYCOUNTRY, URIRef("https://schema.org/url"), URIRef("https://pypi.org/project/pycountry/")))
    graph.add((SOURCE_VN_PROVINCES, RDF.type, XBKG.Source))
    graph.add((SOURCE_VN_PROVINCES, DCTERMS.title, Literal(f"vietnam-provinces {version('vietnam-provinces')}: Vietnam's administrative divisions from 1 July 2025 with GSO codes", lang="en")))
    graph.add((SOURCE_VN_PROVINCES, DCTERMS.publisher, Literal("vietnam-provinces (after the General Statistics Office's list)")))
    graph.add((SOURCE_VN_PROVINCES, URIRef("https://schema.org/url"), URIRef("https://pypi.org/project/vietnam-provinces/")))
    graph.add((SOURCE_RESOLUTION_202, RDF.type, XBKG.Source))
    graph.add((SOURCE_RESOLUTION_202, DCTERMS.title, Literal("Nghị quyết số 202/2025/QH15 về việc sắp xếp đơn vị hành chính cấp tỉnh", lang="vi")))
    graph.add((SOURCE_RESOLUTION_202, DCTERMS.title, Literal("Resolution 202/2025/QH15 on the rearrangement of province-level units", lang="en")))
    graph.add((SOURCE_RESOLUTION_202, DCTERMS.publisher, Literal("Quốc hội Việt Nam (National Assembly of Vietnam)")))
    graph.add((SOURCE_RESOLUTION_202, DCTERMS.issued, Literal("2025-06-12", datatype=XSD.date)))


def _unit(graph: Graph, iri: URIRef, level: str, country: URIRef, parent: URIRef | None,
          names: dict[str, list[str]], source: URIRef) -> None:
    graph.add((iri, RDF.type, XBKG.AdministrativeUnit))
    graph.add((iri, XBKG.level, LVL[level]))
    graph.add((iri, XBKG.country, country))
    if parent is not None:
        graph.add((iri, XBKG.parent, parent))
    for lang, spellings in names.items():
        graph.add((iri, SKOS.prefLabel, Literal(spellings[0], lang=lang)))
        for alt in spellings[1:]:
            graph.add((iri, SKOS.altLabel, Literal(alt, lang=lang)))
    graph.add((iri, RDFS.label, Literal(names.get("vi", names.get("en"))[0])))
    graph.add((iri, PROV.wasDerivedFrom, source))


def countries_graph() -> Graph:
    graph = Graph()
    for key, (alpha2, labels) in COUNTRIES.items():
        iri = country_iri(key)
        _unit(graph, iri, f"{key}-country", iri, None, {k: [v] for k, v in labels.items()}, SOURCE_PYCOUNTRY)
        graph.add((iri, RDF.type, XBKG.Country))
        graph.add((iri, XBKG.isoCode, Literal(pycountry.countries.get(alpha_2=alpha2).alpha_2)))
    graph.add((SOURCE_CURATORS, RDF.type, XBKG.Source))
    graph.add((SOURCE_CURATORS, DCTERMS.title, Literal("Curators' notes: names, parents and coordinates added from general knowledge to complete a chain; each awaits a link to a gazetteer", lang="en")))
    graph.add((SOURCE_CURATORS, DCTERMS.publisher, Literal("graphkit curators")))
    _sources(graph)
    return graph


def vietnam_graph() -> Graph:
    from vietnam_provinces import Province

    graph = Graph()
    vn = country_iri("vn")
    successor_of: dict[str, URIRef] = {}
    for province in Province.iter_all():
        gso = province.code.value
        iri = vn_2025_iri(gso)
        continued = VN_2025[gso]
        name = province.name.removeprefix("Thành phố ").strip()
        if len(continued) == 1:
            graph.add((iri, XBKG.nationalCode, Literal(f"{gso:02d}")))
            graph.add((iri, PROV.wasDerivedFrom, SOURCE_VN_PROVINCES))
            continue
        _unit(graph, iri, "vn-province", vn, vn, {"vi": [name, province.name]}, SOURCE_VN_PROVINCES)
        graph.add((iri, XBKG.nationalCode, Literal(f"{gso:02d}")))
        graph.add((iri, XBKG.validFrom, Literal(REFORM_DAY, datatype=XSD.date)))
        graph.add((iri, PROV.wasDerivedFrom, SOURCE_RESOLUTION_202))
        for code in continued:
            successor_of[code] = iri
    for sub in pycountry.subdivisions.get(country_code="VN"):
        iri = unit_iri_for_iso(sub.code)
        names = {"vi": [sub.name, *VN_ALT_NAMES.get(sub.code, [])]}
        _unit(graph, iri, "vn-province", vn, vn, names, SOURCE_PYCOUNTRY)
        graph.add((iri, XBKG.isoCode, Literal(sub.code)))
        if sub.code in successor_of:
            graph.add((iri, XBKG.validUntil, Literal(LAST_DAY_BEFORE_REFORM, datatype=XSD.date)))
            graph.add((iri, XBKG.successor, successor_of[sub.code]))
            graph.add((iri, PROV.wasDerivedFrom, SOURCE_RESOLUTION_202))
    return graph


def neighbours_graph() -> Graph:
    graph = Graph()
    for code, names in OTHER_PROVINCES.items():
        sub = pycountry.subdivisions.get(code=code)
        key = sub.country_code.lower()
        level = {"de": "de-state", "kr": "kr-province"}.get(key, f"{key}-province")
        country = country_iri(key)
        _unit(graph, unit_iri_for_iso(code), level, country, country, names, SOURCE_PYCOUNTRY)
        graph.add((unit_iri_for_iso(code), SKOS.altLabel, Literal(sub.name)))
        graph.add((unit_iri_for_iso(code), XBKG.isoCode, Literal(sub.code)))
        graph.add((unit_iri_for_iso(code), PROV.wasDerivedFrom, SOURCE_CURATORS))
    return graph


REFERENCE_FILES = {
    "countries.ttl": countries_graph,
    "provinces-vn.ttl": vietnam_graph,
    "provinces-cn-la-other.ttl": neighbours_graph,
}


def _bind(graph: Graph) -> Graph:
    graph.bind("xbkg", XBKG)
    graph.bind("lvl", LVL)
    graph.bind("unit", Namespace("https://w3id.org/xbkg/id/unit/"))
    graph.bind("src", Namespace("https://w3id.org/xbkg/id/source/"))
    graph.bind("skos", SKOS)
    graph.bind("prov", PROV)
    graph.bind("dct", DCTERMS)
    return graph


def render(name: str) -> str:
    """The Turtle text of one reference file."""
    header = "# Generated by `graphkit reference` from cited packages; do not edit by hand.\n"
    return header + _bind(REFERENCE_FILES[name]()).serialize(format="turtle")


def write_reference(folder: Path | None = None) -> list[Path]:
    """Rewrite the reference files; returns their paths."""
    folder = folder or paths.data_dir() / "reference"
    written = []
    for name in REFERENCE_FILES:
        target = folder / name
        text = render(name)
        write_atomically(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        written.append(target)
    return written
