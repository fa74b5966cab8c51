"""The annual review sheet (``gridscore export 2026`` / ``gridscore import``) through the real command line.

Issue #12, case 6: a year could be sealed with no annual reviews, and there was
no way to carry them in Excel (``export 2026`` refused).
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from .conftest import Repo
from .test_excel import Sheet, _with_shared_strings, cli, snapshot

HEADERS = ["网格员编号", "姓名", "社区", "年度综合评议得分", "考评人编号", "评议日期"]
SUMMARY = "没有写入任何文件。请在表格中逐条修改后重新导入。"
REVIEWS_PART = "xl/worksheets/sheet2.xml"  # 年度评议 in an exported workbook


@pytest.fixture
def small(repo: Repo) -> Repo:
    """w1 (c1) and w3 (c2) have records in 2026; w2 (c1) has none."""
    repo.record("w1", "2026-01")
    repo.record("w1", "2026-02")
    repo.record("w3", "2026-01", community="c2")
    assert repo.run("check").code == 0, repo.run("check").err
    return repo


def export_year(root: Path, year: str = "2026") -> Path:
    target = root.parent / f"{year}年度评议.xlsx"
    result = cli(root, "export", year, str(target))
    assert result.code == 0, result.err
    return target


def fill(workbook: Path, rows: dict[str, dict[str, Any]], extra: list[dict[str, Any]] | None = None) -> list[int]:
    """Type values into the 年度评议 sheet by worker and field key (text typed as text); rows below for ``extra``."""
    wb = load_workbook(workbook)
    sheet = Sheet(wb["年度评议"])

    def put(row: int, key: str, value: Any) -> None:
        cell = sheet.ws.cell(row, sheet.keys[key])
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # as Excel stores what is typed (an “=…” after an apostrophe stays text)

    for worker, values in rows.items():
        for key, value in values.items():
            put(sheet.rows[worker], key, value)
    added = []
    for offset, values in enumerate(extra or []):
        row = max(sheet.rows.values()) + 1 + offset
        for key, value in values.items():
            put(row, key, value)
        added.append(row)
    wb.save(workbook)
    return added


def refused(root: Path, workbook: Path) -> list[str]:
    before = snapshot(root)
    result = cli(root, "import", str(workbook))
    assert result.code == 1, result.out
    assert snapshot(root) == before  # nothing half-written
    assert result.lines[-1] == f"发现 {len(result.lines) - 1} 个问题，{SUMMARY}"
    return result.lines[:-1]


GOOD = {"review_score": 88.5, "assessed_by": "a1", "assessed_on": date(2027, 1, 10)}


# --- export -------------------------------------------------------------------------------------


def test_export_lists_the_workers_new_2026_scaffolds(small: Repo) -> None:
    workbook = export_year(small.root)
    wb = load_workbook(workbook)
    assert wb.sheetnames == ["说明", "年度评议", "选项"]
    sheet = Sheet(wb["年度评议"])
    assert list(sheet.rows) == ["w1", "w3"]  # w2 has no record in 2026
    assert [sheet.ws.cell(sheet.rows["w3"], c).value for c in range(1, 7)] == [
        "w3",
        "王五",
        "第二社区",
        None,
        None,
        None,
    ]

    made = small.run("new", "2026")
    assert made.code == 0, made.err
    scaffolded = sorted(p.stem for p in (small.root / "records/2026/annual").rglob("*.yaml"))
    assert scaffolded == list(sheet.rows)


def test_the_sheet_is_protected_and_guided_like_the_monthly_one(small: Repo) -> None:
    wb = load_workbook(export_year(small.root))
    sheet = Sheet(wb["年度评议"])
    ws = sheet.ws
    assert [ws.cell(3, c).value for c in range(1, 7)] == HEADERS
    assert ws.row_dimensions[4].hidden and ws.freeze_panes == "C5"
    assert ws.protection.sheet and ws.protection.password is None
    for key in ("worker", "name", "community"):
        assert sheet.cell("w1", key).protection.locked
    for key in ("review_score", "assessed_by", "assessed_on"):
        assert not sheet.cell("w1", key).protection.locked

    def rule(key: str) -> Any:
        coordinate = sheet.cell("w3", key).coordinate  # the last row is covered too
        return next(dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref)

    score = rule("review_score")
    assert (score.type, score.operator, score.formula1, score.formula2) == ("decimal", "between", "0", "100")
    assert score.error == "年度综合评议得分应为 0 到 100 之间的数字，最多两位小数，如 88.5"
    assessors = rule("assessed_by")
    assert assessors.type == "list" and assessors.formula1 == "'选项'!$A$3:$A$4"
    choices = wb["选项"]
    assert [choices.cell(r, 1).value for r in (2, 3, 4)] == ["考评人编号", "a1", "a2"]
    assert choices.cell(4, 4).value == "第二社区" and choices.protection.sheet
    day = rule("assessed_on")
    assert (day.type, day.operator, day.formula1) == ("date", "greaterThanOrEqual", "DATE(2026,1,1)")

    guide = wb["说明"]
    assert any(guide.cell(r, 1).value == "考评年度" and guide.cell(r, 2).value == "2026" for r in range(1, 10))
    assert "records/2026/annual/社区编号/网格员编号.yaml" in "".join(
        str(guide.cell(r, 2).value) for r in range(1, guide.max_row + 1)
    )
    assert guide.protection.sheet


def test_export_prefills_the_existing_reviews_and_is_reproducible(sample: Path) -> None:
    workbook = export_year(sample, "2025")
    sheet = Sheet(load_workbook(workbook)["年度评议"])
    assert len(sheet.rows) == 40
    assert [sheet.cell("wg-0302", k).value for k in ("review_score", "assessed_by")] == [92.5, "zz-li"]
    assert sheet.cell("wg-0301", "assessed_on").value.date() == date(2026, 1, 8)
    assert sheet.cell("wg-0309", "review_score").value is None  # no review file
    first = workbook.read_bytes()
    assert export_year(sample, "2025").read_bytes() == first


def test_export_refuses_a_year_without_records_and_a_wrong_file_name(small: Repo) -> None:
    nothing = small.run("export", "2025", str(small.root.parent / "y.xlsx"))
    assert nothing.code == 1
    assert nothing.lines == [
        "错误：2025 年还没有任何月度考评记录，无从导出年度评议（年度评议只为当年参加过考评的网格员填写）"
    ]
    wrong = small.run("export", "2026", str(small.root.parent / "y.xls"))
    assert wrong.code == 1 and wrong.lines == ["错误：导出文件应以 .xlsx 结尾，实际为“y.xls”"]
    assert not list(small.root.parent.glob("y.*"))


# --- import: round trip and edits -------------------------------------------------------------


def test_an_untouched_workbook_changes_nothing(sample: Path) -> None:
    before = snapshot(sample)
    workbook = export_year(sample, "2025")
    result = cli(sample, "import", str(workbook))
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "已导入 2025年度：新建 0 份、更新 0 份年度评议，39 份没有变化。"
    _with_shared_strings(workbook)  # as Excel and WPS save text
    assert b"<is>" not in zipfile.ZipFile(workbook).read(REVIEWS_PART)
    assert cli(sample, "import", str(workbook)).code == 0
    assert snapshot(sample) == before


def test_a_new_review_is_written_as_new_2026_writes_it(small: Repo, tmp_path: Path) -> None:
    twin = Repo(tmp_path / "twin")  # the same repository, where `new 2026` has written the blanks
    for path in (small.root / "records").rglob("*.yaml"):
        twin.write(path.relative_to(small.root).as_posix(), path.read_text(encoding="utf-8"))
    assert twin.run("new", "2026").code == 0
    blank = (twin.root / "records/2026/annual/c1/w1.yaml").read_text(encoding="utf-8")
    blanks = snapshot(twin.root)

    workbook = export_year(small.root)
    fill(workbook, {"w1": GOOD})
    result = small.run("import", str(workbook))
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "已导入 2026年度：新建 1 份、更新 0 份年度评议，0 份没有变化。",
        "  records/2026/annual/c1/w1.yaml",
        "运行 gridscore score 2026 查看结果，git diff 查看改动。",
    ]
    written = (small.root / "records/2026/annual/c1/w1.yaml").read_text(encoding="utf-8")
    assert written == (
        blank.replace("review_score:         #", "review_score: 88.5    #")
        .replace("assessed_by:          #", "assessed_by: a1       #")
        .replace("assessed_on:          #", "assessed_on: 2027-01-10 #")
    )
    assert not (small.root / "records/2026/annual/c2").exists()  # w3's row was blank: no review yet
    assert small.run("check").code == 0
    assert '"review_score": "88.50"' in small.run("score", "2026", "--json").out

    # filling new's blank from the sheet gives the same file; the other blank is left as it is
    twin_book = export_year(twin.root)
    fill(twin_book, {"w1": GOOD})
    result = twin.run("import", str(twin_book))
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "已导入 2026年度：新建 0 份、更新 1 份年度评议，1 份没有变化。"
    after = snapshot(twin.root)
    assert {p for p in after if after[p] != blanks[p]} == {"records/2026/annual/c1/w1.yaml"}
    assert after["records/2026/annual/c1/w1.yaml"].decode() == written


def test_one_edited_score_changes_exactly_one_file(small: Repo) -> None:
    original = (
        "# 年度评议（手写）\n"
        "worker: w1\nyear: 2026\n"
        "review_score: 80      # 群众评议 40 + 走访 25 + 台账 15\n"
        "assessed_by: a1\nassessed_on: 2027-01-10\n"
    )
    small.write("records/2026/annual/c1/w1.yaml", original)
    small.write(
        "records/2026/annual/c2/w3.yaml",
        "worker: w3\nyear: 2026\nreview_score: 70\nassessed_by: a2\nassessed_on: 2027-01-09\n",
    )
    before = snapshot(small.root)
    workbook = export_year(small.root)
    fill(workbook, {"w1": {"review_score": 82.25}})
    result = small.run("import", str(workbook))
    assert result.code == 0, result.err
    assert result.out.splitlines()[:2] == [
        "已导入 2026年度：新建 0 份、更新 1 份年度评议，1 份没有变化。",
        "  records/2026/annual/c1/w1.yaml",
    ]
    after = snapshot(small.root)
    assert {p for p in after if after[p] != before.get(p)} == {"records/2026/annual/c1/w1.yaml"}
    assert after["records/2026/annual/c1/w1.yaml"].decode() == original.replace(
        "review_score: 80      #", "review_score: 82.25   #"
    )  # the comment keeps its column, the rest its bytes


def test_a_blank_row_keeps_an_existing_review(sample: Path) -> None:
    workbook = export_year(sample, "2025")
    fill(workbook, {"wg-0301": {"review_score": None, "assessed_by": None, "assessed_on": None}})
    before = snapshot(sample)
    result = cli(sample, "import", str(workbook))
    assert result.code == 0, result.err
    assert "以下网格员的行是空的，已有的记录保持不变：wg-0301" in result.out
    assert snapshot(sample) == before


def test_a_cleared_cell_of_a_review_is_refused_at_its_cell(sample: Path) -> None:
    workbook = export_year(sample, "2025")
    fill(workbook, {"wg-0302": {"assessed_on": None}})
    row = Sheet(load_workbook(workbook)["年度评议"]).rows["wg-0302"]
    assert refused(sample, workbook) == [f"{workbook} 年度评议!F{row}: “评议日期”未填写，格式如 2026-04-02"]


def test_a_change_to_a_sealed_year_is_refused(sample: Path) -> None:
    workbook = export_year(sample, "2025")
    fill(workbook, {"wg-0301": {"review_score": 78}})
    lines = refused(sample, workbook)
    assert any("wg-0301" in line and "77.00 → 78.00" in line for line in lines), lines


# --- import: each problem at its cell, under its Chinese header ----------------------------------


def test_cross_file_problems_name_sheet_row_and_column(small: Repo) -> None:
    workbook = export_year(small.root)
    added = fill(
        workbook,
        {
            "w1": {**GOOD, "assessed_by": "a2", "assessed_on": date(2028, 1, 5)},
            "w3": {**GOOD, "assessed_by": "zz"},
        },
        extra=[{"worker": "w2", **GOOD}, {"worker": "w9", **GOOD}, {"worker": "w1", **GOOD}, {"review_score": 1}],
    )
    w2, w9, again, nobody = added
    assert refused(small.root, workbook) == [
        f"{workbook} 年度评议!E5: 考评人 a2（赵六）只能考评 c2 的网格员，不能考评社区 c1 的 w1",
        f"{workbook} 年度评议!F5: 评议日期 2028-01-05 晚于今天（2027-12-31）：不能填写将来的日期，"
        "请核对年份和月份（要按另一天检查，用 --today）",
        f"{workbook} 年度评议!E6: 未知的考评人“zz”（已登记的考评人：a1、a2）",
        f"{workbook} 年度评议!A{w2}: 网格员 w2（欧阳娜娜）2026 年没有任何月度考评记录，不能进行年度评议",
        f"{workbook} 年度评议!A{w9}: 编号“w9”不是登记的网格员，这一行不能导入（请不要修改灰色的编号列）",
        f"{workbook} 年度评议!A{again}: 网格员 w1 有两行（另见第 5 行），请只保留一行",
        f"{workbook} 年度评议!A{nobody}: 这一行没有网格员编号：请不要修改灰色的编号列，也不要在表格下方另加行",
    ]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param({"review_score": 101}, "D5: “年度综合评议得分”应在 0 到 100 之间，实际为 101", id="over-100"),
        pytest.param({"review_score": -0.5}, "D5: “年度综合评议得分”应在 0 到 100 之间，实际为 -0.5", id="negative"),
        pytest.param({"review_score": 88.555}, "D5: “年度综合评议得分”最多保留两位小数，实际为 88.555", id="precision"),
        pytest.param(
            {"review_score": "八十八"}, "D5: “年度综合评议得分”应为 0–100 的数字，实际为 “八十八”", id="words"
        ),
        pytest.param({"review_score": "88,5"}, "D5: “年度综合评议得分”应为 0–100 的数字，实际为 “88,5”", id="comma"),
        pytest.param(
            {"review_score": "٨٨"}, "D5: “年度综合评议得分”应为 0–100 的数字，实际为 “٨٨”", id="arabic-digits"
        ),
        pytest.param(
            {"review_score": "=1+1"}, "D5: “年度综合评议得分”应为 0–100 的数字，实际为 “=1+1”", id="formula-text"
        ),
        pytest.param(
            {"review_score": "9" * 5000},
            f"D5: “年度综合评议得分”应为 0–100 的数字，实际为 “{'9' * 40}…”",
            id="huge-number",
        ),
        pytest.param(
            {"assessed_by": "x" * 32767}, "E5: “考评人编号”不能超过 64 个字符，实际为 32767 个字符", id="huge-text"
        ),
        pytest.param(
            {"assessed_on": "明年一月"}, "F5: “评议日期”应为日期，格式如 2026-04-02，实际为 “明年一月”", id="date-words"
        ),
    ],
)
def test_a_bad_cell_is_refused_with_its_header(small: Repo, values: dict[str, Any], expected: str) -> None:
    workbook = export_year(small.root)
    fill(workbook, {"w1": {**GOOD, **values}})
    assert refused(small.root, workbook) == [f"{workbook} 年度评议!{expected}"]


def test_a_partly_filled_row_names_each_empty_cell(small: Repo) -> None:
    workbook = export_year(small.root)
    fill(workbook, {"w1": {"review_score": 90}})
    assert refused(small.root, workbook) == [
        f"{workbook} 年度评议!E5: “考评人编号”不能为空",
        f"{workbook} 年度评议!F5: “评议日期”未填写，格式如 2026-04-02",
    ]


# --- hostile and odd cells ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "written"),
    [("８８．５", "88.5"), ("\u3000９０\u3000", "90"), ("88.50", "88.5"), (" 70 ", "70"), (100, "100")],
    ids=["full-width", "ideographic-spaces", "trailing-zero", "spaces", "whole"],
)
def test_full_width_digits_are_the_number_they_show(small: Repo, typed: Any, written: str) -> None:
    """§9: a score typed with a Chinese input method in full-width mode is read as the number it shows."""
    workbook = export_year(small.root)
    fill(workbook, {"w1": {**GOOD, "review_score": typed}})
    result = small.run("import", str(workbook))
    assert result.code == 0, result.err
    text = (small.root / "records/2026/annual/c1/w1.yaml").read_text(encoding="utf-8")
    assert f"review_score: {written} " in text
    assert small.run("check").code == 0


def test_text_that_looks_like_a_formula_is_exported_as_text(small: Repo) -> None:
    small.write(
        "records/2026/annual/c1/w1.yaml",
        'worker: w1\nyear: 2026\nreview_score: "=1+1"\nassessed_by: \'=HYPERLINK("x")\'\nassessed_on: 2027-01-10\n',
    )
    workbook = export_year(small.root)
    with zipfile.ZipFile(workbook) as archive:
        xml = archive.read(REVIEWS_PART).decode()
    assert "<f>" not in xml
    assert "<is><t>=1+1</t></is>" in xml and '<is><t>=HYPERLINK("x")</t></is>' in xml
    sheet = Sheet(load_workbook(workbook)["年度评议"])
    assert sheet.cell("w1", "review_score").quotePrefix  # editing the cell in Excel keeps it text
    assert sheet.cell("w1", "assessed_by").data_type == "s"

    before = snapshot(small.root)
    result = small.run("import", str(workbook))  # the same text comes back: nothing is rewritten
    assert result.code == 0, result.err
    assert "新建 0 份、更新 0 份年度评议，1 份没有变化" in result.out
    assert "与本次导入无关的问题" in result.out  # the file itself is still wrong, as check says
    assert snapshot(small.root) == before


def test_a_month_workbook_and_a_year_workbook_are_told_apart(small: Repo) -> None:
    """The 说明 sheet says which: a year's workbook never writes monthly records, nor the other way round."""
    yearly = export_year(small.root)
    monthly = small.root.parent / "2026-01.xlsx"
    assert small.run("export", "2026-01", str(monthly)).code == 0
    fill(yearly, {"w1": GOOD})
    before = snapshot(small.root)
    assert small.run("import", str(monthly)).code == 0
    assert snapshot(small.root) == before
    assert small.run("import", str(yearly)).code == 0
    after = snapshot(small.root)
    assert {p for p in after if after[p] != before.get(p)} == {"records/2026/annual/c1/w1.yaml"}


