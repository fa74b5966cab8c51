"""Identifiers, text lengths and invisible characters (§9 "Identifiers", "Text"), through ``gridscore check``.

Each bound is tested just over its limit (and just at it where that is the whole point), each
payload of issue 11 literally, and each message line exactly.
"""

from __future__ import annotations

import pytest

from generator.errors import GridscoreError
from generator.models import Organization
from generator.scaffold import codeowners

from .conftest import ORGANIZATION, PERFECT_METRICS, Repo
from .test_bad_input import NOTICE, NP, P, assert_ok, assert_problems, event, seal_march, write_record

ORG = "records/organization.yaml"
RUBRIC = "rubric/2026.yaml"
W2 = "name: 欧阳娜娜"  # on line 17 of the organization
A1 = "{id: a1, name: 李四, org: 综治办, communities: all}"  # line 20


def org_with(repo: Repo, old: str, new: str) -> None:
    assert old in ORGANIZATION, old
    repo.write(ORG, ORGANIZATION.replace(old, new, 1))


def rubric_with(repo: Repo, old: str, new: str) -> None:
    text = (repo.root / RUBRIC).read_text(encoding="utf-8")
    assert old in text, old
    repo.write(RUBRIC, text.replace(old, new, 1))


# --- names --------------------------------------------------------------------


def test_a_100000_character_worker_name_is_refused_at_once(repo: Repo) -> None:
    org_with(repo, W2, "name: " + "欧" * 100_000)
    assert_problems(repo, f"{ORG}:17: “name”不能超过 32 个字符，实际为 100000 个字符")


def test_a_name_of_32_characters_is_fine_and_33_is_not(repo: Repo) -> None:
    org_with(repo, W2, "name: " + "欧" * 32)
    assert_ok(repo)
    org_with(repo, W2, "name: " + "欧" * 33)
    assert_problems(repo, f"{ORG}:17: “name”不能超过 32 个字符，实际为 33 个字符")


@pytest.mark.parametrize(
    "old, new, expected",
    [
        pytest.param(
            W2,
            'name: "欧阳\\n娜娜"',
            f"{ORG}:17: “name”不能含有换行或控制字符（第 3 个字符是换行），请写成一行",
            id="line-break",
        ),
        pytest.param(
            # The PR report payload: a table cell closed, a line break, a heading that looks like the verdict.
            W2,
            'name: "娜娜 | 100 |\\n## ✅ 审核结论：无需人工核对"',
            f"{ORG}:17: “name”不能含有换行或控制字符（第 11 个字符是换行），请写成一行",
            id="pr-report-injection",
        ),
        pytest.param(
            W2,
            'name: "欧阳\\u202e娜娜"',
            f"{ORG}:17: “name”不能含有换行或控制字符（第 3 个字符是文字方向控制符 U+202E，"
            "它会让文字显示的顺序与实际不同），请删除这个字符",
            id="bidi-override",
        ),
        pytest.param(
            "name: 第二社区",
            'name: "第二\\u2066社区"',
            f"{ORG}:12: “name”不能含有换行或控制字符（第 3 个字符是文字方向控制符 U+2066，"
            "它会让文字显示的顺序与实际不同），请删除这个字符",
            id="bidi-isolate-in-community",
        ),
        pytest.param(
            "name: 第二网格",
            'name: "第二\\u2028网格"',
            f"{ORG}:10: “name”不能含有换行或控制字符（第 3 个字符是换行符 U+2028），请写成一行",
            id="line-separator-in-grid",
        ),
        pytest.param(
            "short: 测试街道",
            'short: "测试\\N街道"',
            f"{ORG}:3: “short”不能含有换行或控制字符（第 3 个字符是换行符 U+0085），请写成一行",
            id="next-line-in-unit",
        ),
        pytest.param(
            "org: 综治办",
            'org: "综治\\u200b办"',
            f"{ORG}:20: “org”不能含有换行或控制字符（第 3 个字符是不可见的格式字符 U+200B），请删除这个字符",
            id="zero-width-space",
        ),
        pytest.param(
            "leading_group: 测试街道反诈工作领导小组",
            'leading_group: "测试街道\\t领导小组"',
            f"{ORG}:4: “leading_group”不能含有换行或控制字符（第 5 个字符是制表符 Tab），请改用空格",
            id="tab",
        ),
        pytest.param(
            W2,
            'name: "欧阳\\a"',
            f"{ORG}:17: “name”不能含有换行或控制字符（第 3 个字符是控制字符 U+0007），请删除这个字符",
            id="bell",
        ),
    ],
)
def test_names_hold_no_line_break_control_or_bidi_character(repo: Repo, old: str, new: str, expected: str) -> None:
    org_with(repo, old, new)
    assert_problems(repo, expected)


