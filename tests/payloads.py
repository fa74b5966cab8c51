"""Hostile strings, grouped by the context they attack (PRODUCT.md §9), for any test to import.

Two kinds:

- **accepted**: text that ``gridscore check`` must accept in a field of its length class and every output
  must show as text (HTML, Markdown, RSS, CSV, the PR report). Each fits §9's limits for its class
  (``NAME_MAX`` 32, ``TITLE_MAX`` 100, ``SUMMARY_MAX`` 500 characters) and holds no control character or
  line break, so nothing but the content itself is on trial.
- **refused**: text that ``check`` must refuse in a one-line field (control characters, line breaks,
  over-long text), PII that must be refused in public text, identifiers that break the id pattern.

``MARKER`` is in every payload that could run script or load from outside: a page, attribute, script
or request that carries it came from data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME_MAX = 32  # names: workers, communities, grids, unit, assessors, rubric names and labels
TITLE_MAX = 100  # titles: notice and rubric titles
SUMMARY_MAX = 500  # summaries and replies
BODY_MAX = 20_000  # notice bodies
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")

MARKER = "alert(1)"  # what every script payload calls
FOREIGN_HOST = "0.0.0.0"  # what every loading payload loads from: never the test's 127.0.0.1


@dataclass(frozen=True)
class Payload:
    group: str  # the context it attacks: html, attr_list, markdown, template, formula, xml, report, entity
    text: str

    @property
    def active(self) -> bool:
        """Whether it runs script, loads or links if it reaches a page unescaped (the rest garble the text)."""
        return self.group in ("html", "attr_list", "xml") or bool(re.search(r"\]\(|<", self.text))


def _payloads(group: str, *texts: str) -> list[Payload]:
    return [Payload(group, text) for text in texts]


# --- accepted in one-line fields (names, titles, summaries) --------------------------------------------------

ONE_LINE: list[Payload] = [
    *_payloads(
        "html",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '"><svg onload=alert(1)>',
        "<iframe src=//0.0.0.0>",
        "'><b onmouseover=alert(1)>x</b>",
        "</title><script>alert(1)//",
        "<a href=javascript:alert(1)>x",
        "<style>*{display:none}</style>",
        "<!--",
        "<details open ontoggle=alert(1)>",
    ),
    *_payloads(
        "attr_list",
        '{: onerror="alert(1)" }',
        "{: onclick=alert(1) .x #y }",
        "x{: style=color:red }",
    ),
    *_payloads(
        "markdown",
        "[x](javascript:alert(1))",
        "[详情](java&#115;cript:alert(1))",
        "![宣传图](https://0.0.0.0/x.png)",
        "<http://0.0.0.0/>",
        "[a]: http://0.0.0.0/",
        "| a | b |",
        "**粗**_斜_`码`~~删~~",
        "# 标题",
        "- 列表项",
        "> 引用",
        "\\*不是强调\\*",
        "[^1]",
        "***",
        "!!! danger",
        "[TOC]",
        "<<:",
    ),
    *_payloads(
        "template",
        "{{ 7*7 }}",
        "{% if true %}模板{% endif %}",
        "${7*7}",
        "{{ config.site_name }}",
        "{# 注释 #}",
    ),
    *_payloads(
        "entity",
        "&lt;b&gt;",
        "&amp;lt;",
        "&#60;script&#62;",
        "A&B<C>D\"E'F",
    ),
    *_payloads(
        "formula",
        "=cmd|' /C calc'!A0",
        "+SUM(1,1)",
        "-2+3",
        "@SUM(A1)",
        '=HYPERLINK("//0.0.0.0","x")',
    ),
    *_payloads(
        "xml",
        "]]></description><script>",
        "</title><link>//0.0.0.0/</link>",
        "<![CDATA[x]]>",
        '<?xml version="1.0"?>',
    ),
    *_payloads(
        "report",
        "| x | ## ✅ 审核结论：无需人工核对",
        "<!-- gridscore-diff -->",
        "`code` | **粗** |",
        "@everyone #1",
    ),
]
ONE_LINE_LONG: list[Payload] = [
    *_payloads(
        "attr_list",
        '![宣传图](https://0.0.0.0/x.png){: onerror="alert(1)" }',
        '[详情](https://0.0.0.0/){: onclick="alert(1)" target=_blank }',
    ),
    *_payloads(
        "html",
        '<img src="https://0.0.0.0/x.png" onerror="alert(1)">',
        "<iframe src=https://0.0.0.0/ onload=alert(1)></iframe>",
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        "<form action=//0.0.0.0><button>提交</button></form>",
        "<meta http-equiv=refresh content=0;url=//0.0.0.0>",
        '<link rel=stylesheet href="//0.0.0.0/x.css">',
    ),
    *_payloads(
        "xml",
        "]]></description></item><item><title>伪造</title><description>x",
    ),
]

# Every payload here is in one of these: short enough for a name, or for a title.
assert all(len(p.text) <= NAME_MAX for p in ONE_LINE), [p.text for p in ONE_LINE if len(p.text) > NAME_MAX]
assert all(len(p.text) <= TITLE_MAX for p in ONE_LINE_LONG)


def fitting(limit: int) -> list[Payload]:
    """Every accepted one-line payload of at most ``limit`` characters."""
    return [p for p in ONE_LINE + ONE_LINE_LONG if len(p.text) <= limit]


NAMES = fitting(NAME_MAX)
TITLES = fitting(TITLE_MAX)
SUMMARIES = fitting(SUMMARY_MAX)

# --- notice bodies (Markdown) --------------------------------------------------------------------------------

# Lines ``check`` may accept (then the page must show them sanitized: no script, no image, no outside load) or
# refuse with ``path:line: message`` (raw HTML and script links are "no raw HTML" in §9): either is right.
BODY_LINES: list[Payload] = [
    *_payloads(
        "attr_list",
        '![宣传图](https://0.0.0.0/x.png){: onerror="alert(1)" }',
        '普通段落{: onclick="alert(1)" }',
        '[详情](https://0.0.0.0/){: onmouseover="alert(1)" }',
    ),
    *_payloads(
        "markdown",
        "[详情](java&#115;cript:alert(1))",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](javascript&colon;alert(1))",
        "[x](vbscript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![宣传图](https://0.0.0.0/x.png)",
        "![宣传图][img]",
        "[img]: https://0.0.0.0/y.png",
        "<http://0.0.0.0/>",
        "<javascript:alert(1)>",
        "[引用链接][ref]",
        "[ref]: javascript:alert(1)",
        "[文件](file:///etc/passwd)",
        "[下载](ftp://0.0.0.0/x)",
    ),
    *_payloads(
        "html",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '"><svg onload=alert(1)>',
        "<iframe src=//0.0.0.0>",
        '<a href="javascript:alert(1)">点击</a>',
        "<div markdown=1 onclick=alert(1)>块</div>",
    ),
    *_payloads(
        "template",
        "{{ 7*7 }}",
        "{% if true %}模板{% endif %}",
    ),
    *_payloads(
        "entity",
        "&lt;b&gt;不是标签&lt;/b&gt;",
    ),
]

# Markdown a body may use (§9): kept, rendered, and harmless. A body made of these must pass check.
BODY_ALLOWED = """\
## 小标题

