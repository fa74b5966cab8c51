"""Site basics and identity (PRODUCT.md §5, §2 ``unit.site``), read from sites built by the real command line:
the footer, RSS and its autodiscovery, sitemap and robots.txt, the internal build's marks, 404 under a sub-path.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from generator.identity import NO_SITE_URL

from .conftest import ORGANIZATION, PROJECT, PagesHandler, Repo, record_text, run_cli

TODAY = "2026-11-30"
AS_OF = "数据截至 2026年11月30日"
FOOTER = re.compile(r'<div class="md-copyright gs-site-footer">(.*?)</div>', re.S)
SITE_URL = "https://example.gov.cn/fanzha/"


def copy_project(target: Path, site_url: str | None) -> Path:
    """The sample repository with its own mkdocs.yml and templates, deployed at ``site_url``."""
    for folder in ("records", "rubric", "site_templates"):
        shutil.copytree(PROJECT / folder, target / folder)
    config = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    (target / "mkdocs.yml").write_text((f"site_url: {site_url}\n" if site_url else "") + config, encoding="utf-8")
    return target


def build(root: Path, audience: str, site_dir: Path) -> str:
    run = run_cli("build", "--root", str(root), "--audience", audience, "--site-dir", str(site_dir), "--today", TODAY)
    assert run.code == 0, run.err
    return run.out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample built four ways: public and internal, without and with a site_url."""
    base = tmp_path_factory.mktemp("basics")
    plain = copy_project(base / "plain", None)
    deployed = copy_project(base / "deployed", SITE_URL)
    found: dict[str, Any] = {}
    for name, root in (("plain", plain), ("deployed", deployed)):
        for audience in ("public", "internal"):
            key = f"{name}-{audience}"
            found[f"{key}-out"] = build(root, audience, base / key)
            found[key] = base / key
    return found


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def footer(path: Path) -> str:
    match = FOOTER.search(path.read_text(encoding="utf-8"))
    assert match, f"{path} has no footer"
    return match.group(1)


# --- the footer ------------------------------------------------------------------------------------------


def test_every_page_has_the_identity_footer_and_the_date(built: dict[str, Any]) -> None:
    for key in ("plain-public", "plain-internal"):
        site = built[key]
        for path in pages(site):
            text = footer(path)
            assert "<li>主办单位：示例区东风街道办事处</li>" in text, path
            assert "<li>联系方式：东风街道综治中心 0000-0000000</li>" in text, path
            assert (
                '<a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener noreferrer">京ICP备00000000号</a>'
                in text
            )
            assert (
                '<a href="https://beian.mps.gov.cn/" target="_blank" rel="noopener noreferrer">京公网安备00000000000000号</a>'
                in text
            )
            assert "<li>网站标识码：0000000000</li>" in text, path
            assert f'<p class="gs-as-of">{AS_OF}</p>' in text, path
        assert "Material for MkDocs" not in (site / "index.html").read_text(encoding="utf-8")


def site_block(*lines: str) -> str:
    block = "  site:\n" + "".join(f"    {line}\n" for line in lines) if lines else ""
    return ORGANIZATION.replace(
        "  leading_group: 测试街道反诈工作领导小组\n", f"  leading_group: 测试街道反诈工作领导小组\n{block}"
    )


def small_site(repo: Repo, tmp_path: Path, organization: str) -> Path:
    repo.write("records/organization.yaml", organization)
    repo.write("records/2026/01/c1/w1.yaml", record_text("w1", "2026-01"))
    out = tmp_path / "site"
    run = run_cli("build", "--root", str(repo.root), "--site-dir", str(out), "--today", TODAY)
    assert run.code == 0, run.err
    return out


def test_absent_identity_lines_are_not_shown(repo: Repo, tmp_path: Path) -> None:
    site = small_site(repo, tmp_path, site_block("icp: 京ICP备12345678号"))
    text = footer(site / "index.html")
    assert '<li>ICP备案号：<a href="https://beian.miit.gov.cn/"' in text
    for label in ("主办单位", "联系方式", "公安备案号", "网站标识码"):
        assert label not in text
    assert AS_OF in text


def test_without_unit_site_the_footer_still_gives_the_date(repo: Repo, tmp_path: Path) -> None:
    site = small_site(repo, tmp_path, ORGANIZATION)
    text = footer(site / "index.html")
    assert "<ul" not in text and "备案" not in text
    assert f'<p class="gs-as-of">{AS_OF}</p>' in text


