"""The seats' points of data/reference/coordinates.ttl, generated from GeoNames by coordinates.py."""
from __future__ import annotations

import pytest

from graphkit import paths
from graphkit.coordinates import COORDINATES_FILE, find_seats, graph_without_coordinates, render_coordinates


@pytest.fixture(scope="module")
def bare_store():
    return graph_without_coordinates()


def test_committed_coordinates_are_what_the_generator_writes(bare_store):
    committed = (paths.data_dir() / "reference" / COORDINATES_FILE).read_text(encoding="utf-8")
    assert render_coordinates(bare_store) == committed, "run `graphkit coordinates` and commit the file"


def test_every_country_and_province_but_one_gets_a_seat(bare_store):
    seats, missing = find_seats(bare_store)
    assert missing == ["la-xs"]
    assert len(seats) == 113


def test_a_seat_is_the_geonames_town_with_its_id(bare_store):
    seats = {s.unit.rsplit("/", 1)[-1]: s for s in find_seats(bare_store)[0]}
    lao_cai, hue = seats["vn-02"], seats["vn-26"]
    assert (lao_cai.name, lao_cai.lon, lao_cai.lat) == ("Lào Cai", pytest.approx(103.97, abs=0.05), pytest.approx(22.48, abs=0.05))
    assert hue.name == "Huế" and hue.geonameid == 1580240
