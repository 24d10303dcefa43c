"""Finding units by any spelling: with or without Vietnamese diacritics, level words, other scripts,
letters lost to encoding damage ("h??u nghị" for "hữu nghị") and, failing all that, small typos."""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from unidecode import unidecode

from .names import fold, split_level
from .namespaces import sparql_prologue

_DAMAGE = re.compile(r"\?+")

NAMES_QUERY = sparql_prologue() + """
SELECT ?unit ?name ?label ?level ?country ?parent ?validFrom ?validUntil WHERE {
  { ?unit a xbkg:AdministrativeUnit } UNION { ?unit a xbkg:BorderPost }
  ?unit skos:prefLabel|skos:altLabel|rdfs:label ?name .
  OPTIONAL { ?unit rdfs:label ?label }
  OPTIONAL { ?unit xbkg:level/skos:prefLabel ?level FILTER(lang(?level) = "en") }
  OPTIONAL { ?unit xbkg:country/rdfs:label ?country }
  OPTIONAL { ?unit xbkg:parent|xbkg:locatedIn ?up . ?up rdfs:label ?parent }
  OPTIONAL { ?unit xbkg:validFrom ?validFrom }
  OPTIONAL { ?unit xbkg:validUntil ?validUntil }
}"""

# Scores, best first: the same text; the same letters once folded; the same without level words;
# a damaged text whose readable letters fit; the name starts with the text; contains it; a typo.
SAME_TEXT, SAME_FOLDED, SAME_WITHOUT_LEVEL, DAMAGED_FIT, STARTS_WITH, CONTAINS, DAMAGED_PART = 100, 95, 90, 85, 80, 60, 55
TYPO_THRESHOLD = 80  # rapidfuzz ratio (0-100) a typo must reach; scored at half, below every other match


def strip_level(text: str) -> str:
    """A folded name without its level word ("xa son kim 2" -> "son kim 2")."""
    return split_level(text)[0] or text


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
    parent: str = ""
    valid_from: str = ""
    valid_until: str = ""

    @property
    def validity(self) -> str:
        """When the unit existed, as far as the graph knows ("" when it records nothing)."""
        if self.valid_from and self.valid_until:
            return f"valid {self.valid_from} to {self.valid_until}"
        if self.valid_from:
            return f"valid from {self.valid_from}"
        if self.valid_until:
            return f"valid until {self.valid_until}"
        return ""


def _score(query: str, name: str) -> int:
    """How well `name` answers `query`, 0 when it does not."""
    if query.strip().casefold() == name.strip().casefold():
        return SAME_TEXT
    q, n = fold(query), fold(name)
    if not q or not n:
        return CONTAINS if query.strip() and query.strip().casefold() in name.casefold() else 0
    if q == n or _compact(q) == _compact(n):
        return SAME_FOLDED
    qs, ns = strip_level(q), strip_level(n)
    if qs == ns or _compact(qs) == _compact(ns):
        return SAME_WITHOUT_LEVEL
    if ns.startswith(qs + " ") or n.startswith(q + " ") or _compact(ns).startswith(_compact(qs)):
        return STARTS_WITH
    if qs in ns or query.strip().casefold() in name.casefold():
        return CONTAINS
    return 0


def _damaged_pattern(query: str) -> re.Pattern | None:
    """A pattern for a text with '?' where letters were lost.

    A lost letter shows as '?' or '??' (one per byte it took), so a run of n marks stands for
    n/2 to n letters.
    """
    if "?" not in query:
        return None
    pieces = [re.sub(r"[^a-z0-9]+", " ", unidecode(p.replace("Đ", "D").replace("đ", "d")).lower())
              for p in _DAMAGE.split(query)]
    gaps = [f".{{{max(1, len(run) // 2)},{len(run)}}}" for run in _DAMAGE.findall(query)]
    text = "".join(re.escape(piece) + gap for piece, gap in zip(pieces, gaps + [""])).strip()
    return re.compile(text) if any(piece.strip() for piece in pieces) else None


def _damaged_score(pattern: re.Pattern, name: str) -> int:
    n = fold(name)
    if pattern.fullmatch(n) or pattern.fullmatch(strip_level(n)):
        return DAMAGED_FIT
    return DAMAGED_PART if pattern.search(n) else 0


def _typo_score(query: str, name: str) -> int:
    ratio = fuzz.ratio(strip_level(fold(query)), strip_level(fold(name)))
    return int(ratio // 2) if ratio >= TYPO_THRESHOLD else 0


def _hit(row, score: int) -> Hit:
    def text(key: str) -> str:
        return "" if row.get(key) is None else str(row[key])
    return Hit(text("unit"), text("label") or text("name"), text("name"), text("level"), text("country"),
               score, text("parent"), text("validFrom"), text("validUntil"))


def _best(rows, score) -> dict[str, Hit]:
    best: dict[str, Hit] = {}
    for row in rows:
        value = score(str(row["name"]))
        unit = str(row["unit"])
        if value and (unit not in best or value > best[unit].score):
            best[unit] = _hit(row, value)
    return best


def search_units(store, text: str, limit: int = 20) -> list[Hit]:
    """Units and border posts whose name matches `text` in any spelling, best first.

    Typos are tried only when nothing matches otherwise, so an exact name never brings its
    neighbours along ("Son Kim 2" does not list Sơn Kim 1).
    """
    rows = store.query(NAMES_QUERY).rows
    pattern = _damaged_pattern(text)
    best = _best(rows, lambda name: max(_score(text, name), _damaged_score(pattern, name) if pattern else 0))
    if not best:
        best = _best(rows, lambda name: _typo_score(text, name))
    return sorted(best.values(), key=lambda h: (-h.score, h.label, h.valid_from, h.unit))[:limit]
