"""Personal numbers in public text, found after normalization (§9 "PII"), through ``gridscore check``.

Every payload of issue 11 is refused, quoted as it was written and at the line it is on;
dates, amounts, document numbers, case numbers and scores stay allowed.
"""

from __future__ import annotations

import pytest

from .conftest import ORGANIZATION, PERFECT_METRICS, Repo
from .test_bad_input import NOTICE, NP, P, assert_ok, assert_problems, event, seal_march, write_record

ORG = "records/organization.yaml"
RUBRIC = "rubric/2026.yaml"
CONTACT = "（异议电话请写在 publicity.contact 中）"


def summary_problem(found: str) -> str:
    return f"{P}:17: summary 会公开发布，不能含有{found}；请删除，或写入内部的 evidence"


@pytest.mark.parametrize(
    "summary, found",
    [
        # the bullets of issue 11, as they were written
        pytest.param("手机１３８１２３４５６７８", "手机号码“１３８１２３４５６７８”", id="full-width"),
        pytest.param("+86 138 1234 5678", "手机号码“+86 138 1234 5678”", id="plus-86-spaced"),
        pytest.param("138 1234 5678", "手机号码“138 1234 5678”", id="spaced"),
        pytest.param("138.1234.5678", "手机号码“138.1234.5678”", id="dotted"),
        pytest.param("身份证110101.19900307.1234", "身份证号码“110101.19900307.1234”", id="id-card-dotted"),
        pytest.param("卡号6222.0212.3456.7890", "银行卡号“6222.0212.3456.7890”", id="card-dotted"),
        # and the brief's further forms
        pytest.param("(138)1234-5678", "手机号码“(138)1234-5678”", id="bracketed"),
        pytest.param("138-1234-5678", "手机号码“138-1234-5678”", id="dashed"),
        pytest.param("１３８ １２３４ ５６７８", "手机号码“１３８ １２３４ ５６７８”", id="full-width-spaced"),
        pytest.param("'8613812345678'", "手机号码“8613812345678”", id="86-prefix"),
        pytest.param("联系0086-138-1234-5678", "手机号码“0086-138-1234-5678”", id="0086-prefix"),
        pytest.param("居民电话 138　1234　5678", "手机号码“138　1234　5678”", id="ideographic-space"),
        pytest.param("居民电话 138\u00a01234\u00a05678", "手机号码“138\u00a01234\u00a05678”", id="nbsp"),
        pytest.param("电话138—1234—5678", "手机号码“138—1234—5678”", id="em-dash"),
        pytest.param("电话１３８－１２３４﹣５６７８", "手机号码“１３８－１２３４﹣５６７８”", id="full-width-dashes"),
        pytest.param("电话【138】12345678", "手机号码“【138】12345678”", id="lenticular-brackets"),
        pytest.param(
            "座机（０１０）１２３４５６７８", "电话号码“（０１０）１２３４５６７８”", id="landline-full-width"
        ),
        pytest.param("座机 0571-8888 8888", "电话号码“0571-8888 8888”", id="landline-four-digit-area"),
        pytest.param("身份证 110101 19900307 123X", "身份证号码“110101 19900307 123X”", id="id-card-spaced-x"),
        pytest.param("卡号 6222－0212－3456－7890－123", "银行卡号“6222－0212－3456－7890－123”", id="card-19"),
    ],
)
def test_personal_numbers_hidden_in_a_summary_are_refused(repo: Repo, summary: str, found: str) -> None:
    write_record(repo, PERFECT_METRICS, event("key_lead_case_solved", summary=summary))
    assert_problems(repo, summary_problem(found))


@pytest.mark.parametrize(
    "summary",
    [
        pytest.param("2026-03-12 上门劝阻一名居民转账", id="date"),
        pytest.param("劝阻 80000 元转账", id="amount"),
        pytest.param("劝阻 1,280,000 元转账", id="amount-with-commas"),
        pytest.param("依据东风反诈〔2026〕3号通报", id="document-number"),
        pytest.param("派出所回执 DF-2026-031", id="case-number"),
        pytest.param("当月得分 92.50，排名第 3", id="score"),
        pytest.param("公示期 2026-04-08—2026-04-14", id="date-range"),
        pytest.param("连续 2024 2025 2026 三年获评", id="years"),
        pytest.param("2026年3月12日 10:30 上门 3 次", id="date-and-time"),
    ],
)
def test_dates_amounts_and_numbers_of_documents_are_not_personal(repo: Repo, summary: str) -> None:
    write_record(repo, PERFECT_METRICS, event("key_lead_case_solved", summary=summary))
    assert_ok(repo)


def test_the_same_numbers_are_fine_in_internal_evidence(repo: Repo) -> None:
    evidence = "'居民电话 +86 138 1234 5678，卡号6222.0212.3456.7890'"
    write_record(repo, PERFECT_METRICS, event("key_lead_case_solved", evidence=evidence))
    assert_ok(repo)


# --- notices ------------------------------------------------------------------