def test_emoji_joiners_and_rare_characters_in_names_are_fine(repo: Repo) -> None:
    org_with(repo, W2, 'name: "欧阳娜娜👩\u200d👧"')
    assert_ok(repo)


# --- identifiers --------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, expected",
    [
        pytest.param(
            "id: w2,",
            "id: " + "w" * 65 + ",",
            f"{ORG}:17: “id”不能超过 64 个字符，实际为 65 个字符",
            id="65-characters",
        ),
        pytest.param("id: w2,", "id: '..',", f"{ORG}:17: “id”须以英文字母或数字开头，实际为 “..”", id="dot-dot"),
        pytest.param("id: w2,", "id: .w2,", f"{ORG}:17: “id”须以英文字母或数字开头，实际为 “.w2”", id="leading-dot"),
        pytest.param(
            "id: w2,",
            "id: 'w2/../..',",
            f"{ORG}:17: “id”只能包含英文字母、数字、-、_ 和 .，且不能有空格，实际为 “w2/../..”",
            id="slash",
        ),
        pytest.param(
            "  - id: c2\n",
            "  - id: '<b>c2</b>'\n",
            f"{ORG}:11: “id”只能包含英文字母、数字、-、_ 和 .，且不能有空格，实际为 “<b>c2</b>”",
            id="html-community",
        ),
    ],
)
def test_identifiers_follow_the_pattern(repo: Repo, old: str, new: str, expected: str) -> None:
    org_with(repo, old, new)
    assert_problems(repo, expected)


def test_an_identifier_of_64_characters_is_fine(repo: Repo) -> None:
    org_with(repo, "id: w2,", "id: " + "w" * 64 + ",")
    assert_ok(repo)


def test_rubric_version_that_climbs_out_of_the_repository_is_refused(repo: Repo) -> None:
    rubric_with(repo, 'version: "2026"', 'version: "../../../../outside"')
    assert_problems(
        repo, f"{RUBRIC}:5: “version”只能包含英文字母、数字、-、_ 和 .，且不能有空格，实际为 “../../../../outside”"
    )


@pytest.mark.parametrize(
    "old, new, expected",
    [
        pytest.param(
            'version: "2026"',
            'version: "<img src=x onerror=alert(1)>"',
            f"{RUBRIC}:5: “version”只能包含英文字母、数字、-、_ 和 .，且不能有空格，实际为 “<img src=x onerror=alert(1)>”",
            id="html-version",
        ),
        pytest.param(
            "{id: excellent, name: 优秀, min: 90}",
            "{id: 'excellent\"><script>', name: 优秀, min: 90}",
            f'{RUBRIC}:184: “id”只能包含英文字母、数字、-、_ 和 .，且不能有空格，实际为 “excellent"><script>”',
            id="html-grade-id",
        ),
        pytest.param(
            "  - id: major_dissuasion\n",
            "  - id: " + "m" * 65 + "\n",
            f"{RUBRIC}:160: “id”不能超过 64 个字符，实际为 65 个字符",
            id="long-event-kind",
        ),
        pytest.param(
            "key_people_reached: 走访宣传覆盖的重点人群人数",
            "'key people': 走访宣传覆盖的重点人群人数",
            f"{RUBRIC}:49: “key people”只能包含英文字母、数字、-、_ 和 .，且不能有空格，实际为 “key people”",
            id="metric-field-name",
        ),
        pytest.param(
            "name: 宣传教育普及",
            "name: " + "宣" * 33,
            f"{RUBRIC}:41: “name”不能超过 32 个字符，实际为 33 个字符",
            id="item-name",
        ),
        pytest.param(
            "name: 优秀网格员",
            'name: "优秀\\n网格员"',
            f"{RUBRIC}:202: “name”不能含有换行或控制字符（第 3 个字符是换行），请写成一行",
            id="honor-name-line-break",
        ),
        pytest.param(
            "description: 年度考评等次为优秀。",
            "description: " + "优" * 501,
            f"{RUBRIC}:204: “description”不能超过 500 个字符，实际为 501 个字符",
            id="honor-description",
        ),
        pytest.param(
            "title: 网格反诈奖惩考评标准（2026 版）",
            "title: " + "标" * 101,
            f"{RUBRIC}:6: “title”不能超过 100 个字符，实际为 101 个字符",
            id="rubric-title",
        ),
    ],
)
def test_rubric_ids_and_texts_are_bounded(repo: Repo, old: str, new: str, expected: str) -> None:
    rubric_with(repo, old, new)
    assert_problems(repo, expected)