def test_a_worker_of_an_unregistered_community_is_no_crash(small: Repo) -> None:
    """The organization's own problem (check names it) leaves export and import working, never exit 2."""
    org = (small.root / "records/organization.yaml").read_text(encoding="utf-8")
    small.write(
        "records/organization.yaml",
        org.replace("{id: w3, name: 王五, community: c2,", "{id: w3, name: 王五, community: c9,"),
    )
    small.write("records/2026/01/c9/w3.yaml", (small.root / "records/2026/01/c2/w3.yaml").read_text(encoding="utf-8"))
    (small.root / "records/2026/01/c2/w3.yaml").unlink()
    assert any("未知的社区“c9”" in line for line in small.run("check").lines)
    workbook = export_year(small.root)
    assert Sheet(load_workbook(workbook)["年度评议"]).cell("w3", "community").value == "c9"
    fill(workbook, {"w3": GOOD})
    result = small.run("import", str(workbook))
    assert result.code == 0, result.err
    assert "  records/2026/annual/c9/w3.yaml" in result.out.splitlines()
    assert "注意：仓库中另有 1 个与本次导入无关的问题，请运行 gridscore check 查看。" in result.out


def test_a_linked_annual_folder_is_never_written_into(small: Repo, tmp_path: Path) -> None:
    workbook = export_year(small.root)
    fill(workbook, {"w1": GOOD})
    outside = tmp_path / "outside"
    outside.mkdir()
    (small.root / "records/2026/annual").symlink_to(outside, target_is_directory=True)
    assert refused(small.root, workbook) == [
        "records/2026/annual/c1/w1.yaml: 不能写入：路径中的 records/2026/annual 不是文件夹，而是符号链接"
    ]
    assert list(outside.iterdir()) == []
