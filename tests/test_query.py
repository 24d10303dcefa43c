"""The canned queries: each answers its competency question from the seed facts, the same on both
engines, with parameters bound as plain values. Expected answers come from the five articles."""
import datetime
import unicodedata
from pathlib import Path

import pytest
from rdflib import Literal

from graphkit import paths
from graphkit.errors import InputError
from graphkit.load import load_graph
from graphkit.namespaces import expand, shorten
from graphkit.query import canned_queries, find_query, parse_header, run_query
from graphkit.store import ENGINES

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = paths.project_root().parent / "shared" / "seeds"
# Columns that GROUP_CONCAT fills: their order is up to the engine, so they compare as sets.
CONCATENATED = {"areas": " ", "examples": " | ", "matched": " | ", "sources": " "}

# Every query with the parameters its tests use; each is run on both engines.
CASES = [
    ("aggregate-claims", {}),
    ("agreement-content", {}),
    ("agreement-content", {"agreement": "agr:si-ma-cai--seo-pa-chu-twinning-record"}),
    ("agreement-content", {"area": "area:economy"}),
    ("disputed-facts", {}),
    ("parent-chain", {"twinning": "tw:coc-phuong--tam-binh-ba"}),
    ("reviews", {}),
    ("reviews-due", {"year": "2023"}),
    ("reviews-due", {"year": "2024"}),
    ("reviews-due", {"year": "2021"}),
    ("signatories", {"twinning": "tw:si-ma-cai--seo-pa-chu"}),
    ("signatories", {}),
    ("sources-of", {"node": "tw:son-kim-2--na-pe"}),
    ("twinnings-by-country-pair", {}),
    ("twinnings-by-level-pair", {}),
    ("twinnings-under-unit", {}),
    ("twinnings-under-unit", {"unit": "unit:vn-2025-15"}),
    ("twinnings-under-unit", {"unit": "unit:vn-23"}),
    ("units-as-of", {"date": "2024-01-01", "under": "unit:vn-02"}),
    ("units-as-of", {"date": "2025-07-01", "under": "unit:vn-2025-15"}),
    ("units-by-name", {"name": "son kim 2"}),
    ("units-by-name", {"name": "BOLIKHAMXAY"}),
]


@pytest.fixture(scope="module")
def stores():
    return {engine: load_graph(engine=engine) for engine in ENGINES}


def _value(term) -> str:
    return "" if term is None else shorten(str(term))


def _canonical(result) -> list[tuple]:
    rows = []
    for row in result.rows:
        cells = []
        for variable in result.variables:
            term = row.get(variable)
            if variable in CONCATENATED and term is not None:
                cells.append(tuple(sorted(str(term).split(CONCATENATED[variable]))))
            else:
                cells.append(_value(term))
        rows.append(tuple(cells))
    return sorted(rows)


def answer(stores, query_name: str, /, **params) -> list[dict]:
    """Rows of a canned query on the oxigraph store, values shortened to prefix:name strings."""
    result = run_query(stores["oxigraph"], find_query(query_name), params)
    return [{v: _value(row.get(v)) for v in result.variables} for row in result.rows]


def column(rows: list[dict], name: str) -> list[str]:
    return [row[name] for row in rows]


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}{sorted(p.values())}" for n, p in CASES])
def test_both_engines_give_the_same_answer(stores, name, params):
    query = find_query(name)
    oxigraph, rdflib = (_canonical(run_query(stores[e], query, params)) for e in ENGINES)
    assert oxigraph == rdflib


def test_every_query_is_covered_by_the_engine_comparison():
    assert {name for name, _ in CASES} == set(canned_queries())


def test_every_query_file_parses_with_a_title_and_a_description():
    queries = canned_queries()
    assert len(queries) >= 11
    for query in queries.values():
        assert query.title and query.title != query.name, query.path
        assert len(query.description) > 40, query.path
        for parameter in query.parameters:
            assert parameter.description, f"{query.path}: {parameter.name}"


def test_twinnings_under_lao_cai_are_si_ma_cai_and_coc_phuong(stores):
    rows = answer(stores, "twinnings-under-unit")
    assert sorted(column(rows, "twinning")) == ["tw:coc-phuong--tam-binh-ba", "tw:si-ma-cai--seo-pa-chu"]


