"""Monthly scoring rules, each with a case computed by hand (PRODUCT.md §3).

Every expectation is written out as the arithmetic a resident would do.
"""

from __future__ import annotations

import json

import pytest

from .conftest import Repo

SPEC_EXAMPLE = """\
metrics:
  publicity:        {tasks_assigned: 4, tasks_completed: 4, key_people: 35, key_people_reached: 30}
  screening:        {inspections_required: 4, inspections_done: 5, valid_leads: 2}
  info_collection:  {entries: 420, complete: 415, accurate: 410, timely: 400}
  warning_response: {received: 7, responded_in_time: 6, visited: 5, dissuaded: 4}
  case_assistance: good
  asset_recovery: none
  method_innovation: fair
  coordination: good
"""


def metrics(
    *,
    publicity: str = "{tasks_assigned: 4, tasks_completed: 4, key_people: 30, key_people_reached: 30}",
    screening: str = "{inspections_required: 4, inspections_done: 4, valid_leads: 4}",
    info: str = "{entries: 100, complete: 100, accurate: 100, timely: 100}",
    warning: str = "{received: 5, responded_in_time: 5, visited: 5, dissuaded: 5}",
    case: str = "excellent",
    asset: str = "excellent",
    method: str = "excellent",
    coordination: str = "excellent",
) -> str:
    return (
        "metrics:\n"
        f"  publicity: {publicity}\n"
        f"  screening: {screening}\n"
        f"  info_collection: {info}\n"
        f"  warning_response: {warning}\n"
        f"  case_assistance: {case}\n"
        f"  asset_recovery: {asset}\n"
        f"  method_innovation: {method}\n"
        f"  coordination: {coordination}\n"
    )


def events(*entries: str) -> str:
    return "events:\n" + "".join(entries)


def event(kind: str, date: str, extra: str = "") -> str:
    return f"  - kind: {kind}\n    date: {date}\n    summary: 测试事迹\n{extra}"


def month_json(repo: Repo, period: str) -> dict:
    run = repo.run("score", period, "--json")
    assert run.code == 0, run.err
    return json.loads(run.out)


def result_of(repo: Repo, period: str, worker: str) -> dict:
    return next(r for r in month_json(repo, period)["results"] if r["worker"] == worker)


def test_perfect_record_scores_100(repo: Repo) -> None:
    repo.record("w1", "2026-03")
    result = result_of(repo, "2026-03", "w1")
    assert result["total"] == "100.00"
    assert result["categories"] == {"foundation": "35.00", "intervention": "45.00", "innovation": "20.00"}
    assert result["grade"] == "优秀"
    assert result["bonus"] == "0.00" and result["deductions"] == "0.00" and result["vetoed"] is False


def test_spec_example_by_hand(repo: Repo) -> None:
    extra = events(event("major_dissuasion", "2026-03-12", "    amount_yuan: 80000\n"))
    repo.record("w1", "2026-03", metrics=SPEC_EXAMPLE, extra=extra)
    result = result_of(repo, "2026-03", "w1")
    assert result["items"] == {
        "publicity": "14.00",  # 8 × 4/4 + 7 × 30/35 = 8 + 6
        "screening": "8.00",  # 6 × min(5/4, 1) + 2 leads × 1
        "info_collection": "9.76",  # (4×415 + 4×410 + 2×400) / 420 = 4100/420 = 9.7619…
        "warning_response": "21.43",  # 10 × (6 + 5 + 4) / 7 = 150/7 = 21.4285…
        "case_assistance": "8.00",  # good: 0.8 × 10
        "asset_recovery": "5.00",  # none: no task this month, full points
        "method_innovation": "6.00",  # fair: 0.6 × 10
        "coordination": "8.00",
    }
    assert result["categories"] == {"foundation": "31.76", "intervention": "34.43", "innovation": "14.00"}
    assert result["bonus"] == "2.00"
    assert result["total"] == "82.19"  # 31.76 + 34.43 + 14.00 + 2
    assert result["grade"] == "良好"


