"""Notices as 公文: 版头, 文号, 主送, 落款, one 事迹 list, correction links, the QR code, one A4 page, 文号 order."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import segno

from generator.notice_print import qr_svg

from .conftest import PROJECT, run_cli

EPOCH = "1795996800"  # 2026-11-30 (China): after every notice of the sample
SITE_URL = "https://example.gov.cn/fanzha/"
CHROMIUM = "/usr/bin/chromium"
C09 = "notices/2026-10-09-commendation-2026-09/index.html"
C03 = "notices/2026-04-08-commendation-2026-03/index.html"
FIX = "notices/2026-04-20-correction-2026-03/index.html"
PUB = "notices/2026-01-12-publicity-2025/index.html"
C25 = "notices/2026-01-20-commendation-2025/index.html"


def _project_copy(root: Path, site_url: str | None) -> Path:
    for name in ("records", "rubric", "site_templates"):
        shutil.copytree(PROJECT / name, root / name)
    config = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text((f"site_url: {site_url}\n" if site_url else "") + config, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample's public site built as it is (no site_url) and built for an address."""
    base = tmp_path_factory.mktemp("notice-print")
    built = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for name, url in (("plain", None), ("url", SITE_URL)):
            root = _project_copy(base / f"repo-{name}", url)
            run = run_cli("build", "--root", str(root), "--site-dir", str(base / name))
            assert run.code == 0, run.err
            built[name] = base / name
    return built


def article(site: Path, relative: str) -> str:
    text = (site / relative).read_text(encoding="utf-8")
    return text[text.index('<div class="gs-doc-head">') : text.index("</article>")]


def in_order(text: str, *parts: str) -> None:
    at = -1
    for part in parts:
        found = text.find(part, at + 1)
        assert found > at, f"{part!r} missing or out of order"
        at = found


def test_a_commendation_has_the_parts_of_a_gongwen_in_order(sites: dict[str, Path]) -> None:
    text = article(sites["plain"], C09)
    in_order(
        text,
        '<p class="gs-doc-issuer">东风街道反诈工作领导小组</p>',
        '<p class="gs-notice-number gs-doc-number">东风反诈〔2026〕6号</p>',
        '<hr class="gs-doc-rule">',
        "</div>",
        '<h1 id="20269">关于2026年9月网格反诈工作考评结果的通报表扬</h1>',
        '<p class="gs-doc-to">各社区、各网格员：</p>',
        "<p>2026年9月，全街道网格员紧盯预警信息",  # the body
        "<p><strong>考评优秀的网格员</strong>（共 5 人）</p>",
        "<p><strong>突出事迹</strong>（共 6 项，按时间先后）</p>",
        '<div class="gs-doc-end">',
        '<div class="gs-signature">\n<p>东风街道反诈工作领导小组</p>\n<p>2026年10月9日</p>\n</div>',
    )
    # the site's header, tabs, sidebars, search and footer are hidden on paper by the print style sheet
    page = (sites["plain"] / C09).read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="../../assets/gridscore-print.css">' in page
    css = (sites["plain"] / "assets/gridscore-print.css").read_text(encoding="utf-8")
    assert re.search(r"@page \{\s*size: A4;", css)
    assert 'content: "— " counter(page) " —"' in css  # 页码 under the text block
    hidden = re.search(
        r"@media print \{\s*/\* the site around the notice \*/\s*([^{]+)\{ display: none !important; \}", css
    )
    assert hidden is not None
    for chrome in (".md-header", ".md-tabs", ".md-sidebar", ".md-footer", ".md-search"):
        assert chrome in hidden.group(1)


def test_a_publicity_has_no_addressee_and_its_contact_follows_the_list(sites: dict[str, Path]) -> None:
    text = article(sites["plain"], PUB)
    assert "gs-doc-to" not in text  # a 公示 addresses the public
    in_order(
        text,
        '<p class="gs-notice-number gs-doc-number">东风反诈〔2026〕1号</p>',
        "<p><strong>反诈能手</strong>（共 3 人）</p>",
        "<p><strong>优秀网格员</strong>（共 3 人）</p>",
        "<p><strong>主要事迹</strong>（共 15 项，按时间先后）</p>",
        '</ul>\n<p>公示期间如有异议，请通过以下渠道反映：东风街道综治中心 电话 0000-0000000</p>\n<div class="gs-doc-end">',
        "<p>2026年1月12日</p>",
        '<h2 id="_1">公示结果</h2>',
    )


@pytest.mark.parametrize("relative", [PUB, C25])
def test_each_deed_is_listed_once_in_date_order(sites: dict[str, Path], relative: str) -> None:
    text = article(sites["plain"], relative)
    assert text.count("事迹</strong>") == 1  # one 事迹 section, not one per honor
    # the names above give community and grid: a deed of a named worker does not repeat them
    deeds = re.findall(r"<li>(\d{4}-\d\d-\d\d) <a [^>]*>([^<]*)</a> <strong>([^<]*)</strong>(.*?)</li>", text)
    assert len(deeds) == 15  # the three holders of both honors: 15 deeds, where there were 30
    assert len(set(deeds)) == len(deeds)
    dates = [d[0] for d in deeds]
    assert dates == sorted(dates)
    assert dates[0] == "2025-01-09" and dates[-1] == "2025-10-24"


def test_a_deed_of_someone_not_named_above_says_their_community(sites: dict[str, Path]) -> None:
    text = article(sites["plain"], C03)  # 彭丽娟 is not among the month's 优秀 names
    assert re.search(r"<li>2026-03-10 <a [^>]*>彭丽娟</a>（河畔社区）<strong>协助挽回经济损失</strong>", text)
    assert re.search(r"<li>2026-03-06 <a [^>]*>马\*</a> <strong>提供重要线索破获大案</strong>", text)