def test_twinnings_under_lao_cai_name_the_partner_across_the_border(stores):
    rows = answer(stores, "twinnings-under-unit", unit="unit:vn-02")
    pairs = {(r["partnerLabel"], r["counterpartLabel"]) for r in rows}
    assert pairs == {("Thôn Cốc Phương", "Tổ Tam Bình Bá"), ("Thị trấn Si Ma Cai", "Trấn Seo Pả Chư")}


def test_the_lao_cai_of_2025_carries_the_twinnings_of_the_old_province(stores):
    rows = answer(stores, "twinnings-under-unit", unit="unit:vn-2025-15")
    assert sorted(set(column(rows, "twinning"))) == ["tw:coc-phuong--tam-binh-ba", "tw:si-ma-cai--seo-pa-chu"]


def test_twinnings_under_ha_tinh_are_the_three_village_twinnings(stores):
    rows = answer(stores, "twinnings-under-unit", unit="unit:vn-23")
    assert sorted(column(rows, "twinning")) == [
        "tw:son-hong-thon-11--sop-tuong", "tw:son-kim-1--thong-pe", "tw:son-kim-2--na-pe"]


def test_twinnings_of_a_village_itself_are_found(stores):
    rows = answer(stores, "twinnings-under-unit", unit="unit:vn-02-muong-khuong-ban-lau-coc-phuong")
    assert column(rows, "twinning") == ["tw:coc-phuong--tam-binh-ba"]
    assert rows[0]["established"] == "2013-08-17"


def test_level_pairs_count_the_commune_village_twinnings_with_laos(stores):
    rows = answer(stores, "twinnings-by-level-pair")
    counts = {(r["levelA"], r["levelB"]): int(r["twinnings"]) for r in rows}
    assert counts[("lvl:la-village", "lvl:vn-commune")] == 2  # Sơn Kim 1 – Thoọng Pẹ, Sơn Kim 2 – Na Pê
    assert counts[("lvl:la-village", "lvl:vn-village")] == 1  # thôn 11 Sơn Hồng – Xốp Tơơng
    assert counts[("lvl:cn-township", "lvl:vn-commune")] == 1  # thị trấn Si Ma Cai – trấn Seo Pả Chư
    assert counts[("lvl:cn-group", "lvl:vn-village")] == 1  # thôn Cốc Phương – tổ Tam Bình Bá


def test_level_pairs_report_tiers_and_the_gap_between_them(stores):
    rows = answer(stores, "twinnings-by-level-pair")
    commune_village = next(r for r in rows if (r["levelA"], r["levelB"]) == ("lvl:la-village", "lvl:vn-commune"))
    assert (commune_village["tierA"], commune_village["tierB"], commune_village["tierGap"]) == (
        "lvl:tier-village", "lvl:tier-commune", "1")


def test_country_pairs_count_the_cross_border_twinnings_with_china(stores):
    rows = answer(stores, "twinnings-by-country-pair")
    cross_border = [r for r in rows if (r["countryA"], r["countryB"], r["scope"]) == ("CN", "VN", "kind:cross-border")]
    assert sum(int(r["twinnings"]) for r in cross_border) == 2
    assert {(r["tierA"], r["tierB"]) for r in cross_border} == {
        ("lvl:tier-commune", "lvl:tier-commune"), ("lvl:tier-group", "lvl:tier-village")}


def test_country_pairs_put_the_province_twinnings_with_laos_together(stores):
    rows = answer(stores, "twinnings-by-country-pair")
    provinces = [r for r in rows if (r["countryA"], r["countryB"], r["tierA"], r["tierB"])
                 == ("LA", "VN", "lvl:tier-province", "lvl:tier-province")]
    examples = {label for r in provinces for label in r["examples"].split(" | ")}
    assert {"Đà Nẵng – Salavan", "Thừa Thiên Huế – Sê Kông", "Sơn La – Luông Pha Băng"} <= examples


def test_parent_chain_follows_the_article_from_each_partner_up(stores):
    rows = answer(stores, "parent-chain", twinning="tw:coc-phuong--tam-binh-ba")
    chains = {}
    for row in rows:
        chains.setdefault(row["partnerLabel"], []).append(row["ancestorLabel"])
    # "Thôn Cốc Phương, xã Bản Lầu, Mường Khương, Lào Cai, Việt Nam và tổ Tam Bình Bá, thôn Long Bảo,
    #  thị trấn Nam Khê, Hà Khẩu, Vân Nam, Trung Quốc" (seed-001)
    assert chains["Thôn Cốc Phương"] == ["Xã Bản Lầu", "Huyện Mường Khương", "Lào Cai", "Việt Nam"]
    article = ["Thôn Long Bảo", "Thị trấn Nam Khê", "Huyện Hà Khẩu", "Vân Nam", "Trung Quốc"]
    assert [a for a in chains["Tổ Tam Bình Bá"] if a in article] == article


