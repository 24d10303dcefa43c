"""The counts of the graph: by kind, level and country pair, and the aggregate claims beside them."""
import pytest

from graphkit.load import load_graph
from graphkit.store import ENGINES
from graphkit.summary import aggregate_claims, summarise


@pytest.fixture(scope="module")
def summary():
    return summarise(load_graph())


def test_the_eleven_twinnings_of_the_articles_are_counted(summary):
    # Si Ma Cai, Cốc Phương, Sơn Kim 1, Sơn Kim 2, thôn 11 Sơn Hồng, Đà Nẵng, Huế, Sơn La, Quảng Trị,
    # Hội An – Wernigerode, Cần Thơ – Sán Đầu
    assert dict(summary.by_class)["xbkg:Twinning"] == 11


def test_the_two_reviews_and_the_two_disagreeing_location_claims_are_counted(summary):
    counts = dict(summary.by_class)
    assert (counts["xbkg:ReviewEvent"], counts["xbkg:LocationClaim"]) == (2, 2)


def test_units_are_counted_by_level(summary):
    levels = dict(summary.units_by_level)
    assert levels["lvl:cn-group"] == 1  # tổ Tam Bình Bá
    assert levels["lvl:la-province"] == 18  # every province of Laos


def test_twinnings_are_counted_by_kind_country_pair_and_tier_pair(summary):
    pairs = {(kind, countries, tiers): n for kind, countries, tiers, n in summary.twinnings_by_pair}
    assert pairs[("kind:village-twinning", "LA-VN", "commune-village")] == 2
    assert pairs[("kind:residential-cluster-twinning", "CN-VN", "group-village")] == 1


def test_the_total_is_the_number_of_triples(summary):
    assert summary.triples == len(load_graph())


@pytest.mark.parametrize("engine", ENGINES)
def test_the_lao_cai_yunnan_claims_stand_beside_what_the_graph_holds(engine):
    claims = {claim.label: (claim.claimed, claim.held) for claim in aggregate_claims(load_graph(engine=engine))}
    assert claims["Lào Cai – Vân Nam: 6 cặp thôn - bản"] == (6, 1)
    assert claims["Lào Cai – Vân Nam: 10 cặp đồn - trạm"] == (10, 0)
    assert claims["Lào Cai – Vân Nam: 7 cặp huyện, thành phố, thị xã"] == (7, 0)


def test_the_anyang_claim_is_checked_too(summary):
    claims = {claim.label: (claim.claimed, claim.held) for claim in summary.claims}
    assert claims["4 địa phương Việt Nam kết nghĩa với thành phố Anyang"] == (4, 0)
