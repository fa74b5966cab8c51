"""The annual roll-up, the 优秀 quota, honors and sanctions, computed by hand (PRODUCT.md §3)."""

from __future__ import annotations

import json

from generator.periods import Month, Year
from generator.results import Results
from generator.validate import load_dataset

from .conftest import Repo
from .test_scoring import event, events, metrics

TEN_WORKERS = (
    """\
unit: {name: 测试区测试街道, short: 测试街道, leading_group: 测试街道反诈工作领导小组}
communities:
  - id: c1
    name: 第一社区
    grids: [{id: g01, name: 第一网格}]
workers:
"""
    + "".join(
        f"  - {{id: w{n:02d}, name: 测试{n}, community: c1, grid: g01, role: full_time, joined: 2025-01, left: null, publish_name: true}}\n"
        for n in range(1, 11)
    )
    + """\
assessors:
  - {id: a1, name: 李四, org: 综治办, communities: all}
"""
)

NO_WARNINGS = "{received: 0, responded_in_time: 0, visited: 0, dissuaded: 0}"
FAIL = metrics(
    warning="{received: 10, responded_in_time: 0, visited: 0, dissuaded: 0}",
    case="poor",
    info="{entries: 10, complete: 0, accurate: 0, timely: 0}",
)  # 15 + 10 + 0 + 0 + 3 + 5 + 10 + 10 = 53


def ten_workers(repo: Repo) -> Repo:
    repo.write("records/organization.yaml", TEN_WORKERS)
    return repo


def months(repo: Repo, worker: str, count: int = 6, year: int = 2026, **kwargs: str) -> None:
    for month in range(1, count + 1):
        repo.record(worker, f"{year}-{month:02d}", **kwargs)


def review(repo: Repo, worker: str, score: str, year: int = 2026) -> None:
    repo.write(
        f"records/{year}/annual/c1/{worker}.yaml",
        f"worker: {worker}\nyear: {year}\nreview_score: {score}\nassessed_by: a1\nassessed_on: {year + 1}-01-10\n",
    )


def annual(repo: Repo, year: str = "2026") -> dict[str, dict]:
    run = repo.run("score", year, "--json")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert data["period"] == year
    return {r["worker"]: r for r in data["results"]}


def test_each_figure_uses_the_rounded_figure_before_it(repo: Repo) -> None:
    ten_workers(repo)
    for month in range(1, 5):
        repo.record("w01", f"2026-{month:02d}")
    reached = {5: 0, 6: 7}  # 93 + 0.07 × reached
    for month, value in reached.items():
        publicity = f"{{tasks_assigned: 1, tasks_completed: 1, key_people: 100, key_people_reached: {value}}}"
        repo.record("w01", f"2026-{month:02d}", metrics=metrics(publicity=publicity))
    review(repo, "w01", "70")
    result = annual(repo)["w01"]
    # mean = (4 × 100 + 93.00 + 93.49) / 6 = 97.748333… → 97.75
    assert result["monthly_mean"] == "97.75"
    # 0.7 × 97.75 + 0.3 × 70 = 68.425 + 21 = 89.425 → 89.43
    # (from the unrounded mean it would be 89.4238… → 89.42)
    assert result["total"] == "89.43"
    assert result["review_score"] == "70.00"
    assert result["months_assessed"] == 6
    assert result["grade"] == "良好"


def test_without_review_the_mean_alone(repo: Repo) -> None:
    ten_workers(repo)
    months(repo, "w01", count=2)
    repo.record("w01", "2026-03", metrics=metrics(case="good"))
    result = annual(repo)["w01"]
    # (100 + 100 + 98) / 3 = 99.333… → 99.33
    assert (result["monthly_mean"], result["review_score"], result["total"]) == ("99.33", None, "99.33")


