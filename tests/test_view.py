"""`graphkit view`: the static site, checked as files and in a real headless Chromium (Debian's)."""
from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from graphkit import paths
from support.browser import CHROMIUM_ARGS, chromium
from graphkit.load import load_graph
from graphkit.view import write_view

# The README's picture; refreshed only on request so a test run leaves the work tree clean.
DOCS_SCREENSHOT = paths.project_root() / "docs" / "view.png"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    write_view(load_graph(), folder)
    return folder


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright; installed with apt-get first when missing (CI runs as root)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def web_server(site):
    """The site served over HTTP on 127.0.0.1 at a free port."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002  (the name http.server uses)
        pass


def open_view(browser, url: str):
    """A page at `url` once the view has started, with every console message and page error kept."""
    page = browser.new_page(viewport={"width": 1500, "height": 850})
    page.messages = []
    page.on("console", lambda message: page.messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: page.messages.append(f"pageerror: {error}"))
    page.on("requestfailed", lambda request: page.messages.append(f"requestfailed: {request.url}"))
    page.goto(url)
    page.wait_for_function("window.graphkitView !== undefined", timeout=15000)
    return page


@pytest.fixture
def page(browser, site):
    page = open_view(browser, (site / "index.html").as_uri())
    yield page
    page.close()


def test_site_needs_nothing_from_the_internet(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    referenced = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert referenced and not [r for r in referenced if re.match(r"(https?:)?//", r)]
    assert all((site / r).is_file() for r in referenced if not r.startswith("data:"))


def test_data_is_a_script_with_the_seed_twinnings_and_folded_names(site):
    text = (site / "data.js").read_text(encoding="utf-8")
    assert text.startswith("window.GRAPHKIT_DATA = ")
    data = json.loads(text.removeprefix("window.GRAPHKIT_DATA = ").rstrip().rstrip(";"))
    assert len(data["twinnings"]) == 11
    nanxi = next(n for n in data["nodes"] if n["id"] == "unit:cn-yn-honghe-hekou-nanxi")
    assert {"nam khe", "南溪镇", "Thị trấn Nam Khê"} <= set(nanxi["names"])


def test_page_loads_from_file_without_console_errors(page):
    assert page.messages == []


def test_page_loads_from_a_web_server_without_console_errors(browser, web_server):
    served = open_view(browser, f"{web_server}/index.html")
    try:
        assert served.messages == []
        assert served.locator("#twinnings li").count() == 11
    finally:
        served.close()


def test_page_shows_every_seed_twinning_on_the_map_the_network_and_the_list(page):
    assert page.locator("#twinnings li").count() == 11
    assert page.locator("path.twinning").count() == 11
    assert page.evaluate("graphkitView.cy.edges().length") == 11
    assert page.locator("path.twinning.tw-coc-phuong--tam-binh-ba").count() == 1


def test_search_finds_nam_khe_without_diacritics(page):
    page.fill("#search", "Nam Khe")
    assert page.locator("#results li").all_inner_texts() == ["Thị trấn Nam Khê — township, CN"]


def test_search_finds_a_unit_by_its_chinese_name(page):
    page.fill("#search", "河口")
    assert page.locator("#results li").first.inner_text().startswith("Huyện Hà Khẩu")


def test_year_slider_shows_only_twinnings_known_by_that_year(page):
    page.eval_on_selector("#year", "el => { el.value = '2013'; el.dispatchEvent(new Event('input')); }")
    assert page.locator("#twinnings li").all_inner_texts() == ["Thôn Cốc Phương – tổ Tam Bình Bá 2013-08-17"]
    assert page.locator("path.twinning").count() == 1


def test_level_filter_keeps_twinnings_with_a_partner_at_that_tier(page):
    page.select_option("#level", "province")
    assert page.locator("#twinnings li").count() == 5


def test_kind_filter_includes_narrower_kinds(page):
    page.select_option("#kind", "friendship-twinning")
    assert page.locator("#twinnings li").count() == 7


def test_replay_starts_from_the_first_year_and_shows_what_existed_then(page):
    page.click("#play")
    shown = page.evaluate("""() => [Number(document.getElementById('year-label').textContent),
        document.querySelectorAll('#twinnings li').length,
        GRAPHKIT_DATA.twinnings.filter(t => t.start_year <= Number(document.getElementById('year-label').textContent)).length]""")
    page.click("#play")
    year, listed, started = shown
    assert 2013 <= year < 2022 and listed == started


def test_clicking_the_coc_phuong_line_shows_its_date_agreement_and_source(page, tmp_path):
    page.locator("path.twinning.tw-coc-phuong--tam-binh-ba").dispatch_event("click")
    details = page.locator("#details")
    assert "Established 17/8/2013 (2013-08-17)" in details.inner_text()
    assert "Biên bản ghi nhớ hợp tác kết nghĩa xã Bản Lầu – thị trấn Nam Khê (2023)" in details.inner_text()
    assert details.locator("ol li").count() == 5
    assert "10-year review" in details.inner_text()
    link = details.locator("ul.sources a")
    assert link.get_attribute("href") == (
        "https://baolaocai.vn/so-ket-10-nam-mo-hinh-ket-nghia-cum-dan-cu-2-ben-bien-gioi-post372620.html")
    assert link.inner_text() == "Sơ kết 10 năm mô hình 'Kết nghĩa cụm dân cư 2 bên biên giới'"
    page.fill("#search", "Nam Khe")
    screenshot = DOCS_SCREENSHOT if os.environ.get("GRAPHKIT_UPDATE_SCREENSHOT") else tmp_path / "view.png"
    page.screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 50_000
