"""Finding units by any spelling the articles and gazetteers use (DOMAIN.md, "Names")."""
import pytest

from graphkit.load import load_graph
from graphkit.namespaces import expand
from graphkit.search import fold, search_units, strip_level


@pytest.fixture(scope="module")
def store():
    return load_graph()


def units(store, text: str) -> list[str]:
    return [hit.unit for hit in search_units(store, text)]


@pytest.mark.parametrize(("text", "unit"), [
    ("Son Kim 2", "unit:vn-23-huong-son-son-kim-2"),
    ("Bolikhamxay", "unit:la-bl"),
    ("Borikhamxay", "unit:la-bl"),
    ("Bôlykhămxay", "unit:la-bl"),
    ("Huaphanh", "unit:la-ho"),
    ("Nam Khe", "unit:cn-yn-honghe-hekou-nanxi"),
    ("河口", "unit:cn-yn-honghe-hekou"),
    ("Hekou", "unit:cn-yn-honghe-hekou"),
    ("Hà Khẩu", "unit:cn-yn-honghe-hekou"),
    ("Maguan", "unit:cn-yn-wenshan-maguan"),
    ("xa ban lau", "unit:vn-02-muong-khuong-ban-lau"),
    ("huyện Mường Khương", "unit:vn-02-muong-khuong"),
])
def test_a_unit_is_found_first_by_its_spellings(store, text, unit):
    assert units(store, text)[0] == str(expand(unit))


@pytest.mark.parametrize(("text", "unit"), [
    ("S??n Kim 2", "unit:vn-23-huong-son-son-kim-2"),
    ("B??n L??u", "unit:vn-02-muong-khuong-ban-lau"),
    ("Th??n C???c Ph????ng", "unit:vn-02-muong-khuong-ban-lau-coc-phuong"),
])
def test_letters_lost_as_question_marks_still_find_the_unit(store, text, unit):
    assert str(expand(unit)) in units(store, text)[:2]


def test_a_damaged_name_does_not_match_a_different_name(store):
    assert str(expand("unit:vn-23-huong-son-son-kim-1")) not in units(store, "S??n Kim 2")


def test_a_typo_is_forgiven_when_nothing_matches_exactly(store):
    hits = search_units(store, "Muong Khuog")
    assert hits[0].unit == str(expand("unit:vn-02-muong-khuong"))
    assert hits[0].score < 60


def test_an_exact_name_does_not_bring_its_neighbours_along(store):
    found = units(store, "Son Kim 2")
    assert str(expand("unit:vn-23-huong-son-son-kim-1")) not in found
    assert set(found) == {str(expand("unit:vn-23-huong-son-son-kim-2")), str(expand("unit:vn-2025-42-son-kim-2"))}


def test_both_versions_of_a_reformed_commune_are_told_apart_by_validity(store):
    hits = {hit.unit: hit for hit in search_units(store, "Sơn Kim 2")}
    old, new = hits[str(expand("unit:vn-23-huong-son-son-kim-2"))], hits[str(expand("unit:vn-2025-42-son-kim-2"))]
    assert (old.valid_until, old.validity) == ("2025-06-30", "valid until 2025-06-30")
    assert (new.valid_from, new.validity) == ("2025-07-01", "valid from 2025-07-01")
    assert (old.parent, new.parent) == ("Huyện Hương Sơn", "Hà Tĩnh")


def test_the_same_text_ranks_above_a_longer_name_that_starts_with_it(store):
    hits = search_units(store, "Hekou")
    assert hits[0].matched == "Hekou" and hits[0].score == 100


def test_a_text_nothing_resembles_finds_nothing(store):
    assert search_units(store, "Wakanda") == []


def test_results_are_limited(store):
    assert len(search_units(store, "a", limit=3)) == 3


def test_fold_drops_diacritics_and_d_stroke():
    assert fold("Đồn Biên phòng Cửa khẩu") == "don bien phong cua khau"


def test_strip_level_takes_off_one_leading_level_word():
    assert strip_level("xa son kim 2") == "son kim 2"
    assert strip_level("huyen") == "huyen"