def test_parent_chain_runs_nearest_first_down_to_the_country(stores):
    rows = answer(stores, "parent-chain", twinning="tw:son-hong-thon-11--sop-tuong")
    lao = [int(r["rank"]) for r in rows if r["partner"] == "unit:la-bl-xaychamphon-nam-on-sop-tuong"]
    assert lao == [3, 2, 1, 0]  # cụm bản Nậm On, huyện Xây Chăm Phon, Bolikhamxay, Laos


def test_the_ten_year_review_covered_2013_to_2023(stores):
    rows = answer(stores, "reviews", twinning="tw:coc-phuong--tam-binh-ba")
    assert len(rows) == 1
    review = rows[0]
    assert (review["date"], review["yearsReviewed"]) == ("2023-08-25", "10")
    assert (review["fromYear"], review["toYear"], review["yearsBetween"], review["agrees"]) == ("2013", "2023", "10", "true")


def test_the_eight_year_review_implies_a_start_in_2014(stores):
    rows = {r["twinning"]: r for r in answer(stores, "reviews")}
    son_kim = rows["tw:son-kim-2--na-pe"]
    assert (son_kim["date"], son_kim["yearsReviewed"], son_kim["impliedFromYear"]) == ("2022-07-22", "8", "2014")
    assert son_kim["established"] == "" and son_kim["yearsBetween"] == ""


def test_reviews_due_in_2023_include_coc_phuong_at_ten_years(stores):
    rows = answer(stores, "reviews-due", year="2023")
    due = {r["twinning"]: r for r in rows}
    coc_phuong = due["tw:coc-phuong--tam-binh-ba"]
    assert (coc_phuong["anniversary"], coc_phuong["sinceYear"], coc_phuong["basis"]) == ("10", "2013", "established")
    assert (coc_phuong["heldReview"], coc_phuong["heldOn"]) == ("ev:coc-phuong--tam-binh-ba-review-10", "2023-08-25")


def test_reviews_due_in_2024_include_son_kim_2_from_its_review(stores):
    rows = answer(stores, "reviews-due", year="2024")
    son_kim = next(r for r in rows if r["twinning"] == "tw:son-kim-2--na-pe")
    assert (son_kim["anniversary"], son_kim["basis"], son_kim["heldReview"]) == ("10", "implied by a review", "")


def test_no_review_falls_due_between_anniversaries(stores):
    assert answer(stores, "reviews-due", year="2021") == []


def test_the_si_ma_cai_record_has_five_items_with_their_areas(stores):
    rows = answer(stores, "agreement-content", agreement="agr:si-ma-cai--seo-pa-chu-twinning-record")
    areas = {int(r["number"]): set(r["areas"].split()) for r in rows}
    assert areas == {
        1: {"area:border-legal-propaganda"},  # tuyên truyền ... ba văn kiện pháp lý về biên giới
        2: {"area:economy"},  # hợp tác phát triển kinh tế, xã hội
        3: {"area:culture-sports"},  # giao lưu văn hóa, thể thao
        4: {"area:border-security", "area:disaster-epidemic"},  # tuần tra ..., phòng chống thiên tai, dịch bệnh
        5: {"area:liaison-review"},  # liên hệ thường xuyên ... tổng kết, đánh giá
    }
    assert rows[3]["text"].startswith("Phối hợp tuần tra bảo vệ biên giới")


def test_content_items_can_be_narrowed_to_one_area(stores):
    rows = answer(stores, "agreement-content", area="area:economy")
    assert {(r["agreement"], r["number"]) for r in rows} == {
        ("agr:si-ma-cai--seo-pa-chu-twinning-record", "2"), ("agr:ban-lau--nanxi-memorandum-2023", "2")}


def test_si_ma_cai_was_signed_by_the_two_towns_before_district_and_border_guard(stores):
    rows = answer(stores, "signatories", twinning="tw:si-ma-cai--seo-pa-chu")
    by_role = {}
    for row in rows:
        by_role.setdefault(row["role"], set()).add(row["agent"])
    assert by_role == {
        "role:signatory": {"orgn:vn-02-si-ma-cai-thi-tran-leadership", "orgn:cn-xiaobazi-leadership"},
        "role:witness": {"orgn:vn-02-si-ma-cai-leadership", "orgn:vn-02-border-guard-command"},
    }


