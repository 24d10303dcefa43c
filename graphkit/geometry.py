"""Reading points from WKT literals (ours, GeoSPARQL's with a CRS IRI first, Wikidata's P625)."""
from __future__ import annotations

import re

_POINT = re.compile(r"POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)", re.IGNORECASE)


def parse_point(wkt: str) -> tuple[float, float] | None:
    """(lon, lat) of a WKT POINT, or None for any other geometry."""
    match = _POINT.search(str(wkt))
    return (float(match[1]), float(match[2])) if match else None
