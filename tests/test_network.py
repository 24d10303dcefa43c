"""The network projection of the seed graph: nodes, edges, attributes and filters."""
from __future__ import annotations

import pytest

from graphkit.errors import InputError
from graphkit.load import load_graph
from graphkit.network import LIST_SEPARATOR, build_network, parse_filter

SEED_TWINNINGS = {
    "tw:can-tho--shantou", "tw:coc-phuong--tam-binh-ba", "tw:da-nang--salavan", "tw:hoi-an--wernigerode",
    "tw:hue--sekong", "tw:quang-tri--savannakhet", "tw:si-ma-cai--seo-pa-chu", "tw:son-hong-thon-11--sop-tuong",
    "tw:son-kim-1--thong-pe", "tw:son-kim-2--na-pe", "tw:son-la--luang-prabang",
}


@pytest.fixture(scope="module")
def store():
    return load_graph()


@pytest.fixture(scope="module")
def network(store):
    return build_network(store)


def edge(network, key: str) -> dict:
    return next(data for _, _, k, data in network.edges(keys=True, data=True) if k == key)


def test_every_seed_twinning_is_one_edge_between_its_two_partners(network):
    assert {k for _, _, k in network.edges(keys=True)} == SEED_TWINNINGS
    assert network.number_of_nodes() == 22


def test_attributes_are_scalars_never_none_or_lists(network):
    values = [v for _, d in network.nodes(data=True) for v in d.values()]
    values += [v for _, _, d in network.edges(data=True) for v in d.values()]
    assert values and all(isinstance(v, (str, int, float, bool)) for v in values)


def test_a_dated_twinning_starts_on_its_date(network):
    twinning = edge(network, "tw:coc-phuong--tam-binh-ba")
    assert (twinning["established"], twinning["start"], twinning["start_from"]) == ("2013-08-17", "2013-08-17", "established")


def test_a_twinning_known_only_by_a_bound_starts_on_the_bound(network):
    twinning = edge(network, "tw:son-kim-2--na-pe")
    assert (twinning["start"], twinning["start_from"]) == ("2022-07-22", "not-after bound")
    assert "established" not in twinning


def test_a_twinning_of_unknown_date_has_no_start(network):
    twinning = edge(network, "tw:hoi-an--wernigerode")
    assert twinning["establishment_unknown"] is True and "start" not in twinning


def test_reviews_are_counted_with_the_last_review_date(network):
    twinning = edge(network, "tw:coc-phuong--tam-binh-ba")
    assert (twinning["reviews"], twinning["last_review"], twinning["agreements"]) == (1, "2023-08-25", 1)
    assert edge(network, "tw:hue--sekong")["reviews"] == 0


def test_content_areas_are_joined_with_the_list_separator(network):
    areas = edge(network, "tw:si-ma-cai--seo-pa-chu")["content_areas"].split(LIST_SEPARATOR)
    assert areas == sorted(areas) and {"economy", "border-security", "liaison-review"} <= set(areas)


def test_sources_carry_their_urls(network):
    twinning = edge(network, "tw:coc-phuong--tam-binh-ba")
    assert twinning["sources"] == "src:seed-001"
    assert "baolaocai.vn" in twinning["source_urls"]


def test_edges_read_from_the_vietnamese_partner(network):
    assert all(network.nodes[source]["country"] == "VN" for source, _ in network.edges())


def test_a_unit_without_a_point_inherits_its_nearest_ancestors(network):
    village = network.nodes["unit:vn-02-muong-khuong-ban-lau-coc-phuong"]
    assert village["coordinates"] == "inherited"
    assert village["coordinates_from"] == "unit:vn-02-muong-khuong-ban-lau"
    assert (village["lon"], village["lat"]) == (104.05, 22.62)


def test_provinces_have_their_seats_point_from_the_reference_coordinates(network):
    son_la = network.nodes["unit:vn-05"]
    assert son_la["coordinates"] == "own"
    assert son_la["lat"] == pytest.approx(21.33, abs=0.05) and son_la["lon"] == pytest.approx(103.9, abs=0.05)


def test_names_in_each_language_are_attributes_of_their_own(network):
    town = network.nodes["unit:cn-yn-wenshan-maguan-xiaobazi"]
    assert (town["name_zh"], town["name_en"], town["name_vi"]) == ("小坝子镇", "Xiaobazi Town", "Trấn Seo Pả Chư")
    assert "Xiaobazi" in town["alt_names"].split(LIST_SEPARATOR)
    assert (town["level"], town["tier"], town["rank"], town["country"]) == ("cn-township", "commune", 4, "CN")


