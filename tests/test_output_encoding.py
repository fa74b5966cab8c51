"""One output-encoding policy (PRODUCT.md §9): data reaches every page, feed and file as inert text.

Each attack from the untrusted-input issue goes through the real command line and
the built site; each test asserts the exact error or the escaped output.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator import notice_body

from .conftest import PERFECT_METRICS, PROJECT, Repo
from .test_scoring import event, events

EPOCH = "1795996800"  # 2026-11-30


def notice(repo: Repo, body: str, stem: str = "2026-04-08-commendation-2026-03", title: str = "关于表扬的通报") -> str:
    """A commendation for a sealed 2026-03 with ``body`` (a literal block: each body line is a file line)."""
    if not (repo.root / "records/seals/2026-03.yaml").exists():
        for worker in ("w1", "w2"):
            if not (repo.root / f"records/2026/03/c1/{worker}.yaml").exists():
                repo.record(worker, "2026-03")
        sealed = repo.run("seal", "2026-03")
        assert sealed.code == 0, sealed.err
    indented = "".join(f"  {line}\n" if line else "\n" for line in body.split("\n"))
    relative = f"records/notices/{stem}.yaml"
    repo.write(
        relative,
        "kind: commendation\n"
        "number: 测试反诈〔2026〕1号\n"
        f"title: {title}\n"
        "period: 2026-03\n"
        "date: 2026-04-08\n"
        "issued_by: 测试街道反诈工作领导小组\n"
        f"body: |\n{indented}",
    )
    return relative


def built(repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, audience: str = "public") -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    site = tmp_path / f"site-{audience}"
    run = repo.run("build", "--audience", audience, "--site-dir", str(site))
    assert run.code == 0, run.err
    return site


def html_files(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def no_live_markup(site: Path, *tags: str) -> None:
    """No page has an element of ``tags``, an event attribute, or a javascript: link (read as a browser would)."""
    for path, text in html_files(site).items():
        parser = _Elements()
        parser.feed(text)
        for tag, attrs in parser.tags:
            assert tag not in tags, (path, tag, attrs)
            assert not [name for name in attrs if name.startswith("on")], (path, tag, attrs)
            for name in ("href", "src", "action", "formaction"):
                assert not (attrs.get(name) or "").strip().lower().startswith("javascript:"), (path, tag, attrs)


# --- notice bodies ------------------------------------------------------------------


def test_check_refuses_what_a_notice_body_may_not_contain(repo: Repo) -> None:
    repo.record("w1", "2026-03")
    path = notice(
        repo,
        "引言。\n"
        '![宣传图](https://0.0.0.0/x.png){: onerror="alert(1)" }\n'
        "[详情](java&#115;cript:alert(1))\n"
        "<b>加粗</b>\n"
        "[外站](//0.0.0.0/x)\n"
        "[引用]: javascript:alert(2)",
    )
    run = repo.run("check")
    assert run.code == 1
    assert run.lines[:-1] == [
        f"{path}:9: 正文不能插入图片（![...](...)）：公示网站不从外部加载图片",
        f"{path}:9: 正文不能用 {{: ...}} 属性写法：样式由网站统一设置，请删除花括号部分",
        f"{path}:10: 正文不能含 javascript: 链接；只能链接到 http(s) 网址、mailto: 邮箱、tel: 电话或本站页面",
        f"{path}:11: 正文不能含 HTML 标签（<b>、</b>），请只用 Markdown",
        f"{path}:12: 链接“//0.0.0.0/x”缺少 https:，外部网址请写完整，如 https://www.gov.cn/",
        f"{path}:13: 正文不能含 javascript: 链接；只能链接到 http(s) 网址、mailto: 邮箱、tel: 电话或本站页面",
    ]


def test_a_body_link_to_a_repository_file_is_refused_by_check_not_by_build(repo: Repo) -> None:
    repo.record("w1", "2026-03")
    path = notice(repo, "详见[考评记录](../../records/2026/03/c1/w1.yaml)和[排行榜](rankings/2026-03/)。")
    run = repo.run("check")
    assert run.code == 1
    assert run.lines[0] == (
        f"{path}:8: 正文链接“../../records/2026/03/c1/w1.yaml”不是本站的页面：站内链接写网站上的地址，"
        "如 rankings/2026-03/（排行榜）、notices/（公示公告）、data/monthly.csv；仓库里的文件（如 records/…）不会发布，不能链接"
    )
    assert len(run.lines) == 2


def test_body_links_inside_the_site_resolve_relative_to_the_notice(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.record("w1", "2026-03")
    notice(
        repo,
        "详见[排行榜](rankings/2026-03/)、[公告](/notices/)、[数据](data/monthly.csv)、"
        "[首页](/)和[外站](https://www.gov.cn/)，邮件 [联系](mailto:zz@example.gov.cn)。",
    )
    assert repo.run("check").code == 0
    page = html_files(built(repo, tmp_path, monkeypatch))["notices/2026-04-08-commendation-2026-03/index.html"]
    assert '<a href="../../rankings/2026-03/" rel="noopener noreferrer">排行榜</a>' in page
    assert '<a href="../" rel="noopener noreferrer">公告</a>' in page
    assert '<a href="../../data/monthly.csv" rel="noopener noreferrer">数据</a>' in page
    assert '<a href="../.." rel="noopener noreferrer">首页</a>' in page or '<a href="../../" rel' in page
    assert '<a href="https://www.gov.cn/" rel="noopener noreferrer">外站</a>' in page
    assert '<a href="mailto:zz@example.gov.cn" rel="noopener noreferrer">联系</a>' in page


def test_the_renderer_is_a_second_wall() -> None:
    """Whatever check would refuse, the renderer makes inert on its own."""
    body = (
        "# 标题\n\n<script>alert(1)</script> <img src=x onerror=alert(1)>\n\n"
        '![宣传图](https://0.0.0.0/x.png){: onerror="alert(1)" }\n\n'
        "[a](java&#115;cript:alert(1)) [b](javascript:alert(1)) [c](//0.0.0.0/) [d](records/x.yaml)\n\n"
        "[r][ref]\n\n[ref]: JaVaScRiPt:alert(2)\n\n| 表 | 格 |\n| --- | --- |\n| **1** | 2 |\n"
    )
    out = notice_body.to_html(body, notice_body.resolver(set()))
    assert "<script" not in out and "<img" not in out
    assert not re.search(r"<[a-z][^>]*\son[a-z]+=", out)  # no element has an event attribute
    assert "href" not in out  # no link survived: none was allowed
    assert '<p>![宣传图](https://0.0.0.0/x.png){: onerror="alert(1)" }</p>' in out  # shown as text
    assert "<h2>标题</h2>" in out
    assert "<td><strong>1</strong></td>" in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_the_notice_body_is_sanitized_on_the_built_page(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.record("w1", "2026-03")
    notice(repo, "**号召**：全体网格员向受表扬同志学习。\n\n> 引用\n\n- 一\n- 二")
    site = built(repo, tmp_path, monkeypatch)
    page = html_files(site)["notices/2026-04-08-commendation-2026-03/index.html"]
    assert "<p><strong>号召</strong>：全体网格员向受表扬同志学习。</p>" in page
    assert "<blockquote>\n<p>引用</p>\n</blockquote>" in page
    assert "<ul>\n<li>一</li>\n<li>二</li>\n</ul>" in page


# --- text from records, the organization and the rubric ----------------------------------

RUBRIC_PAYLOADS = {
    "name: 宣传教育普及": 'name: "<img src=x onerror=alert(1)>"',
    "name: 基础工作落实": 'name: "{: onclick=\\"alert(2)\\" }类别"',
    "name: 优秀网格员": 'name: "优秀{: onmouseover=alert(3) }"',
    "{id: excellent, name: 优秀, min: 90}": "{id: excellent, name: '<svg onload=alert(4)>', min: 90}",
    "name: 成功劝阻重大涉案金额": "name: '[事件](javascript:alert(5))'",
}


def test_markup_in_rubric_names_is_text_on_every_page_and_in_the_nav(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rubric = (repo.root / "rubric/2026.yaml").read_text(encoding="utf-8")
    for old, new in RUBRIC_PAYLOADS.items():
        assert old in rubric
        rubric = rubric.replace(old, new, 1)
    repo.write("rubric/2026.yaml", rubric)
    repo.record("w1", "2026-03", extra=events(event("major_dissuasion", "2026-03-12", "    amount_yuan: 80000\n")))
    assert repo.run("check").code == 0
    for audience in ("public", "internal"):
        site = built(repo, tmp_path, monkeypatch, audience)
        no_live_markup(site, "img", "iframe")
        pages = html_files(site)
        assert "&lt;img src=x onerror=alert(1)&gt;" in pages["rubric/2026/index.html"]
        for path, text in pages.items():
            assert 'onclick="alert(2)"' not in text and "onmouseover=alert(3)" not in text.replace(
                "{: onmouseover=alert(3) }", ""
            ), path


def test_markup_in_names_and_summaries_never_becomes_an_attribute(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = '上门劝阻{: onclick="alert(1)" } | 表格 | ![图](https://0.0.0.0/x.png)'
    repo.record(
        "w1",
        "2026-03",
        extra=events(event("major_dissuasion", "2026-03-12", "    amount_yuan: 80000\n")).replace(
            "测试事迹", f"'{summary}'"
        ),
    )
    org = (repo.root / "records/organization.yaml").read_text(encoding="utf-8")
    org = org.replace("name: 张三", "name: '张三{: onclick=alert(2) }'").replace(
        "name: 第一社区", "name: '第一社区 | ## 标题'"
    )
    repo.write("records/organization.yaml", org)
    notice(repo, "表扬。", title="'关于{: onclick=alert(3) }的通报'")
    assert repo.run("check").code == 0
    site = built(repo, tmp_path, monkeypatch, "internal")
    no_live_markup(site, "img", "iframe")
    pages = html_files(site)
    worker = pages["workers/w1/index.html"]
    assert "张三{: onclick=alert(2) }" in worker
    assert "上门劝阻{: onclick=&#34;alert(1)&#34; } | 表格 | ![图](https://0.0.0.0/x.png)" in worker
    for path, text in pages.items():
        assert "onclick=" not in re.sub(r"\{: onclick=[^}]*\}", "", text), path
        assert "0.0.0.0" not in re.sub(r"!\[图\]\(https://0\.0\.0\.0/x\.png\)", "", text), path


# --- feeds and files ----------------------------------------------------------------


def test_rss_descriptions_are_plain_text(repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.record("w1", "2026-03")
    notice(repo, "**全体**网格员]]></description><x>学习 [排行榜](rankings/2026-03/)。\n\n第二段。")
    assert repo.run("check").code == 1  # the <x> tag is refused by check ...
    # ... and the feed is plain text even for a body check never saw
    feed_item = notice_body.plain_text(
        "**全体**网格员]]></description><x>学习 [排行榜](rankings/2026-03/)。\n\n第二段。"
    )
    assert feed_item == "全体网格员]]></description><x>学习 排行榜。"
    notice(repo, "**全体**网格员向 [3 月先进](rankings/2026-03/) 学习。\n\n第二段。")
    shutil.copytree(PROJECT / "site_templates", repo.root / "site_templates")  # a feed needs a site_url
    config = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    repo.write("mkdocs.yml", f"site_url: https://example.gov.cn/fanzha/\n{config}")
    site = built(repo, tmp_path, monkeypatch)
    channel = ET.parse(site / "notices/feed.xml").getroot().find("channel")
    assert channel is not None
    descriptions = [item.findtext("description") for item in channel.iter("item")]
    assert descriptions == ["全体网格员向 3 月先进 学习。"]


def test_csv_cells_never_start_a_formula(repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    org = (repo.root / "records/organization.yaml").read_text(encoding="utf-8")
    org = org.replace("name: 张三", "name: '=HYPERLINK(\"http://0.0.0.0\")'").replace(
        "name: 第一社区", "name: '@SUM(1)'"
    )
    repo.write("records/organization.yaml", org)
    repo.record("w1", "2026-03")
    assert repo.run("check").code == 0
    site = built(repo, tmp_path, monkeypatch)
    rows = list(csv.reader(io.StringIO((site / "data/monthly.csv").read_text(encoding="utf-8-sig"))))
    names = [row[rows[0].index("name")] for row in rows[1:]]
    assert names == ['\'=HYPERLINK("http://0.0.0.0")']
    for row in rows:
        for value in row:
            assert not value.startswith(("=", "+", "@")), value


# --- the pull-request report ------------------------------------------------------------


def test_a_name_cannot_rewrite_the_pr_report(repo: Repo) -> None:
    from .test_workflow import commit, git

    repo.record("w1", "2026-03")
    repo.record("w2", "2026-03")
    git(repo.root, "init", "-q", "-b", "main")
    base = commit(repo, "三月考评")
    org = (repo.root / "records/organization.yaml").read_text(encoding="utf-8")
    repo.write("records/organization.yaml", org.replace("name: 张三", "name: '张三 | ## ✅ 审核结论 @all [x](y)'"))
    repo.record("w1", "2026-03", metrics=PERFECT_METRICS.replace("case_assistance: excellent", "case_assistance: good"))
    run = repo.run("diff", base)
    assert run.code == 0, run.err
    rows = [line for line in run.out.splitlines() if line.startswith("| w1 ")]
    assert rows == [
        "| w1 张三 \\| \\#\\# ✅ 审核结论 &#64;all \\[x\\](y) | **100.00 → 98.00** | 优秀 | **1 → 2** | 0.00 | 0.00 | 否 |",
        "| w1 张三 \\| \\#\\# ✅ 审核结论 &#64;all \\[x\\](y) | **100.00 → 98.00** | — | **100.00 → 98.00** | 良好 | **1 → 2** | — |",
    ]
    assert not [line for line in run.out.splitlines() if line.startswith("#") and "审核结论" in line]


# --- the repository's own templates -------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{% if x %}\n", "模板语法错误：模板提前结束：缺少结束标签（如 {% endif %}、{% endfor %}）"),
        ("{{ nonexistent.x }}\n", "模板出错：变量 nonexistent 没有定义（拼错了，或页面没有这项内容）"),
    ],
)
def test_a_broken_template_is_an_error_at_its_line(repo: Repo, tmp_path: Path, line: str, message: str) -> None:
    import shutil

    from .conftest import PROJECT

    shutil.copytree(PROJECT / "site_templates", repo.root / "site_templates")
    shutil.copy(PROJECT / "mkdocs.yml", repo.root / "mkdocs.yml")
    home = repo.root / "site_templates/home.md.j2"
    lines = home.read_text(encoding="utf-8").count("\n")
    home.write_text(home.read_text(encoding="utf-8") + line, encoding="utf-8")
    repo.record("w1", "2026-03")
    run = repo.run("build", "--site-dir", str(tmp_path / "site"))
    assert run.code == 1
    assert run.lines[0] == (
        f"site_templates/home.md.j2:{lines + 1}: {message}；请改正模板，或从 gridscore 的项目中恢复原来的 site_templates/"
    )
    assert not (tmp_path / "site").exists()
    if "语法" in message:  # a template that does not parse: check says so too, before any build
        checked = repo.run("check")
        assert checked.code == 1 and checked.lines[0] == run.lines[0]


def test_check_refuses_a_template_filter_that_would_let_data_through(repo: Repo) -> None:
    import shutil

    from .conftest import PROJECT

    shutil.copytree(PROJECT / "site_templates", repo.root / "site_templates")
    shutil.copy(PROJECT / "mkdocs.yml", repo.root / "mkdocs.yml")
    rubric = repo.root / "site_templates/rubric.md.j2"
    lines = rubric.read_text(encoding="utf-8").count("\n")
    rubric.write_text(rubric.read_text(encoding="utf-8") + "{{ rubric.title | safe }}\n", encoding="utf-8")
    repo.record("w1", "2026-03")
    run = repo.run("check")
    assert run.code == 1
    assert run.lines[0] == (
        f"site_templates/rubric.md.j2:{lines + 1}: 模板语法错误：没有名为 safe 的过滤器（可用的有 md、cell、e、join、fmt 等）"
        "；请改正模板，或从 gridscore 的项目中恢复原来的 site_templates/"
    )


def test_every_page_of_the_site_is_one_a_notice_may_link_to(tmp_path: Path) -> None:
    """notice_body.SECTIONS, which check uses before the site is gathered, covers every page and file it has."""
    from generator.results import Results
    from generator.site import site_files
    from generator.site_sections import gather_site
    from generator.validate import load_dataset

    from .conftest import PROJECT

    dataset = load_dataset(PROJECT)
    for audience in ("public", "internal"):
        files = site_files(gather_site(dataset, Results(dataset), audience, date(2026, 12, 2)))
        assert files
        for path in files:
            assert notice_body.could_be_page(path), path


def test_every_expression_of_a_markdown_template_is_escaped_without_a_filter() -> None:
    """The policy is in the environment, not in each template: no filter is needed, and none lets data through."""
    from generator.render import environment

    from .conftest import PROJECT

    env = environment(PROJECT)
    assert "safe" not in env.filters and "urlize" not in env.filters and "format" not in env.filters
    data = '<b>x</b> {: onclick="y" } | [z](javascript:w) *'
    template = env.from_string(
        "{{ x }}\n{{ [x, x] | join('、') }}\n{{ x | default('') }}\n{{ x ~ '' }}\n{{ x | upper }}\n{{ x | e }}"
    )
    for line in template.render(x=data).splitlines()[:-1]:
        lower = line.lower()  # one line is | upper
        assert "<b>" not in lower and "&lt;b&gt;" in lower, line
        assert "\\{: onclick=" in lower and "\\[z\\]\\(javascript:w\\)" in lower and "\\|" in lower, line
    assert template.render(x=data).splitlines()[-1].startswith("&lt;b&gt;x&lt;/b&gt; {: onclick=&quot;y&quot; }")


def test_diff_and_check_agree_on_a_link_to_no_page(repo: Repo) -> None:
    """One chain (pipeline.check): what check refuses, the PR report calls invalid too."""
    from .test_workflow import commit, git

    repo.record("w1", "2026-03")
    git(repo.root, "init", "-q", "-b", "main")
    base = commit(repo, "三月考评")
    path = notice(repo, "详见[4月排行榜](rankings/2026-04/)。")  # a page of the site, but not of this one
    checked = repo.run("check")
    assert checked.code == 1
    report = repo.run("diff", base)
    assert report.code == 1
    assert "**❌ 校验未通过**" in report.out
    assert checked.lines[0] in report.out.splitlines()
    assert checked.lines[0].startswith(f"{path}:8: 正文链接“rankings/2026-04/”不是本站的页面")


def test_a_notice_dated_after_today_is_refused(repo: Repo) -> None:
    path = notice(repo, "表扬。")
    run = repo.run("check", "--today", "2026-04-05")
    assert run.code == 1
    assert run.lines[:-1] == [
        f"{path}:5: 发文日期 2026-04-08 晚于今天（2026-04-05）：不能填写将来的日期，请核对年份和月份（要按另一天检查，用 --today）"
    ]
    assert repo.run("check", "--today", "2026-04-08").code == 0