def test_the_2023_memorandum_was_signed_by_ban_lau_and_nam_khe(stores):
    rows = answer(stores, "signatories", twinning="tw:coc-phuong--tam-binh-ba")
    assert {(r["role"], r["agentLabel"], r["date"]) for r in rows} == {
        ("role:signatory", "Lãnh đạo xã Bản Lầu", "2023-08-25"), ("role:signatory", "Lãnh đạo thị trấn Nam Khê", "2023-08-25")}


def test_sources_of_the_son_kim_2_twinning_give_seed_003_and_its_quote(stores):
    rows = answer(stores, "sources-of", node="tw:son-kim-2--na-pe")
    quoted = [r for r in rows if r["source"] == "src:seed-003" and r["quote"]]
    assert quoted, rows
    assert quoted[0]["passage"] == "pass:body" and quoted[0]["seedFile"].startswith("003_")
    article = (SEEDS / quoted[0]["seedFile"]).read_text(encoding="utf-8")
    assert "Sơn Kim 2" in quoted[0]["quote"] and quoted[0]["quote"] in article


def test_sources_of_a_node_without_quotes_still_list_the_source(stores):
    rows = answer(stores, "sources-of", node="item:si-ma-cai--seo-pa-chu-2")
    assert column(rows, "source") == ["src:seed-002"] and rows[0]["quote"] == ""


def test_units_by_name_fold_diacritics_and_case(stores):
    rows = answer(stores, "units-by-name", name="SON KIM 2")
    assert sorted(column(rows, "unit")) == ["unit:vn-2025-42-son-kim-2", "unit:vn-23-huong-son-son-kim-2"]


def test_units_by_name_tell_the_versions_apart_by_validity(stores):
    rows = {r["unit"]: r for r in answer(stores, "units-by-name", name="Sơn Kim 2")}
    assert rows["unit:vn-23-huong-son-son-kim-2"]["validUntil"] == "2025-06-30"
    assert rows["unit:vn-2025-42-son-kim-2"]["validFrom"] == "2025-07-01"


def test_units_by_name_accept_decomposed_unicode(stores):
    decomposed = unicodedata.normalize("NFD", "Hà Khẩu")
    assert column(answer(stores, "units-by-name", name=decomposed), "unit") == ["unit:cn-yn-honghe-hekou"]


def test_units_by_name_find_another_spelling_of_bolikhamxay(stores):
    assert column(answer(stores, "units-by-name", name="borikhamxay"), "unit") == ["unit:la-bl"]


def test_units_as_of_2024_under_lao_cai_are_the_old_units(stores):
    rows = answer(stores, "units-as-of", date="2024-01-01", under="unit:vn-02")
    assert set(column(rows, "unit")) == {
        "unit:vn-02", "unit:vn-02-muong-khuong", "unit:vn-02-muong-khuong-ban-lau",
        "unit:vn-02-muong-khuong-ban-lau-coc-phuong", "unit:vn-02-si-ma-cai", "unit:vn-02-si-ma-cai-thi-tran"}


def test_units_as_of_1_july_2025_are_the_new_lao_cai_and_its_communes(stores):
    rows = answer(stores, "units-as-of", date="2025-07-01", under="unit:vn-2025-15")
    assert set(column(rows, "unit")) == {"unit:vn-2025-15", "unit:vn-2025-15-ban-lau", "unit:vn-2025-15-si-ma-cai"}


def test_units_as_of_the_last_day_before_the_reform_keep_the_old_district(stores):
    rows = answer(stores, "units-as-of", date="2025-06-30", under="unit:vn-02")
    assert "unit:vn-02-muong-khuong" in column(rows, "unit")


def test_units_as_of_default_to_today(stores):
    today = datetime.date.today().isoformat()
    assert answer(stores, "units-as-of", under="unit:vn") == answer(stores, "units-as-of", date=today, under="unit:vn")


def test_aggregate_claims_set_the_lao_cai_counts_against_the_graph(stores):
    rows = {r["claimLabel"]: (int(r["claimed"]), int(r["held"])) for r in answer(stores, "aggregate-claims")}
    # Claimed by seed-000/002/004; the graph holds the one village pair seed-001 names (Cốc Phương – Tam Bình Bá).
    assert rows["Lào Cai – Vân Nam: 6 cặp thôn - bản"] == (6, 1)
    assert rows["Lào Cai – Vân Nam: 10 cặp đồn - trạm"] == (10, 0)
    assert rows["Lào Cai – Vân Nam: 7 cặp huyện, thành phố, thị xã"] == (7, 0)