def test_country_pair_keeps_only_twinnings_between_those_countries(store):
    network = build_network(store, parse_filter(countries="cn-vn"))
    assert {k for _, _, k in network.edges(keys=True)} == {
        "tw:can-tho--shantou", "tw:coc-phuong--tam-binh-ba", "tw:si-ma-cai--seo-pa-chu"}


def test_level_keeps_twinnings_with_a_partner_at_that_tier(store):
    network = build_network(store, parse_filter(level="village"))
    assert {k for _, _, k in network.edges(keys=True)} == {
        "tw:coc-phuong--tam-binh-ba", "tw:son-hong-thon-11--sop-tuong", "tw:son-kim-1--thong-pe", "tw:son-kim-2--na-pe"}


def test_level_accepts_a_national_level(store):
    network = build_network(store, parse_filter(level="lvl:cn-group"))
    assert {k for _, _, k in network.edges(keys=True)} == {"tw:coc-phuong--tam-binh-ba"}


def test_as_of_keeps_twinnings_known_to_exist_by_that_day(store):
    network = build_network(store, parse_filter(as_of="2022-07-22"))
    assert {k for _, _, k in network.edges(keys=True)} == {
        "tw:coc-phuong--tam-binh-ba", "tw:da-nang--salavan", "tw:son-kim-2--na-pe", "tw:son-la--luang-prabang"}


def test_kind_includes_narrower_kinds(store):
    network = build_network(store, parse_filter(kind="friendship-twinning"))
    kinds = {d["kind"] for _, _, d in network.edges(data=True)}
    assert kinds == {"friendship-twinning", "village-twinning", "residential-cluster-twinning"}
    assert network.number_of_edges() == 7


def test_under_keeps_twinnings_with_a_partner_at_or_below_the_unit(store):
    network = build_network(store, parse_filter(under="unit:vn-02"))
    assert {k for _, _, k in network.edges(keys=True)} == {"tw:coc-phuong--tam-binh-ba", "tw:si-ma-cai--seo-pa-chu"}


def test_hierarchy_adds_every_ancestor_with_one_parent_edge_each(store):
    network = build_network(store, parse_filter(hierarchy=True))
    parent_edges = [(s, t) for s, t, d in network.edges(data=True) if d["relation"] == "parent"]
    children = [s for s, _ in parent_edges]
    assert len(children) == len(set(children))
    assert ("unit:cn-yn-honghe-hekou-nanxi-longbao", "unit:cn-yn-honghe-hekou-nanxi") in parent_edges
    assert {"unit:vn", "unit:cn", "unit:la"} <= set(network.nodes)
    assert all(network.nodes[n].get("rank") == 0 for n in network.nodes if n not in children)


@pytest.mark.parametrize("arguments, message", [
    ({"countries": "VN"}, "two ISO country codes"),
    ({"as_of": "2023-02-30"}, "YYYY-MM-DD"),
])
def test_malformed_filters_are_refused(arguments, message):
    with pytest.raises(InputError, match=message):
        parse_filter(**arguments)


@pytest.mark.parametrize("arguments, message", [
    ({"level": "hamlet"}, "unknown level 'hamlet'"),
    ({"kind": "sister-city"}, "unknown twinning kind 'sister-city'"),
    ({"under": "unit:vn-99"}, "no unit 'unit:vn-99'"),
    ({"countries": "VN-TH"}, "no country 'TH'"),
])
def test_filters_naming_nothing_in_the_graph_are_refused(store, arguments, message):
    with pytest.raises(InputError, match=message):
        build_network(store, parse_filter(**arguments))


def test_a_date_written_as_text_leaves_the_twinning_without_a_start():
    from pathlib import Path

    from graphkit.load import default_sources, load_graph
    from graphkit.network import NetworkFilter, build_network

    fixture = Path(__file__).parent / "fixtures" / "twinning-date-as-text.ttl"
    network = build_network(load_graph(default_sources() + [fixture]), NetworkFilter())
    (edge,) = [d for _, _, d in network.edges(data=True) if d.get("id", "").endswith("hoi-an--wernigerode")]
    assert "start" not in edge and "start_year" not in edge