def test_markup_in_unit_site_is_shown_as_text(repo: Repo, tmp_path: Path) -> None:
    site = small_site(
        repo,
        tmp_path,
        site_block(
            "host: '<script>alert(1)</script>'",
            "contact: '<img src=x onerror=alert(2)> & \"q\"'",
            "icp: '\"><b>ICP</b>'",
            "police_record: '{{ 7*7 }}{% raw %}'",
            "site_code: '<i>1</i>'",
        ),
    )
    text = footer(site / "index.html")
    assert "<li>主办单位：&lt;script&gt;alert(1)&lt;/script&gt;</li>" in text
    assert "<li>联系方式：&lt;img src=x onerror=alert(2)&gt; &amp; &#34;q&#34;</li>" in text
    assert 'rel="noopener noreferrer">&#34;&gt;&lt;b&gt;ICP&lt;/b&gt;</a>' in text
    assert "{{ 7*7 }}{% raw %}</a>" in text
    assert "<li>网站标识码：&lt;i&gt;1&lt;/i&gt;</li>" in text
    assert "<script>alert" not in text and "<img" not in text and "<b>" not in text and "<i>" not in text


def test_a_personal_number_in_the_host_line_is_refused_but_the_contact_may_have_a_phone(repo: Repo) -> None:
    repo.write("records/organization.yaml", site_block("host: 张三 13800138000", "contact: 综治中心 13800138000"))
    run = repo.run("check")
    assert run.code != 0
    assert "records/organization.yaml:6: host 会公开发布，不能含有手机号码“13800138000”，请删除" in run.err
    assert run.err.count("13800138000") == 1, run.err


def test_a_numeric_site_code_must_be_quoted(repo: Repo) -> None:
    repo.write("records/organization.yaml", site_block("site_code: 1234567890"))
    run = repo.run("check")
    assert run.code != 0
    assert (
        "records/organization.yaml:6: “site_code”应为文字，实际为 “1234567890”（如果是数字或日期，请加引号）" in run.err
    )


# --- RSS -------------------------------------------------------------------------------------------------


def test_without_site_url_no_feed_is_written_and_the_build_says_why(built: dict[str, Any]) -> None:
    for key in ("plain-public", "plain-internal"):
        site = built[key]
        assert not (site / "notices/feed.xml").exists()
        assert built[f"{key}-out"].splitlines()[1:] == [NO_SITE_URL]
        assert "未生成 RSS 订阅" in NO_SITE_URL and "site_url" in NO_SITE_URL
        for path in pages(site):
            text = path.read_text(encoding="utf-8")
            assert "application/rss+xml" not in text, path
            assert "feed.xml" not in text, path


def test_with_site_url_the_feed_has_absolute_links_and_every_page_links_it(built: dict[str, Any]) -> None:
    site = built["deployed-public"]
    assert built["deployed-public-out"].count("\n") == 1  # the summary only: nothing is missing
    channel = ET.fromstring((site / "notices/feed.xml").read_bytes()).find("channel")
    assert channel is not None
    links = [channel.findtext("link")] + [item.findtext("link") for item in channel.findall("item")]
    guids = [item.findtext("guid") for item in channel.findall("item")]
    assert len(links) > 1
    for link in [*links, *guids]:
        assert link and link.startswith(SITE_URL), link
    assert f"{SITE_URL}notices/2026-04-08-commendation-2026-03/" in links
    tag = (
        f'<link rel="alternate" type="application/rss+xml" title="公示公告 RSS 订阅" href="{SITE_URL}notices/feed.xml">'
    )
    for path in pages(site):
        assert tag in path.read_text(encoding="utf-8"), path
    assert "RSS 订阅</a>" in (site / "index.html").read_text(encoding="utf-8")
    assert "订阅更新：" in (site / "notices/index.html").read_text(encoding="utf-8")


def test_rss_feed_lists_public_notices(built: dict[str, Any]) -> None:
    root = ET.fromstring((built["deployed-public"] / "notices/feed.xml").read_bytes())
    titles = [item.findtext("title") for item in root.iter("item")]
    assert "关于2026年3月网格反诈工作考评结果的通报表扬" in titles
    assert not [t for t in titles if t and "通报批评" in t]
    internal = ET.fromstring((built["deployed-internal"] / "notices/feed.xml").read_bytes())
    assert len(list(internal.iter("item"))) == len(titles) + 1


# --- sitemap, robots, the internal build ----------------------------------------------------------------------


def sitemap_locs(site: Path) -> list[str]:
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    return [loc.text or "" for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]


def test_sitemap_lists_every_page_when_site_url_is_set(built: dict[str, Any]) -> None:
    locs = sitemap_locs(built["deployed-public"])
    assert f"{SITE_URL}rankings/2026-03/" in locs and f"{SITE_URL}workers/wg-0101/" in locs
    assert len(locs) == len(pages(built["deployed-public"])) - 1  # every page but 404.html
    assert all(loc.startswith(SITE_URL) for loc in locs)