def test_disputed_facts_hold_both_places_given_for_son_kim_2(stores):
    rows = answer(stores, "disputed-facts")
    claims = {(r["withinLabel"], r["passage"], r["graphAgrees"]) for r in rows if r["unit"] == "unit:vn-23-huong-son-son-kim-2"}
    assert claims == {("Hà Tĩnh", "pass:body", "true"), ("Nghệ An", "pass:headline", "false")}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("payload", ['"} ; DROP ALL ; {"', "x' } DROP ALL #", "} ; DROP ALL", '\\" ) }'])
def test_a_hostile_string_parameter_is_a_plain_value(stores, engine, payload):
    store = stores[engine]
    before = len(store)
    (echoed,) = run_query(store, find_query(str(FIXTURES / "echo-parameter.rq")), {"text": payload}).rows
    assert str(echoed["echo"]) == payload
    assert run_query(store, find_query("units-by-name"), {"name": payload}).rows == []
    assert len(store) == before


@pytest.mark.parametrize("payload", ["} ; DROP ALL", "unit:vn-02> . ?s ?p ?o . <x", 'unit:"vn"'])
def test_a_hostile_iri_parameter_is_refused(payload):
    with pytest.raises(InputError, match="parameter 'unit' must be"):
        find_query("twinnings-under-unit").bindings({"unit": payload})


def test_an_iri_parameter_takes_a_prefixed_name_or_a_full_iri():
    query = find_query("twinnings-under-unit")
    full = "https://w3id.org/xbkg/id/unit/vn-02"
    assert query.bindings({"unit": "unit:vn-02"}) == query.bindings({"unit": full}) == query.bindings({"unit": f"<{full}>"})
    assert query.bindings({"unit": "unit:vn-02"})["unit"] == expand("unit:vn-02")


def test_a_mistyped_prefix_is_refused():
    with pytest.raises(InputError, match="known prefix"):
        find_query("twinnings-under-unit").bindings({"unit": "unt:vn-02"})


def test_a_bad_year_names_the_file_and_the_parameter_line():
    query = find_query("reviews-due")
    with pytest.raises(InputError) as caught:
        query.bindings({"year": "twenty"})
    declared = next(p.line for p in query.parameters if p.name == "year")
    assert (caught.value.path, caught.value.line) == (str(query.path), declared)
    assert "year" in caught.value.message and "'twenty'" in caught.value.message


@pytest.mark.parametrize("raw", ["2023-02-30", "1/7/2025", "2025-07"])
def test_a_bad_date_is_refused(raw):
    with pytest.raises(InputError, match="must be a date"):
        find_query("units-as-of").bindings({"date": raw})


def test_a_year_is_bound_as_an_integer():
    assert find_query("reviews-due").bindings({"year": "2023"})["year"] == Literal(2023)


def test_an_unknown_parameter_is_refused_with_the_known_ones():
    with pytest.raises(InputError, match=r"no parameter 'unit' \(parameters: twinning\)"):
        find_query("reviews").bindings({"unit": "unit:vn-02"})


def test_an_unknown_query_is_refused():
    with pytest.raises(InputError, match="unknown query 'twinings'"):
        find_query("twinings")


def test_a_missing_query_file_is_refused(tmp_path):
    with pytest.raises(InputError, match="no such query file"):
        find_query(str(tmp_path / "missing.rq"))


def test_a_query_file_outside_queries_can_be_run(stores):
    query = find_query(str(FIXTURES / "echo-parameter.rq"))
    rows = run_query(stores["oxigraph"], query, {"text": "} ; DROP ALL"}).rows
    assert str(rows[0]["echo"]) == "} ; DROP ALL"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_sparql_syntax_error_names_the_file_and_line(stores, engine):
    query = find_query(str(FIXTURES / "broken-query.rq"))
    with pytest.raises(InputError) as caught:
        run_query(stores[engine], query)
    assert caught.value.path == str(FIXTURES / "broken-query.rq")
    assert caught.value.line in (9, 10)  # the pattern missing its object, or the "}" the parser met instead
    assert caught.value.message.startswith("SPARQL error:")


def test_a_bad_parameter_declaration_names_its_line():
    with pytest.raises(InputError) as caught:
        parse_header(FIXTURES / "bad-parameter-declaration.rq")
    assert caught.value.line == 4 and "datetime" in caught.value.message