def test_a_correction_and_the_notice_it_corrects_link_to_each_other(sites: dict[str, Path]) -> None:
    corrected = article(sites["plain"], C03)
    assert (
        '<p>本通报已于2026年4月20日更正，见<a href="../2026-04-20-correction-2026-03/">'
        "关于更正2026年3月网格反诈工作考评结果的通知</a>（东风反诈〔2026〕4号）。</p>"
    ) in corrected
    correction = article(sites["plain"], FIX)
    assert (
        '<p>所更正的公告：<a href="../2026-04-08-commendation-2026-03/">关于2026年3月网格反诈工作考评结果的通报表扬</a>'
        "（东风反诈〔2026〕3号，2026年4月8日）。</p>"
    ) in correction
    # a notice of another period, never corrected, says nothing of the kind
    assert "更正" not in article(sites["plain"], C09).replace("关于2026年9月", "")


def test_the_qr_code_links_to_the_online_page_only_with_a_site_url(sites: dict[str, Path]) -> None:
    assert "gs-doc-qr" not in article(sites["plain"], C09)
    assert "<svg" not in article(sites["plain"], C09)
    text = article(sites["url"], C09)
    url = SITE_URL + "notices/2026-10-09-commendation-2026-09/"
    assert f'<span class="gs-doc-url">{url}</span>' in text
    qr = re.search(r'<div class="gs-doc-qr">(<svg .*?</svg>)', text, re.S)
    assert qr is not None
    assert qr.group(1) == str(qr_svg(url))
    # and that SVG is the code of this URL, not of another one
    other = segno.make(SITE_URL + "notices/2026-04-08-commendation-2026-03/", error="m", micro=False)
    assert qr.group(1) != other.svg_inline(scale=1, border=2, omitsize=True, svgclass="gs-qr-code")
    assert 'class="gs-qr-code"' in qr.group(1) and "http" not in qr.group(1)  # no link or image to fetch


# --- printing -----------------------------------------------------------------------


def _pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


@pytest.fixture(scope="module")
def served(sites: dict[str, Path]) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    handler = functools.partial(_Quiet, directory=str(sites["url"]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def print_to_pdf(url: str, pdf: Path, profile: Path) -> int:
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            url,
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert pdf.is_file(), f"chromium wrote no PDF for {url}"
    return _pages(pdf)


@pytest.mark.parametrize("relative", [C09, C03, C25])
def test_a_sample_commendation_prints_on_one_a4_page(served: str, relative: str, tmp_path: Path) -> None:
    # built with site_url: the QR code is on the page too
    url = served + relative.removesuffix("index.html")
    assert print_to_pdf(url, tmp_path / "notice.pdf", tmp_path / "profile") == 1


def test_a_commendation_of_ten_names_prints_on_one_page(sites: dict[str, Path], served: str, tmp_path: Path) -> None:
    """The sample's 2026-09 commendation with its list doubled to ten names (and its six deeds)."""
    page = (sites["url"] / C09).read_text(encoding="utf-8")
    names = re.search(r"<ol>\n(.*?)</ol>", page, re.S)
    assert names is not None and names.group(1).count("<li>") == 5
    ten = page.replace(names.group(0), "<ol>\n" + names.group(1) * 2 + "</ol>")
    folder = sites["url"] / "notices/ten-names"
    folder.mkdir()
    (folder / "index.html").write_text(ten, encoding="utf-8")  # same depth: its relative links still work
    assert print_to_pdf(served + "notices/ten-names/", tmp_path / "ten.pdf", tmp_path / "profile") == 1
    # the test can fail: twenty names do not fit
    twenty = page.replace(names.group(0), "<ol>\n" + names.group(1) * 4 + "</ol>")
    (folder / "index.html").write_text(twenty, encoding="utf-8")
    assert print_to_pdf(served + "notices/ten-names/", tmp_path / "twenty.pdf", tmp_path / "profile") == 2


# --- 文号 order ----------------------------------------------------------------------


def test_a_higher_number_dated_before_a_lower_one_is_an_error(sample: Path) -> None:
    notices = sample / "records/notices"
    # the numbering the sample had: the correction of 2026-04-20 was 6号, the criticism of 2026-06-10 4号
    for stem, old, new in (
        ("2026-04-20-correction-2026-03", "4号", "6号"),
        ("2026-06-10-criticism-2026-05", "5号", "4号"),
        ("2026-10-09-commendation-2026-09", "6号", "5号"),
    ):
        path = notices / f"{stem}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(f"〔2026〕{old}", f"〔2026〕{new}"), encoding="utf-8")
    run = run_cli("check", "--root", str(sample))
    assert run.code == 1
    assert run.lines == [
        "records/notices/2026-04-20-correction-2026-03.yaml:2: 发文字号 东风反诈〔2026〕6号 的发文日期 2026-04-20 "
        "早于序号更小的 东风反诈〔2026〕4号（2026-06-10，records/notices/2026-06-10-criticism-2026-05.yaml）："
        "同一代字、同一年的文号按发文先后编号，请改正文号或日期",
        "发现 1 个问题，请逐条修改后重新运行 gridscore check。",
    ]


def test_numbers_of_another_prefix_are_another_series(sample: Path) -> None:
    path = sample / "records/notices/2026-04-20-correction-2026-03.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("东风反诈〔2026〕4号", "东风综治〔2026〕9号"), encoding="utf-8"
    )
    run = run_cli("check", "--root", str(sample))
    assert run.code == 0, run.err