def test_robots_txt_public_allows_and_internal_disallows(built: dict[str, Any]) -> None:
    assert (built["plain-public"] / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nAllow: /\n"
    assert (built["deployed-public"] / "robots.txt").read_text(encoding="utf-8") == (
        f"User-agent: *\nAllow: /\nSitemap: {SITE_URL}sitemap.xml\n"
    )
    for key in ("plain-internal", "deployed-internal"):
        assert (built[key] / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /\n"


def test_internal_pages_say_noindex_and_carry_the_mark_for_print(built: dict[str, Any]) -> None:
    noindex = '<meta name="robots" content="noindex,nofollow">'
    for path in pages(built["plain-internal"]):
        text = path.read_text(encoding="utf-8")
        assert noindex in text, path
        assert '<strong class="gs-internal-banner">内部资料 · 仅限工作人员查阅，请勿对外发布</strong>' in text, path
        assert re.search(r'<link rel="stylesheet" href="[./]*assets/gs-internal\.css">', text), path
    for path in pages(built["plain-public"]):
        text = path.read_text(encoding="utf-8")
        assert noindex not in text and "gs-internal.css" not in text and "内部资料" not in text, path
    css = (built["plain-internal"] / "assets/gs-internal.css").read_text(encoding="utf-8")
    assert '@media print {\n  @page {\n    @top-right {\n      content: "内部资料";' in css


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.skipif(not (CHROMIUM and PDFTOTEXT), reason="needs chromium and pdftotext (poppler-utils)")
def test_a_printed_internal_page_says_内部资料_on_every_sheet(built: dict[str, Any], tmp_path: Path) -> None:
    """Print the internal March ranking (several A4 sheets) with Chromium: every sheet carries the mark; public none."""
    for key, expected in (("plain-internal", True), ("plain-public", False)):
        pdf = tmp_path / f"{key}.pdf"
        page = (built[key] / "rankings/2026-03/index.html").as_uri()
        subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", f"--user-data-dir={tmp_path / 'profile'}",
             "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page],
            capture_output=True, timeout=120, check=False,
        )  # fmt: skip
        assert pdf.is_file(), f"chromium printed no PDF of {key}"
        text = subprocess.run([PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        sheets = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
        assert len(sheets) >= 2, f"{key}: the month's ranking should fill more than one sheet"
        for number, sheet in enumerate(sheets, 1):
            assert ("内部资料" in sheet) is expected, f"{key}, sheet {number}: {sheet[:200]!r}"


def test_public_pages_have_no_empty_banner(built: dict[str, Any]) -> None:
    """Material draws its announce bar (the dark strip under the header) whenever the block holds any text."""
    for path in pages(built["plain-public"]):
        assert "md-banner" not in path.read_text(encoding="utf-8"), path
    assert '<aside class="md-banner">' in (built["plain-internal"] / "index.html").read_text(encoding="utf-8")


# --- 404 under a sub-path ----------------------------------------------------------------------------------------


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("rel") in ("stylesheet", "icon") and found.get("href"):
            self.found.append(found["href"] or "")
        if tag == "script" and found.get("src"):
            self.found.append(found["src"] or "")


@pytest.fixture(scope="module")
def sub_path_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    served = tmp_path_factory.mktemp("served")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(PagesHandler, directory=str(served)))
    server.daemon_threads = True
    origin = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, name="sub-path-server", daemon=True)
    thread.start()
    try:
        yield origin, served
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (a local test server)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_404_page_works_under_a_sub_path(sub_path_server: tuple[str, Path], tmp_path: Path) -> None:
    origin, served = sub_path_server
    root = copy_project(tmp_path / "repo", f"{origin}sub/")
    build(root, "public", served / "sub")
    for missing in ("sub/no-such-page/", "sub/rankings/1999-01/deep/"):
        status, body = fetch(origin + missing)
        assert status == 404 and "gs-site-footer" in body.decode("utf-8"), missing
        assert "<h1>404 · 页面不存在</h1>" in body.decode("utf-8")
        assert f'请返回<a href="{origin}sub/">首页</a>' in body.decode("utf-8")
        parser = _Resources()
        parser.feed(body.decode("utf-8"))
        assert len(parser.found) >= 4, parser.found  # Material's CSS and bundle, gridscore's CSS and script
        for resource in parser.found:
            url = urljoin(origin + missing, resource)
            assert url.startswith(f"{origin}sub/assets/"), url
            assert fetch(url)[0] == 200, f"{missing}: {resource} → {url} does not load"
