"""The 奖惩台账 (PRODUCT.md §10): rewards as rubric data, the ledger command, follow-ups, and what stays internal.

The hand computation reads the rubric YAML, the seal files and the records directly (PyYAML, no
gridscore code), so a mistake in the ledger cannot also be in the figures it is checked against.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PROJECT, run_cli

CENT = Decimal("0.01")


# --- the hand computation ------------------------------------------------------------------------


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def editions() -> list[dict[str, Any]]:
    """Every rubric edition, oldest first (effective_from as YYYY-MM text)."""
    found = [load(path) for path in sorted((PROJECT / "rubric").glob("*.yaml"))]
    for rubric in found:
        rubric["effective_from"] = str(rubric["effective_from"])[:7]
    return sorted(found, key=lambda r: r["effective_from"])


def edition_for(month: str) -> dict[str, Any]:
    """The edition in force for a month: the latest whose effective_from is not after it."""
    return [r for r in editions() if r["effective_from"] <= month][-1]


def sealed_results(period: str) -> dict[str, dict[str, Any]]:
    """A seal's results by worker, with every correction's new values applied."""
    seal = load(PROJECT / f"records/seals/{period}.yaml")
    results = {row["worker"]: dict(row) for row in seal["results"]}
    for correction in seal.get("corrections") or []:
        for change in correction["changes"]:
            results[change["worker"]][change["field"]] = change["new"]
    return results


def record_events(month: str, worker: str) -> list[dict[str, Any]]:
    year, mm = month.split("-")
    found = list((PROJECT / f"records/{year}/{mm}").glob(f"*/{worker}.yaml"))
    assert len(found) == 1, (month, worker, found)
    return load(found[0]).get("events") or []


def hand_month(month: str) -> dict[str, dict[str, Decimal]]:
    """What each worker is paid for a sealed month, worked out from the files alone."""
    rubric = edition_for(month)
    rewards = rubric["rewards"]
    grade_ids = {g["name"]: g["id"] for g in rubric["grades"]}
    paid = {}
    for worker, row in sealed_results(month).items():
        grade = grade_ids[row["grade"]]
        monthly = Decimal(str(rewards["monthly_by_grade"].get(grade, 0)))
        if row["vetoed"] and rewards.get("veto_forfeits_monthly", True):
            monthly = Decimal(0)
        events = sum(
            (
                Decimal(str(rewards["events"][e["kind"]]))
                for e in record_events(month, worker)
                if e["kind"] in rewards["events"]
            ),
            Decimal(0),
        )
        paid[worker] = {"monthly": monthly, "events": events, "honors": Decimal(0)}
    return paid


def sealed_months() -> list[str]:
    return sorted(p.stem for p in (PROJECT / "records/seals").glob("*.yaml") if "-" in p.stem)


def ledger_json(period: str, root: Path = PROJECT) -> dict[str, Any]:
    run = run_cli("ledger", period, "--json", "--root", str(root))
    assert run.code == 0, run.err
    return json.loads(run.out)


def as_decimals(result: dict[str, str]) -> dict[str, Decimal]:
    return {key: Decimal(result[key]) for key in ("monthly", "events", "honors")}


@pytest.mark.parametrize("month", sealed_months())
def test_a_sealed_month_pays_what_the_rubric_and_the_seal_say(month: str) -> None:
    rubric = edition_for(month)
    assert load(PROJECT / f"records/seals/{month}.yaml")["rubric"] == rubric["version"]
    expected = hand_month(month)
    ledger = ledger_json(month)
    assert ledger["period"] == month and ledger["sealed"] is True and ledger["currency"] == "元"
    got = {r["worker"]: as_decimals(r) for r in ledger["results"]}
    assert got == expected
    for r in ledger["results"]:
        assert Decimal(r["total"]) == sum(expected[r["worker"]].values())
        assert all(re.fullmatch(r"\d+\.\d\d", r[key]) for key in ("monthly", "events", "honors", "total")), r


def test_the_hand_computation_meets_every_kind_of_reward() -> None:
    """Not empty words: the sealed months pay by grade, for events and forfeit a vetoed month."""
    months = {m: hand_month(m) for m in sealed_months()}
    assert any(p["events"] for paid in months.values() for p in paid.values())
    assert {"2025", "2026"} == {edition_for(m)["version"] for m in months}
    vetoed = [
        (m, w)
        for m in months
        for w, row in sealed_results(m).items()
        if row["vetoed"] and row["grade"] in ("良好", "优秀")
    ]
    assert vetoed == [] or all(months[m][w]["monthly"] == 0 for m, w in vetoed)
    assert any(row["vetoed"] for m in months for row in sealed_results(m).values())


def test_editions_apply_by_effective_from() -> None:
    """2025's months pay 2025's amounts (excellent 200), 2026's months 2026's (excellent 300)."""
    for month, amount in (("2025-06", "200.00"), ("2026-06", "300.00")):
        excellent = [r for r in ledger_json(month)["results"] if r["grade"] == "优秀" and r["events"] == "0.00"]
        assert excellent, month
        assert {r["monthly"] for r in excellent} == {amount}, month


def test_a_sealed_year_sums_its_months_and_pays_its_honors() -> None:
    rubric = edition_for("2025-12")
    honor_ids = {h["name"]: h["id"] for h in rubric["honors"]}
    expected: dict[str, dict[str, Decimal]] = {}
    for month in [m for m in sealed_months() if m.startswith("2025-")]:
        for worker, paid in hand_month(month).items():
            total = expected.setdefault(worker, {"monthly": Decimal(0), "events": Decimal(0), "honors": Decimal(0)})
            total["monthly"] += paid["monthly"]
            total["events"] += paid["events"]
    for worker, row in sealed_results("2025").items():
        expected[worker]["honors"] = sum(
            (Decimal(str(rubric["rewards"]["honors"][honor_ids[name]])) for name in row["honors"]), Decimal(0)
        )
    ledger = ledger_json("2025")
    assert ledger["sealed"] is True
    assert {r["worker"]: as_decimals(r) for r in ledger["results"]} == expected
    assert any(paid["honors"] for paid in expected.values())


def test_an_unsealed_year_pays_no_honors_and_says_so() -> None:
    ledger = ledger_json("2026")
    assert ledger["sealed"] is False
    assert {r["honors"] for r in ledger["results"]} == {"0.00"}
    text = run_cli("ledger", "2026", "--root", str(PROJECT))
    assert text.code == 0 and "暂定" in text.out.splitlines()[1]
    assert "荣誉奖励在年度结果封存后计入" in text.out


def test_an_unsealed_month_is_provisional(sample: Path) -> None:
    months = sorted(p.name for p in (sample / "records/2026").iterdir() if p.name.isdigit())
    latest = f"2026-{months[-1]}"
    assert not (sample / f"records/seals/{latest}.yaml").exists()
    ledger = ledger_json(latest, sample)
    assert ledger["sealed"] is False
    text = run_cli("ledger", latest, "--root", str(sample)).out
    assert "暂定：本期结果尚未封存" in text and "不能作为发放依据" in text


def test_the_text_shows_community_and_unit_totals() -> None:
    expected = hand_month("2026-09")
    total = sum((sum(p.values()) for p in expected.values()), Decimal(0))
    out = run_cli("ledger", "2026-09", "--root", str(PROJECT)).out
    assert re.search(rf"东风街道合计\s+{len(expected)}\s+{total.quantize(CENT)}$", out, re.M), out
    org = load(PROJECT / "records/organization.yaml")
    for community in org["communities"]:
        members = [w["id"] for w in org["workers"] if w["community"] == community["id"] and w["id"] in expected]
        subtotal = sum((sum(expected[w].values()) for w in members), Decimal(0))
        assert re.search(rf"^{community['name']}\s+{len(members)}\s+{subtotal.quantize(CENT)}$", out, re.M), community


def test_explain_shows_each_reward() -> None:
    row = next(r for r in ledger_json("2026-09")["results"] if r["events"] != "0.00")
    out = run_cli("explain", row["worker"], "2026-09", "--root", str(PROJECT)).out
    assert f"月度绩效奖励：{row['grade']} → {row['monthly']} 元" in out
    events = [Decimal(m) for m in re.findall(r"专项奖金：.+ → (\d+\.\d\d) 元", out)]
    assert sum(events, Decimal(0)) == Decimal(row["events"])
    unsealed = run_cli("explain", row["worker"], "2026", "--root", str(PROJECT)).out
    assert "荣誉奖励：" not in unsealed or "封存后才发放" in unsealed
    assert "→" not in unsealed.split("奖励（", 1)[-1]  # no honor amount before the year's seal


# --- rubric checks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("{excellent: 300, good: 150", "{excelent: 300, good: 150", "未知的等次“excelent”"),
        ("    major_dissuasion: 500", "    major_risk_incident: 500", "专项奖金只能设给加分事件"),
        ("    major_dissuasion: 500", "    no_such_event: 500", "未知的事件类型“no_such_event”"),
        ("{anti_fraud_expert: 2000,", "{anti_fraud_master: 2000,", "未知的荣誉“anti_fraud_master”"),
        ("{excellent: 300, good: 150", "{excellent: 300.005, good: 150", "“excellent”最多保留 2 位小数"),
        ("{excellent: 300, good: 150", "{excellent: -300, good: 150", "“excellent”不能为负数"),
        ("    loss_recovered: 500", "    loss_recovered: 五百", "“loss_recovered”应为数字"),
    ],
)
def test_a_bad_reward_is_refused_at_its_line(sample: Path, old: str, new: str, message: str) -> None:
    path = sample / "rubric/2026.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if new in row)
    run = run_cli("check", "--root", str(sample))
    assert run.code == 1
    assert any(p.startswith(f"rubric/2026.yaml:{line}:") and message in p for p in run.lines), run.err
    # one problem, at its line: not also every seal (its records are there, only the rubric is wrong)
    assert len(run.lines) == 2 and run.lines[-1].startswith("发现 1 个问题"), run.err


def test_amounts_to_the_fen_are_accepted(sample: Path) -> None:
    path = sample / "rubric/2026.yaml"
    text = path.read_text(encoding="utf-8").replace("{excellent: 300, good: 150", "{excellent: 300.55, good: 150.1", 1)
    path.write_text(text, encoding="utf-8")
    (sample / "records/seals").rename(sample / "seals-away")  # the edited rubric changes no score, but be plain
    ledger = ledger_json("2026-09", sample)
    assert {r["monthly"] for r in ledger["results"] if r["grade"] == "优秀"} == {"300.55"}
    assert {r["monthly"] for r in ledger["results"] if r["grade"] == "良好"} == {"150.10"}


def test_an_edition_without_rewards_pays_nothing_and_says_so(sample: Path) -> None:
    path = sample / "rubric/2026.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("\n# 物质奖励")
    end = text.index("\n  honors: {anti_fraud_expert", start)
    end = text.index("\n", end + 1)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    (sample / "records/seals").rename(sample / "seals-away")
    assert {r["total"] for r in ledger_json("2026-09", sample)["results"]} == {"0.00"}
    assert "没有设置物质奖励" in run_cli("ledger", "2026-09", "--root", str(sample)).out


# --- follow-ups ------------------------------------------------------------------------------------

# In the sample, 2026-09's measures for wg-0306 (朝阳社区, 不合格) are left undone on purpose.
UNDONE = "records/followups/2026-09/wg-0306.yaml"


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def check(root: Path) -> list[str]:
    run = run_cli("check", "--root", str(root))
    return run.lines if run.code else []


def test_a_follow_up_marks_its_measure_done(sample: Path) -> None:
    before = run_cli("ledger", "2026-09", "--root", str(sample)).out
    assert re.search(r"wg-0306 唐亮\s+约谈提醒：逾期未落实", before), before
    write(
        sample,
        UNDONE,
        "- measure: 约谈提醒\n  done_on: 2026-10-20\n  by: zz-li\n  note: 谈话\n"
        "- measure: 业务培训\n  done_on: 2026-10-28\n  by: pcs-wang\n",
    )
    assert check(sample) == []
    after = run_cli("ledger", "2026-09", "--root", str(sample)).out
    assert "wg-0306 唐亮  约谈提醒：已落实（2026-10-20" in after
    assert "wg-0306 唐亮  业务培训：已落实（2026-10-28" in after


def test_check_counts_overdue_measures_without_failing() -> None:
    run = run_cli("check", "--root", str(PROJECT), "--today", "2026-12-02")
    assert run.code == 0, run.err
    assert re.search(r"提示：\d+ 项处理措施逾期未落实（不影响检查结果）", run.out + run.err)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("measure: 约谈提醒\ndone_on: 2026-10-20\nby: nobody\n", 3, "未知的考评人“nobody”"),
        ("measure: 约谈提醒\ndone_on: 2028-01-05\nby: zz-li\n", 2, "2028-01-05"),
        ("measure: 约谈提醒\ndone_on: 2026-08-20\nby: zz-li\n", 2, "早于考评期 2026-09 的开始"),
        (
            "measure: 岗位调整审查\ndone_on: 2026-10-20\nby: zz-li\n",
            1,
            "不是考评标准对网格员 wg-0306 2026年9月规定的处理措施",
        ),
        (
            "- {measure: 约谈提醒, done_on: 2026-10-20, by: zz-li}\n- {measure: 约谈提醒, done_on: 2026-10-21, by: zz-li}\n",
            2,
            "已在第 1 条登记过",
        ),
        ("measure: 约谈提醒\ndone_on: 2026-10-20\nby: zz-li\nwhen: today\n", 4, "when"),
    ],
)
def test_a_bad_follow_up_is_refused_at_its_line(sample: Path, text: str, line: int, message: str) -> None:
    write(sample, UNDONE, text)
    problems = check(sample)
    assert any(p.startswith(f"{UNDONE}:{line}:") and message in p for p in problems), problems


def test_a_follow_up_for_a_worker_without_measures_is_refused(sample: Path) -> None:
    path = "records/followups/2026-09/wg-0101.yaml"
    write(sample, path, "measure: 约谈提醒\ndone_on: 2026-10-20\nby: zz-li\n")
    problems = check(sample)
    assert any(p.startswith(f"{path}:1:") and "没有需要落实的处理措施" in p for p in problems), problems


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("records/followups/2026-09/wg-9999.yaml", "不在 organization.yaml 中"),
        ("records/followups/2026-9/wg-0306.yaml", "records/followups/"),
        ("records/followups/wg-0306.yaml", "records/followups/"),
    ],
)
def test_a_misplaced_follow_up_is_refused(sample: Path, path: str, message: str) -> None:
    target = sample / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("measure: 约谈提醒\ndone_on: 2026-10-20\nby: zz-li\n", encoding="utf-8")
    problems = check(sample)
    assert any(p.startswith(path) and message in p for p in problems), problems


def test_an_empty_follow_up_list_is_refused(sample: Path) -> None:
    write(sample, UNDONE, "[]\n")
    problems = check(sample)
    assert any(p.startswith(f"{UNDONE}:") for p in problems), problems


# --- internal only ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("ledger-sites")
    built = {}
    for audience in ("public", "internal"):
        run = run_cli("build", "--root", str(PROJECT), "--audience", audience, "--site-dir", str(out / audience))
        assert run.code == 0, run.err
        built[audience] = out / audience
    return built


def followup_notes() -> list[str]:
    notes = set()
    for path in (PROJECT / "records/followups").rglob("*.yaml"):
        data = load(path)
        for entry in data if isinstance(data, list) else [data]:
            if entry.get("note"):
                notes.add(entry["note"])
    assert notes
    return sorted(notes)


def site_text(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in site.rglob("*")
        if p.is_file() and p.suffix in {".html", ".json", ".csv", ".xml", ".txt", ".js", ".md"}
    }


def measure_names() -> set[str]:
    names: set[str] = set()
    for rubric in editions():
        for measures in rubric["sanctions"].values():
            if isinstance(measures, list):
                names |= set(measures)
            elif isinstance(measures, dict):
                names |= set(measures["measures"])
    return names


LEDGER_WORDS = ["奖惩台账", "绩效奖励", "专项奖金", "荣誉奖励", "发放表", "internal/ledger"]
AMOUNTS = re.compile(r"\d+\.\d\d 元")


def test_the_public_build_has_no_amount_measure_or_follow_up(sites: dict[str, Path]) -> None:
    files = site_text(sites["public"])
    words = [*LEDGER_WORDS, *measure_names(), *followup_notes()]
    found = {word: [path for path, text in files.items() if word in text] for word in words}
    assert {word: paths for word, paths in found.items() if paths} == {}
    assert {path: AMOUNTS.findall(text)[:3] for path, text in files.items() if AMOUNTS.search(text)} == {}


def test_the_words_the_public_build_must_not_have_are_in_the_internal_one(sites: dict[str, Path]) -> None:
    """The public test looks for what the internal build really shows."""
    text = "\n".join(site_text(sites["internal"]).values())
    shown = {"约谈提醒", "业务培训"} & measure_names()
    assert shown and all(word in text for word in [*LEDGER_WORDS, *shown, *followup_notes()])
    assert AMOUNTS.search(text)


def test_the_internal_build_has_the_ledger(sites: dict[str, Path]) -> None:
    site = sites["internal"]
    index = (site / "internal/ledger/index.html").read_text(encoding="utf-8")
    assert "未落实的处理措施" in index and "逾期未落实" in index
    page = (site / "internal/ledger/2026-09/index.html").read_text(encoding="utf-8")
    total = sum((sum(p.values()) for p in hand_month("2026-09").values()), Decimal(0))
    assert f"<strong>{total.quantize(CENT)}</strong>" in page
    assert "逾期未落实</strong>：应于" in page
    done = (site / "internal/ledger/2026-08/index.html").read_text(encoding="utf-8")
    assert "<strong>已落实</strong>：2026-09-13，经办人" in done
    provisional = (site / "internal/ledger/2026-10/index.html").read_text(encoding="utf-8")
    assert "暂定" in provisional and "不能作为发放依据" in provisional
    assert "gridscore export-ledger 2026-10" not in provisional


# --- the finance sheet -------------------------------------------------------------------------------


def export(period: str, target: Path, root: Path = PROJECT) -> Any:
    return run_cli("export-ledger", period, str(target), "--root", str(root))


def test_the_finance_sheet_is_the_ledger_on_a4_landscape(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "发放表.xlsx"
    run = export("2026-09", target)
    assert run.code == 0, run.err
    assert "已导出 2026年9月奖励发放表：39 名网格员" in run.out
    ws = load_workbook(target).active
    assert ws.title == "发放表"
    assert ws["A1"].value == "示例区东风街道 2026年9月网格反诈考评奖励发放表"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$4:$4"  # the header row on every printed page
    header = [cell.value for cell in ws[4]]
    assert header == ["序号", "社区", "编号", "姓名", "等次", "月度绩效奖励", "专项奖金", "合计", "领款人签字"]
    rows = {r[2]: r for r in ws.iter_rows(min_row=5, values_only=True) if isinstance(r[0], int)}
    ledger = {r["worker"]: r for r in ledger_json("2026-09")["results"]}
    assert set(rows) == set(ledger)
    for worker, row in rows.items():
        assert row[3] == ledger[worker]["name"] and row[4] == ledger[worker]["grade"]
        assert [Decimal(str(v)).quantize(CENT) for v in row[5:8]] == [
            Decimal(ledger[worker][key]) for key in ("monthly", "events", "total")
        ]
        assert row[8] is None  # the 签字 column is blank
    labels = [r[0] for r in ws.iter_rows(min_row=5, values_only=True) if isinstance(r[0], str)]
    total = sum((Decimal(r["total"]) for r in ledger.values()), Decimal(0))
    unit_row = next(r for r in ws.iter_rows(min_row=5, values_only=True) if r[0] == "东风街道合计（39 人）")
    assert Decimal(str(unit_row[7])).quantize(CENT) == total
    assert sum(1 for label in labels if "小计" in label) == 4
    assert total == Decimal("7900.00") and "合计金额（大写）：人民币柒仟玖佰元整" in labels
    assert any(label.startswith("制表人：") for label in labels)


def test_a_year_sheet_has_the_honor_rewards(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    assert export("2025", tmp_path / "y.xlsx").code == 0
    ws = load_workbook(tmp_path / "y.xlsx").active
    assert "荣誉奖励" in [cell.value for cell in ws[4]]
    honors = sum((Decimal(r["honors"]) for r in ledger_json("2025")["results"]), Decimal(0))
    unit_row = next(r for r in ws.iter_rows(min_row=5, values_only=True) if str(r[0]).startswith("东风街道合计"))
    assert Decimal(str(unit_row[7])).quantize(CENT) == honors > 0


def test_re_exporting_gives_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert export("2026-03", first).code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")  # another day: the sheet's dates are the seal's
    assert export("2026-03", second).code == 0
    assert first.read_bytes() == second.read_bytes()


def test_an_unsealed_period_has_no_finance_sheet(sample: Path, tmp_path: Path) -> None:
    target = tmp_path / "x.xlsx"
    for period in ("2026-10", "2026"):
        run = export(period, target, sample)
        assert run.code != 0 and not target.exists()
        assert "尚未封存：发放表只能依据已封存的结果生成" in run.err and f"gridscore seal {period}" in run.err


def test_the_finance_sheet_is_never_written_through_a_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    link = tmp_path / "l.xlsx"
    link.symlink_to(outside)
    run = export("2026-09", link)
    assert run.code != 0 and outside.read_text(encoding="utf-8") == "keep" and link.is_symlink()
    assert export("2026-09", tmp_path / "x.csv").code != 0


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "人民币零元整"),
        ("0.05", "人民币伍分"),
        ("0.50", "人民币伍角整"),
        ("10.05", "人民币壹拾元零伍分"),
        ("1001", "人民币壹仟零壹元整"),
        ("1005.50", "人民币壹仟零伍元伍角整"),
        ("1010", "人民币壹仟零壹拾元整"),
        ("7900.00", "人民币柒仟玖佰元整"),
        ("100010", "人民币壹拾万零壹拾元整"),
        ("20000000", "人民币贰仟万元整"),
        ("100001000", "人民币壹亿零壹仟元整"),
        ("12345678.91", "人民币壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角壹分"),
    ],
)
def test_amounts_in_words(amount: str, words: str) -> None:
    from generator.excel.ledger import rmb_in_words

    assert rmb_in_words(Decimal(amount)) == words


def test_names_that_look_like_formulas_stay_text_in_the_finance_sheet(sample: Path, tmp_path: Path) -> None:
    import zipfile

    organization = sample / "records/organization.yaml"
    text = organization.read_text(encoding="utf-8")
    assert "    name: 张伟\n" in text and "name: 东风第一社区" in text
    text = text.replace("    name: 张伟\n", '    name: "=HYPERLINK(\\"//x\\",\\"y\\")"\n', 1)
    organization.write_text(text.replace("name: 东风第一社区", 'name: "@SUM(A1)"', 1), encoding="utf-8")
    target = tmp_path / "f.xlsx"
    run = export("2026-09", target, sample)
    assert run.code == 0, run.err
    with zipfile.ZipFile(target) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        styles = archive.read("xl/styles.xml").decode()
    assert "<f>" not in sheet  # no formula anywhere: every total is a value
    quoted = [
        i for i, xf in enumerate(re.findall(r"<xf [^>]*>", styles.split("<cellXfs")[1])) if 'quotePrefix="1"' in xf
    ]
    for value in ('=HYPERLINK("//x","y")', "@SUM(A1)"):
        cells = re.findall(rf'<c r="[A-Z]+\d+" s="(\d+)" t="inlineStr"><is><t>{re.escape(value)}</t></is></c>', sheet)
        assert cells and all(int(style) in quoted for style in cells), value