# --- records ------------------------------------------------------------------


@pytest.mark.parametrize("field, line", [pytest.param("summary", 17), pytest.param("evidence", 18)])
def test_event_texts_are_bounded(repo: Repo, field: str, line: int) -> None:
    write_record(repo, PERFECT_METRICS, event("key_lead_case_solved", **{field: "劝" * 500}))
    assert_ok(repo)
    write_record(repo, PERFECT_METRICS, event("key_lead_case_solved", **{field: "劝" * 501}))
    assert_problems(repo, f"{P}:{line}: “{field}”不能超过 500 个字符，实际为 501 个字符")


def test_internal_notes_are_bounded_too(repo: Repo) -> None:
    write_record(repo, extra="notes: " + "备" * 2001 + "\n")
    assert_problems(repo, f"{P}:14: “notes”不能超过 2000 个字符，实际为 2001 个字符")


def test_a_summary_with_a_line_break_is_refused(repo: Repo) -> None:
    write_record(repo, PERFECT_METRICS, event("key_lead_case_solved", summary='"提供线索\\r\\n协助破案"'))
    assert_problems(repo, f"{P}:17: “summary”不能含有换行或控制字符（第 5 个字符是回车符 \\r），请写成一行")


# --- notices ------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, expected",
    [
        pytest.param(
            "title: 关于2026年3月网格反诈工作考评结果的通报表扬",
            "title: " + "关" * 101,
            f"{NP}:3: “title”不能超过 100 个字符，实际为 101 个字符",
            id="title",
        ),
        pytest.param(
            "number: 东风反诈〔2026〕3号",
            "number: " + "东" * 30 + "〔2026〕3号",
            f"{NP}:2: “number”不能超过 32 个字符，实际为 38 个字符",
            id="number",
        ),
        pytest.param(
            "issued_by: 东风街道反诈工作领导小组",
            "issued_by: " + "东" * 101,
            f"{NP}:6: “issued_by”不能超过 100 个字符，实际为 101 个字符",
            id="issued-by",
        ),
        pytest.param(
            "title: 关于2026年3月网格反诈工作考评结果的通报表扬",
            'title: "关于\\u202e扬表报通的果结评考"',
            f"{NP}:3: “title”不能含有换行或控制字符（第 3 个字符是文字方向控制符 U+202E，"
            "它会让文字显示的顺序与实际不同），请删除这个字符",
            id="bidi-title",
        ),
    ],
)
def test_notice_texts_are_bounded(repo: Repo, old: str, new: str, expected: str) -> None:
    write_record(repo)
    seal_march(repo)
    assert old in NOTICE
    repo.write(NP, NOTICE.replace(old, new))
    assert_problems(repo, expected)


def test_a_body_of_20000_characters_is_fine_and_one_more_is_not(repo: Repo) -> None:
    write_record(repo)
    seal_march(repo)
    head = NOTICE.split("body:")[0]
    repo.write(NP, head + "body: |\n" + ("  " + "学" * 99 + "\n") * 200)  # 200 lines of 99 + 199 line breaks
    assert_ok(repo)
    repo.write(NP, head + "body: |\n" + ("  " + "学" * 99 + "\n") * 200 + "  学\n")
    assert_problems(repo, f"{NP}:7: “body”不能超过 20000 个字符，实际为 20001 个字符")


@pytest.mark.parametrize(
    "body, expected",
    [
        pytest.param(
            '"第一段\\r\\n第二段\\r\\n\\t第三段"',
            "“body”不能含有控制字符（第 3 行第 1 个字符是制表符 Tab），请改用空格",
            id="tab-after-crlf",
        ),
        pytest.param(
            '"第一段\\r第二段"',
            "“body”不能含有控制字符（第 1 行第 4 个字符是回车符 \\r），请改用普通的换行",
            id="lone-carriage-return",
        ),
        pytest.param(
            '"第一段\\n第二段\\u2029第三段"',
            "“body”不能含有控制字符（第 2 行第 4 个字符是换行符 U+2029），请改用普通的换行",
            id="paragraph-separator",
        ),
        pytest.param(
            '"第一段\\n第二\\u202d段"',
            "“body”不能含有控制字符（第 2 行第 3 个字符是文字方向控制符 U+202D，它会让文字显示的顺序与实际不同），请删除这个字符",
            id="bidi",
        ),
    ],
)
def test_a_body_may_have_line_breaks_but_no_other_control_character(repo: Repo, body: str, expected: str) -> None:
    write_record(repo)
    seal_march(repo)
    repo.write(NP, NOTICE.split("body:")[0] + f"body: {body}\n")
    assert_problems(repo, f"{NP}:7: {expected}")