def test_half_up_rounding_that_float_gets_wrong(repo: Repo) -> None:
    # (4×400 + 4×400 + 2×397) / 400 = 9.985 exactly; half-up gives 9.99.
    # round(9.985, 2) in float gives 9.98 (9.985 is stored as 9.98499…).
    assert round(4 * 400 / 400 + 4 * 400 / 400 + 2 * 397 / 400, 2) == 9.98
    repo.record("w1", "2026-03", metrics=metrics(info="{entries: 400, complete: 400, accurate: 400, timely: 397}"))
    assert result_of(repo, "2026-03", "w1")["items"]["info_collection"] == "9.99"


def test_banker_rounding_would_round_down(repo: Repo) -> None:
    # 8 × 1/1 + 7 × 3/200 = 8.105 exactly → half-up 8.11; half-even (banker's) rounding gives 8.10.
    repo.record(
        "w1",
        "2026-03",
        metrics=metrics(publicity="{tasks_assigned: 1, tasks_completed: 1, key_people: 200, key_people_reached: 3}"),
    )
    assert result_of(repo, "2026-03", "w1")["items"]["publicity"] == "8.11"


def test_item_terms_are_not_rounded_separately(repo: Repo) -> None:
    # 8 × 1/3 + 7 × 2/3 = 22/3 = 7.333… → 7.33; rounding each term first would give 2.67 + 4.67 = 7.34.
    repo.record(
        "w1",
        "2026-03",
        metrics=metrics(publicity="{tasks_assigned: 3, tasks_completed: 1, key_people: 3, key_people_reached: 2}"),
    )
    assert result_of(repo, "2026-03", "w1")["items"]["publicity"] == "7.33"


def test_whole_of_zero_scores_full_points(repo: Repo) -> None:
    repo.record(
        "w1",
        "2026-03",
        metrics=metrics(
            publicity="{tasks_assigned: 0, tasks_completed: 0, key_people: 0, key_people_reached: 0}",
            warning="{received: 0, responded_in_time: 0, visited: 0, dissuaded: 0}",
            info="{entries: 0, complete: 0, accurate: 0, timely: 0}",
            screening="{inspections_required: 0, inspections_done: 0, valid_leads: 4}",
        ),
    )
    assert result_of(repo, "2026-03", "w1")["total"] == "100.00"


def test_capped_count_and_capped_ratio(repo: Repo) -> None:
    # 6 × min(9/3, 1) + min(7 leads × 1, 4) = 6 + 4
    repo.record(
        "w1", "2026-03", metrics=metrics(screening="{inspections_required: 3, inspections_done: 9, valid_leads: 7}")
    )
    repo.record(
        "w2", "2026-03", metrics=metrics(screening="{inspections_required: 3, inspections_done: 1, valid_leads: 1}")
    )
    assert result_of(repo, "2026-03", "w1")["items"]["screening"] == "10.00"
    assert result_of(repo, "2026-03", "w2")["items"]["screening"] == "3.00"  # 6 × 1/3 + 1


def test_levels_and_chinese_labels(repo: Repo) -> None:
    repo.record("w1", "2026-03", metrics=metrics(case="良好", asset="较差", method="一般", coordination="poor"))
    items = result_of(repo, "2026-03", "w1")["items"]
    assert items["case_assistance"] == "8.00"
    assert items["asset_recovery"] == "1.50"  # 0.3 × 5
    assert items["method_innovation"] == "6.00"
    assert items["coordination"] == "3.00"


def test_item_deductions_stop_at_zero(repo: Repo) -> None:
    # info_collection is worth 10; six info_error events take 12: the item floors at 0, nothing spills over.
    six = [event("info_error", f"2026-03-{day:02d}") for day in range(1, 7)]
    repo.record("w1", "2026-03", extra=events(*six))
    result = result_of(repo, "2026-03", "w1")
    assert result["items"]["info_collection"] == "0.00"
    assert result["total"] == "90.00"