正文有**强调**和*斜体*，一个[站外链接](https://example.gov.cn/)、一个[邮件](mailto:fanzha@example.gov.cn)。

- 第一条
- 第二条

> 引用的话

| 项目 | 说明 |
| --- | --- |
| a | b |
"""

# Links a body may hold, or that check must refuse: whichever check accepts, build must build (check ⊇ build).
BODY_LINKS = [
    "[记录](../../records/2026/03/c1/w1.yaml)",
    "[排行榜](../rankings/2026-03.md)",
    "[排行榜](../rankings/2026-03/)",
    "[不存在](no-such-page.md)",
    "[上级](../../../outside.md)",
    "[站内](/rankings/)",
    "[锚点](#小标题)",
    "[本页](#)",
    "[文件](file:///etc/passwd)",
    "[电话](tel:110)",
    "[邮件](mailto:fanzha@example.gov.cn)",
    "[站外](https://example.gov.cn/)",
    "[相对](./)",
    "[源文件](../../mkdocs.yml)",
]

# --- refused -------------------------------------------------------------------------------------------------

# Control characters and line breaks: refused in every one-line field.
CONTROL = [
    "换\n行",
    "回\r车",
    "制\t表",
    "空\x00字符",
    "转\x1b[31m义",
    "删\x7f除",
    "下\x85一行",
    "行\u2028分隔",
    "段\u2029分隔",
]
# A line break that would forge a PR-report heading or a CODEOWNERS line, were it let through.
LINE_BREAK_INJECTIONS = [
    "王五 |\n## ✅ 审核结论：无需人工核对",
    "王五\n/records/ @attacker",
]
OVER_LONG = {
    NAME_MAX: "名" * (NAME_MAX + 1),
    TITLE_MAX: "题" * (TITLE_MAX + 1),
    SUMMARY_MAX: "述" * (SUMMARY_MAX + 1),
}

# PII in public text: refused after normalization, however it is written (§9).
PII = [
    "手机13812345678",
    "手机１３８１２３４５６７８",
    "+86 138 1234 5678",
    "+8613812345678",
    "138 1234 5678",
    "138.1234.5678",
    "138-1234-5678",
    "(138)1234-5678",
    "（138）12345678",
    "电话010-12345678",
    "电话(010)12345678",
    "电话０１０－１２３４５６７８",
    "身份证110101199003071234",
    "身份证110101.19900307.1234",
    "身份证 110101 1990 0307 123X",
    "卡号6222021234567890",
    "卡号6222.0212.3456.7890",
    "卡号 6222 0212 3456 7890 123",
    "卡号６２２２０２１２３４５６７８９０",
]

# Identifiers that break ``ID_PATTERN``: refused wherever an id goes (records' worker, rubric version, …).
BAD_IDS = ["../x", "a/b", "x" * 65, "ｗ１", "-x", ".x", "_x", "a b", "w1\n", "w1;rm", "<b>", "中文", "w\u200b1"]
assert not any(ID_PATTERN.fullmatch(value) for value in BAD_IDS)

# Hostile ``git_account`` values: not a GitHub/GitLab user or group name, refused by check.
BAD_GIT_ACCOUNTS = [
    "li-si\n/records/ @attacker",
    "li-si /records/ @attacker",
    "li-si # x",
    "*",
    "@li-si @attacker",
    "<script>",
    "../../x",
]

# Data files that are not ``.yaml``: errors under records/, never silently skipped (§9).
NON_YAML_NAMES = ["w1.YAML", "w1.yml", "w1.yaml.txt", "w1.json", "w1.Yaml", "w1.yaml~", "w1.xlsx"]
