"""Points from WKT: ours, GeoSPARQL's with a CRS first, Wikidata's."""
import pytest

from graphkit.geometry import parse_point


@pytest.mark.parametrize("wkt", ["POINT(104.05 22.62)", "Point(104.05 22.62)",
                                 "<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT (104.05 22.62)"])
def test_a_point_reads_as_lon_lat(wkt):
    assert parse_point(wkt) == (104.05, 22.62)


def test_other_geometries_are_not_points():
    assert parse_point("LINESTRING(1 2, 3 4)") is None