def test_severity_sets_the_deduction(repo: Repo) -> None:
    repo.record("w1", "2026-03", extra=events(event("publicity_task_missed", "2026-03-05", "    severity: 严重\n")))
    repo.record("w2", "2026-03", extra=events(event("publicity_task_missed", "2026-03-05", "    severity: minor\n")))
    assert result_of(repo, "2026-03", "w1")["items"]["publicity"] == "12.00"
    assert result_of(repo, "2026-03", "w2")["items"]["publicity"] == "14.00"


def test_bonus_is_capped_at_ten(repo: Repo) -> None:
    four = [event("key_lead_case_solved", f"2026-03-{day:02d}") for day in range(1, 5)]
    repo.record("w1", "2026-03", extra=events(*four))  # 4 × 3 = 12 → 10
    result = result_of(repo, "2026-03", "w1")
    assert result["bonus"] == "10.00"
    assert result["total"] == "110.00"


def test_innovation_bonus_by_level(repo: Repo) -> None:
    repo.record(
        "w1",
        "2026-03",
        metrics=metrics(method="good"),
        extra=events(event("innovation_recognized", "2026-03-09", "    level: 市级\n")),
    )
    assert result_of(repo, "2026-03", "w1")["total"] == "100.00"  # 98 + 2


def test_earlier_rubric_applies_to_earlier_months(repo: Repo) -> None:
    # rubric/2025.yaml: bonus cap 5, loss_recovered +1, no innovation_recognized.
    four = [event("key_lead_case_solved", f"2025-03-{day:02d}") for day in range(1, 5)]
    repo.record("w1", "2025-03", extra=events(*four))
    repo.record("w2", "2025-03", extra=events(event("loss_recovered", "2025-03-02", "    amount_yuan: 3000\n")))
    data = month_json(repo, "2025-03")
    assert data["rubric"] == "2025"
    by_worker = {r["worker"]: r for r in data["results"]}
    assert by_worker["w1"]["bonus"] == "5.00"
    assert by_worker["w2"]["bonus"] == "1.00"
    repo.record(
        "w3", "2025-03", community="c2", extra=events(event("innovation_recognized", "2025-03-02", "    level: city\n"))
    )
    run = repo.run("check")
    assert run.code == 1
    assert "未知的事件类型“innovation_recognized”" in run.err


def test_veto_deducts_ten_and_caps_the_grade(repo: Repo) -> None:
    repo.record("w1", "2026-03", extra=events(event("major_risk_incident", "2026-03-20")))
    result = result_of(repo, "2026-03", "w1")
    assert result["total"] == "90.00"  # 100 − 10: enough for 优秀, but the veto caps it
    assert result["deductions"] == "10.00"
    assert result["vetoed"] is True
    assert result["grade"] == "良好"


def test_total_never_below_zero(repo: Repo) -> None:
    low = metrics(
        publicity="{tasks_assigned: 4, tasks_completed: 0, key_people: 30, key_people_reached: 0}",
        screening="{inspections_required: 4, inspections_done: 0, valid_leads: 0}",
        info="{entries: 10, complete: 0, accurate: 0, timely: 0}",
        warning="{received: 5, responded_in_time: 0, visited: 0, dissuaded: 0}",
        case="poor",
        asset="poor",
        method="poor",
        coordination="poor",
    )
    two = [event("major_risk_incident", "2026-03-01"), event("major_risk_incident", "2026-03-02")]
    repo.record("w1", "2026-03", metrics=low, extra=events(*two))  # 10.50 − 20 → 0
    result = result_of(repo, "2026-03", "w1")
    assert result["total"] == "0.00"
    assert result["grade"] == "不合格"


@pytest.mark.parametrize(
    ("reached", "total", "grade"),
    [
        (100, "100.00", "优秀"),
        # each reached point of key_people 100 is worth 0.07 on a base of 93
        (0, "93.00", "优秀"),
    ],
)
def test_grade_from_total(repo: Repo, reached: int, total: str, grade: str) -> None:
    repo.record(
        "w1",
        "2026-03",
        metrics=metrics(
            publicity=f"{{tasks_assigned: 1, tasks_completed: 1, key_people: 100, key_people_reached: {reached}}}"
        ),
    )
    result = result_of(repo, "2026-03", "w1")
    assert (result["total"], result["grade"]) == (total, grade)