def test_a_body_with_windows_line_breaks_is_fine(repo: Repo) -> None:
    write_record(repo)
    seal_march(repo)
    repo.write(NP, NOTICE.split("body:")[0] + 'body: "第一段\\r\\n\\r\\n第二段"\n')
    assert_ok(repo)


def test_a_notice_file_name_over_64_characters_is_refused(repo: Repo) -> None:
    write_record(repo)
    seal_march(repo)
    stem = "2026-04-08-" + "commendation-" * 5
    stem = stem.rstrip("-")
    path = f"records/notices/{stem}.yaml"
    repo.write(path, NOTICE)
    assert_problems(repo, f"{path}:5: 文件名太长：不含 .yaml 最多 64 个字符，实际为 {len(stem)} 个字符")


# --- seals ----------------------------------------------------------------------

S = "records/seals/2026-03.yaml"


def sealed(repo: Repo) -> str:
    write_record(repo)
    seal_march(repo)
    return (repo.root / S).read_text(encoding="utf-8")


def correction_of(repo: Repo, change: str) -> None:
    """A hand-written amendment carrying ``change`` (the fields of one change, in flow style)."""
    repo.write(
        "records/notices/2026-04-20-correction-2026-03.yaml",
        NOTICE.replace("kind: commendation", "kind: correction")
        .replace("date: 2026-04-08", "date: 2026-04-20")
        .replace("〔2026〕3号", "〔2026〕4号")
        .replace("body:", "workers: [w1]\nbody:"),
    )
    text = sealed(repo)
    repo.write(
        S,
        text + "corrections:\n  - notice: 2026-04-20-correction-2026-03\n    sealed_on: 2026-04-20\n"
        f"    changes:\n      - {{{change}}}\n",
    )


@pytest.mark.parametrize(
    "change, expected",
    [
        pytest.param(
            "worker: w1, field: '<img src=x onerror=alert(1)>', old: '1', new: '2'",
            "“field”应为以下之一：total、grade、rank、community_rank、bonus、deductions、vetoed、months_assessed、"
            "monthly_mean、review_score、honors、record、items.<细项>、categories.<类别>，"
            "实际为 “<img src=x onerror=alert(1)>”（封存文件由 gridscore seal 生成，请勿手工修改）",
            id="field-with-html",
        ),
        pytest.param(
            "worker: w1, field: total, old: '100.00', new: '<b>99</b>'",
            "“new”应为保留两位小数的分数（如 “92.50”），实际为 “<b>99</b>”（封存文件由 gridscore seal 生成，请勿手工修改）",
            id="total-not-a-figure",
        ),
        pytest.param(
            "worker: w1, field: rank, old: 1, new: 0",
            "“new”应为从 1 起的名次，实际为 “0”（封存文件由 gridscore seal 生成，请勿手工修改）",
            id="rank-zero",
        ),
        pytest.param(
            "worker: w1, field: grade, old: 优秀, new: '<i>极优</i>'",
            "等次“<i>极优</i>”不是考评标准中的等次（可选：不合格、优秀、合格、良好）（封存文件由 gridscore seal 生成，请勿手工修改）",
            id="unknown-grade",
        ),
        pytest.param(
            "worker: w1, field: honors, old: '', new: \"优秀网格员\\n## 审核通过\"",
            "“new”不能含有换行或控制字符（第 6 个字符是换行），请写成一行",
            id="honors-line-break",
        ),
    ],
)
def test_seal_amendments_hold_only_what_seal_writes(repo: Repo, change: str, expected: str) -> None:
    correction_of(repo, change)
    lines = (repo.root / S).read_text(encoding="utf-8").splitlines()
    assert lines[-1] == f"      - {{{change}}}"
    assert_problems(repo, f"{S}:{len(lines)}: {expected}")


def test_sealed_results_hold_only_figures_and_the_rubric_names(repo: Repo) -> None:
    text = sealed(repo)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "worker: w1" in row)
    assert 'total: "100.00"' in text.splitlines()[line - 1]
    repo.write(S, text.replace('total: "100.00"', 'total: "1e9"', 1))
    assert_problems(
        repo,
        f"{S}:{line}: “total”应为保留两位小数的分数（如 “92.50”），实际为 “1e9”（封存文件由 gridscore seal 生成，请勿手工修改）",
    )
    repo.write(S, text.replace('grade: "优秀"', 'grade: "优秀<script>"', 1))
    assert_problems(
        repo,
        f"{S}:{line}: 等次“优秀<script>”不是考评标准中的等次（可选：不合格、优秀、合格、良好）"
        "（封存文件由 gridscore seal 生成，请勿手工修改）",
    )