def test_annual_excellent_needs_six_months_no_veto_no_monthly_fail(repo: Repo) -> None:
    ten_workers(repo)
    months(repo, "w01")  # 6 perfect months: 优秀
    months(repo, "w02", count=5)  # only 5 months
    months(repo, "w03", count=5)
    repo.record("w03", "2026-06", extra=events(event("major_risk_incident", "2026-06-03")))  # veto
    months(repo, "w04", count=6)
    for month in range(7, 13):
        repo.record("w04", f"2026-{month:02d}")
    repo.record("w04", "2026-06", metrics=FAIL)  # 11 × 100 + 53 → mean 96.08, one monthly 不合格
    results = annual(repo)
    assert results["w01"]["grade"] == "优秀"
    assert results["w01"]["honors"][0] == "优秀网格员"
    assert (results["w02"]["total"], results["w02"]["grade"]) == ("100.00", "良好")
    assert results["w03"]["vetoed"] is True and results["w03"]["grade"] == "良好"
    assert (results["w04"]["total"], results["w04"]["grade"]) == ("96.08", "良好")


def test_quota_is_twenty_percent_with_tie_breaks(repo: Repo) -> None:
    ten_workers(repo)
    # quota = max(1, floor(20% × 10 assessed)) = 2
    months(repo, "w01")  # 100
    months(repo, "w02", metrics=metrics(case="good"))  # 98, intervention mean 43
    months(repo, "w03", metrics=metrics(method="good"))  # 98, intervention mean 45: wins the tie
    months(repo, "w04", metrics=metrics(method="good", warning=NO_WARNINGS))  # 98, 45, but 0 dissuaded
    for n in range(5, 11):
        months(repo, f"w{n:02d}", count=1, metrics=metrics(case="fair"))  # 96, one month
    results = annual(repo)
    excellent = sorted(w for w, r in results.items() if r["grade"] == "优秀")
    assert excellent == ["w01", "w03"]
    assert results["w02"]["grade"] == "良好"
    assert results["w04"]["grade"] == "良好"
    run = repo.run("score", "2026")
    assert "优秀名额：2 个" in run.out
    assert "超出名额" not in run.out


def test_ties_at_the_quota_boundary_all_get_it(repo: Repo) -> None:
    ten_workers(repo)
    months(repo, "w01")
    months(repo, "w02", metrics=metrics(method="good"))
    months(repo, "w03", metrics=metrics(method="good"))  # same total, intervention and dissuaded as w02
    for n in range(4, 11):
        months(repo, f"w{n:02d}", count=1)
    results = annual(repo)
    excellent = sorted(w for w, r in results.items() if r["grade"] == "优秀")
    assert excellent == ["w01", "w02", "w03"]
    run = repo.run("score", "2026")
    assert "名额边界并列，实际超出名额" in run.out
    explain = repo.run("explain", "w02", "2026")
    assert "名额边界并列，3 人均评为优秀，超出名额" in explain.out


def test_quota_is_at_least_one(repo: Repo) -> None:
    ten_workers(repo)
    months(repo, "w01")
    months(repo, "w02", metrics=metrics(case="good"))
    results = annual(repo)  # 2 assessed: floor(0.4) = 0, but at least 1
    assert [w for w, r in results.items() if r["grade"] == "优秀"] == ["w01"]


def test_anti_fraud_expert_top_three_by_intervention_mean(repo: Repo) -> None:
    ten_workers(repo)
    months(repo, "w01")  # intervention 45, dissuaded 30
    months(repo, "w02", metrics=metrics(warning=NO_WARNINGS))  # 45 but never dissuaded anyone
    months(repo, "w03", metrics=metrics(method="fair"))  # 45
    months(repo, "w04", metrics=metrics(case="good"))  # 43
    months(repo, "w05", metrics=metrics(asset="fair"))  # 30 + 10 + 3 = 43, tied with w04 at the boundary
    months(repo, "w06", count=5)
    repo.record("w06", "2026-06", extra=events(event("major_risk_incident", "2026-06-03")))  # vetoed
    months(repo, "w07", count=5)  # too few months
    months(repo, "w08", metrics=metrics(case="fair"))  # 41
    results = annual(repo)
    experts = sorted(w for w, r in results.items() if "反诈能手" in r["honors"])
    assert experts == ["w01", "w03", "w04", "w05"]


