"""Finding units by any spelling: with or without Vietnamese diacritics, level words, other scripts."""
from __future__ import annotations

import re
from dataclasses import dataclass

from unidecode import unidecode

from .namespaces import sparql_prologue

# Level words that prefix a name ("xã Sơn Kim 2", "huyện Hà Khẩu"); ignored when matching.
LEVEL_WORDS = (
    "thanh pho truc thuoc trung uong", "thanh pho", "thi tran", "thi xa", "tinh", "huyen", "quan",
    "xa", "phuong", "thon", "ban", "to dan pho", "to", "tran", "cum ban", "chau", "dac khu",
    "province", "district", "commune", "township", "town", "village", "county", "city", "prefecture",
)
_LEVEL_PREFIX = re.compile(r"^(?:" + "|".join(sorted(map(re.escape, LEVEL_WORDS), key=len, reverse=True)) + r")\s+")

NAMES_QUERY = sparql_prologue() + """
SELECT ?unit ?name ?label ?level ?country WHERE {
  { ?unit a xbkg:AdministrativeUnit } UNION { ?unit a xbkg:BorderPost }
  ?unit skos:prefLabel|skos:altLabel|rdfs:label ?name .
  OPTIONAL { ?unit rdfs:label ?label }
  OPTIONAL { ?unit xbkg:level/skos:prefLabel ?level FILTER(lang(?level) = "en") }
  OPTIONAL { ?unit xbkg:country/rdfs:label ?country }
}"""


def fold(text: str) -> str:
    """Lower-case ASCII form of a name: diacritics and đ dropped, '??' repairs ignored, spaces squeezed."""
    text = text.replace("??", "").replace("Đ", "D").replace("đ", "d")
    text = unidecode(text).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return text


def strip_level(text: str) -> str:
    """A folded name without a leading level word ("xa son kim 2" -> "son kim 2")."""
    stripped = _LEVEL_PREFIX.sub("", text)
    return stripped or text


def _compact(text: str) -> str:
    return text.replace(" ", "")


@dataclass(frozen=True)
class Hit:
    unit: str
    label: str
    matched: str
    level: str
    country: str
    score: int


def _score(query: str, name: str) -> int:
    q, n = strip_level(fold(query)), strip_level(fold(name))
    if not q or not n:
        return 0
    if q == n or _compact(q) == _compact(n):
        return 100
    if name.strip() == query.strip():
        return 100
    if n.startswith(q + " ") or _compact(n).startswith(_compact(q)):
        return 80
    if q in n:
        return 60
    return 0


def search_units(store, text: str, limit: int = 20) -> list[Hit]:
    """Units and border posts whose name matches `text` in any spelling, best first."""
    best: dict[str, Hit] = {}
    for row in store.query(NAMES_QUERY).rows:
        score = _score(text, str(row["name"]))
        if not score:
            continue
        unit = str(row["unit"])
        hit = Hit(unit, str(row["label"] or row["name"]), str(row["name"]),
                  str(row["level"] or ""), str(row["country"] or ""), score)
        if unit not in best or hit.score > best[unit].score:
            best[unit] = hit
    return sorted(best.values(), key=lambda h: (-h.score, h.label))[:limit]