# --- git_account and CODEOWNERS ---------------------------------------------------

GIT_ACCOUNT_ERROR = (
    "“git_account”应为 GitHub 或 GitLab 的用户名或群组路径，如 li-si、@li-si 或 @dongfeng/zongzhi"
    "（只用英文字母、数字、-、_ 和 .，群组之间用 /，不含空格或换行），实际为 {}"
)


@pytest.mark.parametrize(
    "account, shown",
    [
        pytest.param('"li-si\\n/records/ @attacker"', "“li-si⏎/records/ @attacker”", id="line-break"),
        pytest.param("'li si'", "“li si”", id="space"),
        pytest.param("li-si@example.org", "“li-si@example.org”", id="email"),
        pytest.param("'@@li-si'", "“@@li-si”", id="double-at"),
        pytest.param("-li-si", "“-li-si”", id="leading-hyphen"),
        pytest.param("dongfeng/", "“dongfeng/”", id="empty-subgroup"),
        pytest.param("li-si.", "“li-si.”", id="trailing-dot"),
        pytest.param("dongfeng/site.git", "“dongfeng/site.git”", id="dot-git"),
        pytest.param("'li-si#x'", "“li-si#x”", id="comment-sign"),
        pytest.param("'*'", "“*”", id="glob"),
        pytest.param("a" * 256, "“" + "a" * 40 + "…”", id="256-characters"),
    ],
)
def test_git_account_must_be_a_user_or_group_name(repo: Repo, account: str, shown: str) -> None:
    org_with(repo, A1, A1.replace("communities: all}", f"communities: all, git_account: {account}}}"))
    assert_problems(repo, f"{ORG}:20: {GIT_ACCOUNT_ERROR.format(shown)}")
    run = repo.run("codeowners")
    assert run.code == 1
    assert not (repo.root / "CODEOWNERS").exists()


@pytest.mark.parametrize(
    "account, owner",
    [
        pytest.param("li-si", "@li-si", id="github-user"),
        pytest.param("'@li-si'", "@li-si", id="with-at"),
        pytest.param("'@dongfeng/zongzhi-ban'", "@dongfeng/zongzhi-ban", id="github-team"),
        pytest.param("dongfeng.jiedao/zong_zhi/ban-1", "@dongfeng.jiedao/zong_zhi/ban-1", id="gitlab-subgroups"),
        pytest.param("_li.si", "@_li.si", id="gitlab-underscore-and-dot"),
    ],
)
def test_git_accounts_of_github_and_gitlab_are_accepted(repo: Repo, account: str, owner: str) -> None:
    org_with(repo, A1, A1.replace("communities: all}", f"communities: all, git_account: {account}}}"))
    assert_ok(repo)
    assert repo.run("codeowners").code == 0
    owners = (repo.root / "CODEOWNERS").read_text(encoding="utf-8")
    assert f"/records/*/*/c1/ {owner}\n" in owners
    assert f"/rubric/ {owner}\n" in owners


def test_codeowners_writer_refuses_what_validation_would_have_caught() -> None:
    """Whatever built the organization, the writer itself never lets a line break through."""
    org = Organization.model_validate(
        {
            "unit": {"name": "测试街道", "short": "测试", "leading_group": "领导小组"},
            "communities": [{"id": "c1", "name": "第一社区"}],
            "workers": [],
            "assessors": [{"id": "a1", "name": "李四", "org": "综治办", "communities": "all"}],
        }
    )
    bad = org.model_copy(
        update={"assessors": [org.assessors[0].model_copy(update={"git_account": "li-si\n/records/ @attacker"})]}
    )
    with pytest.raises(GridscoreError, match="不是 GitHub 或 GitLab 的用户名或群组路径"):
        codeowners(bad)
    renamed = org.model_copy(update={"communities": [org.communities[0].model_copy(update={"id": "c1/\n* @x"})]})
    with pytest.raises(GridscoreError, match="不是有效的编号"):
        codeowners(renamed)
    unnamed = org.model_copy(update={"communities": [org.communities[0].model_copy(update={"name": "社区\n* @x"})]})
    assert "\n* @x" not in codeowners(unnamed)