def test_annual_ranking_and_json_shape(repo: Repo) -> None:
    ten_workers(repo)
    months(repo, "w01")
    months(repo, "w02", metrics=metrics(case="good"))
    review(repo, "w02", "99.5")
    run = repo.run("score", "2026", "--json")
    data = json.loads(run.out)
    assert data["rubric"] == "2026"
    first = data["results"][0]
    assert list(first) == [
        "worker",
        "name",
        "community",
        "months_assessed",
        "monthly_mean",
        "review_score",
        "total",
        "grade",
        "rank",
        "honors",
        "vetoed",
    ]
    # w02: 0.7 × 98.00 + 0.3 × 99.5 = 68.6 + 29.85 = 98.45
    assert [(r["worker"], r["total"], r["rank"]) for r in data["results"]] == [
        ("w01", "100.00", 1),
        ("w02", "98.45", 2),
    ]


def test_sanctions_over_consecutive_months_and_years(repo: Repo) -> None:
    ten_workers(repo)
    for month in range(1, 13):
        repo.record("w01", f"2025-{month:02d}", metrics=FAIL)
    for month in range(1, 4):
        repo.record("w01", f"2026-{month:02d}", metrics=FAIL)
    repo.record("w02", "2026-01", metrics=FAIL)
    repo.record("w02", "2026-02")
    repo.record("w02", "2026-03", metrics=FAIL)
    repo.record("w03", "2026-02", extra=events(event("major_risk_incident", "2026-02-03")))
    sanctions = Results(load_dataset(repo.root)).sanctions()
    streaks = [(s.worker_id, str(s.period)) for s in sanctions if "岗位调整审查" in s.measures]
    # w01 fails every month from 2025-01: a streak of 3 reached in 2025-03 and on through 2026-03
    assert streaks[0] == ("w01", "2025-03")
    assert ("w01", "2026-01") in streaks  # the streak crosses the year boundary
    assert all(worker == "w01" for worker, _ in streaks)  # w02's fails are not consecutive
    annual = [(s.worker_id, s.period, s.measures) for s in sanctions if isinstance(s.period, Year)]
    assert annual == [
        ("w01", Year(2025), ("约谈", "业务培训")),
        ("w01", Year(2026), ("约谈", "业务培训")),
        ("w01", Year(2026), ("不再续聘审查",)),
    ]  # w02's 2026: (53 + 100 + 53) / 3 = 68.67, 合格
    vetoes = [(s.worker_id, s.period, s.measures) for s in sanctions if "通报批评" in s.measures]
    assert vetoes == [("w03", Month(2026, 2), ("通报批评",))]


def test_monthly_commendation_lists_excellent_workers_and_every_commendable_deed(repo: Repo) -> None:
    ten_workers(repo)
    repo.record("w01", "2026-03")  # 100: 优秀
    repo.record(
        "w02",
        "2026-03",
        metrics=metrics(case="poor"),  # 93: 优秀 too
        extra=events(event("loss_recovered", "2026-03-04", "    amount_yuan: 12000\n")),
    )
    repo.record(
        "w03",
        "2026-03",
        metrics=FAIL,  # 不合格, yet its deed is still commended
        extra=events(event("key_lead_case_solved", "2026-03-09"), event("info_error", "2026-03-10")),
    )
    commendation = Results(load_dataset(repo.root)).commendation(Month(2026, 3))
    assert [r.worker_id for r in commendation.excellent] == ["w01", "w02"]
    assert [(r.worker_id, e.kind.id) for r, e in commendation.deeds] == [
        ("w02", "loss_recovered"),
        ("w03", "key_lead_case_solved"),
    ]