@pytest.mark.parametrize(
    ("warning", "case", "total", "grade"),
    [
        # warning_response = 10 × (r + v + d) / 10; case_assistance by level
        ("{received: 10, responded_in_time: 10, visited: 7, dissuaded: 3}", "excellent", "90.00", "优秀"),
        ("{received: 10, responded_in_time: 10, visited: 7, dissuaded: 2}", "excellent", "89.00", "良好"),
        ("{received: 10, responded_in_time: 6, visited: 2, dissuaded: 2}", "excellent", "80.00", "良好"),
        ("{received: 10, responded_in_time: 5, visited: 2, dissuaded: 2}", "excellent", "79.00", "合格"),
        ("{received: 10, responded_in_time: 0, visited: 0, dissuaded: 0}", "poor", "63.00", "合格"),
    ],
)
def test_grade_boundaries(repo: Repo, warning: str, case: str, total: str, grade: str) -> None:
    repo.record("w1", "2026-03", metrics=metrics(warning=warning, case=case))
    result = result_of(repo, "2026-03", "w1")
    assert (result["total"], result["grade"]) == (total, grade)


def test_boundary_at_sixty(repo: Repo) -> None:
    low = metrics(
        warning="{received: 10, responded_in_time: 0, visited: 0, dissuaded: 0}",
        case="poor",
        publicity="{tasks_assigned: 1, tasks_completed: 1, key_people: 7, key_people_reached: 4}",
    )
    # 8 + 7 × 4/7 = 12 (publicity) + 10 + 10 + 0 + 3 + 5 + 10 + 10 = 60
    repo.record("w1", "2026-03", metrics=low)
    repo.record("w2", "2026-03", metrics=low, extra=events(event("info_error", "2026-03-04")))
    by_worker = {r["worker"]: r for r in month_json(repo, "2026-03")["results"]}
    assert (by_worker["w1"]["total"], by_worker["w1"]["grade"]) == ("60.00", "合格")
    assert (by_worker["w2"]["total"], by_worker["w2"]["grade"]) == ("58.00", "不合格")


def test_competition_ranking_with_ties(repo: Repo) -> None:
    org = (repo.root / "records/organization.yaml").read_text(encoding="utf-8")
    extra_workers = "".join(
        f"  - {{id: w{n}, name: 测试{n}, community: c2, grid: g01, role: full_time, joined: 2025-01, left: null, publish_name: true}}\n"
        for n in (4, 5)
    )
    repo.write("records/organization.yaml", org.replace("assessors:\n", extra_workers + "assessors:\n"))
    repo.record("w1", "2026-03", metrics=metrics(case="good"))  # 98
    repo.record("w2", "2026-03", metrics=metrics(method="good"))  # 98
    repo.record("w3", "2026-02", community="c2")
    repo.record("w4", "2026-03", community="c2")  # 100
    repo.record("w5", "2026-03", community="c2", metrics=metrics(case="fair"))  # 96
    results = month_json(repo, "2026-03")["results"]
    assert [(r["worker"], r["total"], r["rank"], r["community_rank"]) for r in results] == [
        ("w4", "100.00", 1, 1),
        ("w1", "98.00", 2, 1),
        ("w2", "98.00", 2, 1),
        ("w5", "96.00", 4, 2),
    ]


def test_json_shape_is_the_documented_interface(repo: Repo) -> None:
    repo.record("w1", "2026-03")
    data = month_json(repo, "2026-03")
    assert list(data) == ["period", "rubric", "sealed", "results"]
    assert data["sealed"] is False
    assert data["period"] == "2026-03" and data["rubric"] == "2026"
    assert list(data["results"][0]) == [
        "worker",
        "name",
        "community",
        "total",
        "grade",
        "rank",
        "community_rank",
        "categories",
        "items",
        "bonus",
        "deductions",
        "vetoed",
    ]