def test_each_number_in_a_body_is_reported_at_its_own_line_as_written(repo: Repo) -> None:
    write_record(repo)
    seal_march(repo)
    body = (
        "body: |\n"  # line 7
        "  希望全体网格员向受表扬的同志学习。\n"  # 8
        "  如有疑问请联系手机１３８１２３４５６７８。\n"  # 9
        "\n"  # 10
        "  公示期 2026-04-08—2026-04-14，\n"  # 11
        "  或拨打 138\n"  # 12: a soft line break shows as a space on the page
        "  1234 5678。\n"  # 13
        "  身份证110101.19900307.1234\n"  # 14
    )
    repo.write(NP, NOTICE.split("body:")[0] + body)
    assert_problems(
        repo,
        f"{NP}:9: body 会公开发布，不能含有手机号码“１３８１２３４５６７８”{CONTACT}",
        f"{NP}:12: body 会公开发布，不能含有手机号码“138⏎1234 5678”{CONTACT}",
        f"{NP}:14: body 会公开发布，不能含有身份证号码“110101.19900307.1234”{CONTACT}",
    )


@pytest.mark.parametrize(
    "old, new, expected",
    [
        pytest.param(
            "title: 关于2026年3月网格反诈工作考评结果的通报表扬",
            "title: 关于2026年3月考评结果的通报表扬（咨询 +86 138 1234 5678）",
            f"{NP}:3: title 会公开发布，不能含有手机号码“+86 138 1234 5678”{CONTACT}",
            id="title",
        ),
        pytest.param(
            "issued_by: 东风街道反诈工作领导小组",
            "issued_by: 东风街道反诈工作领导小组（138.1234.5678）",
            f"{NP}:6: issued_by 会公开发布，不能含有手机号码“138.1234.5678”{CONTACT}",
            id="issued-by",
        ),
        pytest.param(
            "body: |\n  希望全体网格员向受表扬的同志学习。\n",
            'body: "希望全体网格员向受表扬的同志学习。\\n\\n卡号6222.0212.3456.7890"\n',
            f"{NP}:7: body 会公开发布，不能含有银行卡号“6222.0212.3456.7890”{CONTACT}",
            id="double-quoted-body",
        ),
    ],
)
def test_notice_fields_are_checked(repo: Repo, old: str, new: str, expected: str) -> None:
    write_record(repo)
    seal_march(repo)
    assert old in NOTICE
    repo.write(NP, NOTICE.replace(old, new))
    assert_problems(repo, expected)


def test_the_objection_contact_of_a_publicity_may_hold_a_phone(repo: Repo) -> None:
    write_record(repo)
    seal_march(repo)
    publicity = NOTICE.replace("kind: commendation", "kind: publicity") + (
        "publicity: {start: 2026-04-08, end: 2026-04-14, contact: 东风街道综治中心 电话 138 1234 5678}\n"
    )
    repo.write("records/notices/2026-04-08-publicity.yaml", publicity)
    assert_ok(repo)


# --- names in the organization and the rubric ---------------------------------


@pytest.mark.parametrize(
    "old, new, expected",
    [
        pytest.param(
            "name: 张三,",
            "name: 张三１３８１２３４５６７８,",
            f"{ORG}:16: name 会公开发布，不能含有手机号码“１３８１２３４５６７８”，请删除",
            id="worker",
        ),
        pytest.param(
            "name: 第一社区",
            "name: 第一社区（电话０１０－１２３４５６７８）",
            f"{ORG}:7: name 会公开发布，不能含有电话号码“０１０－１２３４５６７８”，请删除",
            id="community",
        ),
        pytest.param(
            "name: 第二网格",
            "name: 第二网格 138 1234 5678",
            f"{ORG}:10: name 会公开发布，不能含有手机号码“138 1234 5678”，请删除",
            id="grid",
        ),
        pytest.param(
            "short: 测试街道",
            "short: 测试街道+86 138 1234 5678",
            f"{ORG}:3: short 会公开发布，不能含有手机号码“+86 138 1234 5678”，请删除",
            id="unit-short",
        ),
    ],
)
def test_names_in_the_organization_are_checked(repo: Repo, old: str, new: str, expected: str) -> None:
    assert old in ORGANIZATION
    repo.write(ORG, ORGANIZATION.replace(old, new, 1))
    assert_problems(repo, expected)


@pytest.mark.parametrize(
    "old, new, expected",
    [
        pytest.param(
            "name: 优秀网格员",
            "name: 优秀网格员138-1234-5678",
            f"{RUBRIC}:202: name 会在考评标准页面公开发布，不能含有手机号码“138-1234-5678”，请删除",
            id="honor-name",
        ),
        pytest.param(
            "description: 完成上级部署的反诈宣传任务，覆盖网格内重点人群。",
            "description: 完成上级部署的反诈宣传任务，咨询 (138)1234-5678。",
            f"{RUBRIC}:44: description 会在考评标准页面公开发布，不能含有手机号码“(138)1234-5678”，请删除",
            id="item-description",
        ),
        pytest.param(
            "  - 每月加分上限由 5 分提高到 10 分。\n",
            "  - 每月加分上限由 5 分提高到 10 分（联系 8613812345678）。\n",
            f"{RUBRIC}:13: changes 会在考评标准页面公开发布，不能含有手机号码“8613812345678”，请删除",
            id="change-note",
        ),
    ],
)
def test_texts_of_the_rubric_are_checked(repo: Repo, old: str, new: str, expected: str) -> None:
    path = repo.root / RUBRIC
    text = path.read_text(encoding="utf-8")
    assert old in text
    repo.write(RUBRIC, text.replace(old, new, 1))
    assert_problems(repo, expected)


def test_the_sample_rubrics_and_organization_hold_no_personal_number(repo: Repo) -> None:
    assert_ok(repo)
