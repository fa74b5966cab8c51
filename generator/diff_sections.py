"""The sections of the PR report, most urgent first: problems, seals, missing records, the rubric,
results, record fields, files. Each returns the parts ``diff_render.Report`` lays out and cuts."""

from __future__ import annotations

from pathlib import Path

from .diff_compare import PeriodChange, Side, load_side, mixed_tree, period_key
from .diff_records import FileChange, record_changes, shown_value
from .diff_render import MARKER, Block, Group, Part, code, escape, fenced, table, value
from .diff_rubric import read_rubric, rubric_changes, rubric_outline
from .periods import Month, Period, Year
from .seal import differences, pending_corrections

MISSING_PER_LINE = 20  # names of workers without a record, per line of the warning


def header(old: Side, new: Side, changed: list[str], changes: list[PeriodChange], history: list[str]) -> list[str]:
    title = f"## 考评结果变化：{code(old.label)} → {code(new.label)}"
    state = "**✅ 校验通过**" if new.valid and not history else "**❌ 校验未通过**"
    facts = [f"改动 {len(changed)} 个文件"]
    if not new.loaded:
        state = f"**❌ HEAD 未通过校验（{len(new.problems)} 个问题），修正后才能比较结果**"
    elif not old.loaded:
        facts.append("BASE 未通过校验，未比较结果")
    else:
        rows = sum(len(change.workers) for change in changes)
        people = len({worker for change in changes for worker in change.workers})
        facts.append(f"{rows} 项结果变化（涉及 {people} 名网格员）")
    return [MARKER, title, " · ".join([state, *facts]), ""]


def problems(new: Side, history: list[str]) -> list[Part]:
    parts: list[Part] = []
    if new.problems:
        count = f"HEAD 未通过校验（{len(new.problems)} 个问题）。" if new.loaded else ""  # else the header said it
        intro = f"{count}合并前请逐条修改（与 `gridscore check` 的输出相同）："
        parts += [Block(["### ❌ 校验问题", "", intro, ""], 0), fenced([str(p) for p in new.problems])]
    if history:
        intro = "已封存的结果只能追加更正，不能删除或改写（`gridscore verify` 可逐个提交核对）："
        parts += [Block(["### ❌ 封存文件被删除或改写", "", intro, ""], 0), fenced([str(p) for p in history])]
    return parts


def not_compared(old: Side, new: Side) -> list[Part]:
    """Why results are not compared when a side did not validate (HEAD's case is said by ``problems``)."""
    if old.loaded or not new.loaded:
        return []
    periods = new.periods()
    lines = [
        "### 结果未比较",
        "",
        f"BASE（{code(old.label)}）未通过校验（{len(old.problems)} 个问题），没有可比较的结果；"
        f"HEAD 已通过校验，共 {len(periods)} 个考评期的结果，可用 `gridscore score 2026-03` 这样的命令逐期查看。",
        "",
    ]
    shown = [str(problem) for problem in old.problems]
    box = fenced(shown)
    box.head = ["<details><summary>BASE 的校验问题</summary>", "", *box.head]
    box.tail = [*box.tail, "</details>", ""]
    return [Block(lines, 0), box]


def seals(
    new: Side, changed: list[str], changes: list[PeriodChange], old_files: dict[str, str], history: list[str]
) -> list[Part]:
    if new.dataset is None:
        return []
    moved = {str(change.period): change.workers for change in changes}
    sealed = new.dataset.seals
    touched = sorted(period for period in moved if period in sealed)
    seal_files = [path for path in changed if path.startswith("records/seals/")]
    if not touched and not seal_files:
        return []
    warn = touched or any(path in old_files for path in seal_files)
    parts: list[Part] = [Block(["### ⚠️ 涉及已封存的考评期" if warn else "### 封存", ""], 0)]
    for period in touched:
        seal = sealed[period].seal
        pending = [n.stem for n in pending_corrections(new.dataset, seal)]
        in_step = new.results is not None and not differences(seal.current(), new.figures(seal.period))
        if in_step and seal.corrections:
            note = f"已在封存文件中记录更正：{escape(seal.corrections[-1].notice)}"
        elif pending:
            note = f"有更正公告 {escape('、'.join(pending))}，合并前请运行 gridscore seal {period} 记录原值与新值"
        else:
            note = "没有更正公告，合并前必须补上"
        parts.append(Block([f"- {period}：{len(moved[period])} 名网格员的已公布结果将改变（{note}）"]))
    for path in seal_files:
        if path not in old_files:
            line = f"- 新封存：{code(path)}（封存后这一期的结果不能再悄悄改变）"
        elif path not in new.files:
            line = f"- ❗ 封存文件 {code(path)} 被删除：已公布的结果不能撤销封存"
        else:
            line = (
                f"- 封存文件 {code(path)} 有改动：见上面“封存文件被删除或改写”"
                if any(path in problem for problem in history)
                else f"- 封存文件 {code(path)} 只在末尾追加了更正记录，原有内容未改（已核对）"
            )
        parts.append(Block([line]))
    parts.append(Block([""], 0))
    return parts


def missing_records(new: Side) -> list[Part]:
    """Active workers without a record in a month that has records at HEAD."""
    dataset = new.dataset
    if dataset is None:
        return []
    communities = {community.id: community.name for community in dataset.organization.communities}
    parts: list[Part] = []
    for month in dataset.months():
        assessed = {entry.worker.id for entry in dataset.entries[month]}
        missing = [w for _, w in sorted(dataset.workers.items()) if w.active_in(month) and w.id not in assessed]
        if not missing:
            continue
        names = [
            f"{escape(w.id)}（{escape(w.name)}，{escape(communities.get(w.community, w.community))}）" for w in missing
        ]
        chunks = [names[i : i + MISSING_PER_LINE] for i in range(0, len(names), MISSING_PER_LINE)]
        lead = f"- {month.label}：以下 {len(missing)} 名在岗网格员没有考评记录："
        for index, chunk in enumerate(chunks):
            text = "、".join(chunk) + ("、" if index < len(chunks) - 1 else "")
            parts.append(Block([lead + text if index == 0 else "  " + text], len(chunk)))
    if not parts:
        return []
    intro = "合并前请补上（`gridscore new 月份` 生成空白记录）；有在岗网格员缺记录的月份不能封存。"
    return [Block(["### ⚠️ 缺少考评记录", "", intro, ""], 0), *parts, Block([""], 0)]


def rubric(old: Side, new: Side, changed: list[str], base_root: Path, head_root: Path) -> list[Part]:
    paths = [path for path in changed if path.startswith("rubric/")]
    if not paths:
        return []
    parts: list[Part] = [Block(["### 考评标准的改动", ""], 0)]
    for path in paths:
        before, after = read_rubric(base_root / path), read_rubric(head_root / path)
        state = "新增" if path not in old.files else ("删除" if path not in new.files else "修改")
        if state == "修改" and before is not None and after is not None:
            lines = rubric_changes(before, after)
            if not lines:
                parts.append(Block([f"- {code(path)}：修改（只改了注释或排版，考评规则没有变化）"]))
                continue
            parts.append(Block([f"- {code(path)}：修改，{len(lines)} 处规则变化："], 0))
            parts += [Block([f"  - {line}"]) for line in lines]
        elif state == "新增" and after is not None:
            parts.append(Block([f"- {code(path)}：新增，{rubric_outline(after)}"]))
        elif state == "删除" and before is not None:
            parts.append(Block([f"- {code(path)}：删除，原为{rubric_outline(before)}"]))
        else:
            parts.append(Block([f"- {code(path)}：{state}（不是有效的考评标准，见校验问题）"]))
    parts += _rubric_effect(old, new, base_root, head_root)
    parts.append(Block([""], 0))
    return parts


def _rubric_effect(old: Side, new: Side, base_root: Path, head_root: Path) -> list[Part]:
    """Which results move because of the rubric alone: HEAD's records scored with BASE's rubric, then HEAD's."""
    if not new.loaded:
        return []
    with mixed_tree(head_root, base_root) as mixed:
        before = load_side(mixed, "原标准")
    if not before.loaded:
        line = "- 现有记录无法按原标准计算（例如用到了新增的事件类型），因此无法单独统计标准改动的影响。"
        return [Block([line])]
    moved: list[tuple[Period, int]] = []
    for period in sorted(new.periods(), key=period_key):
        old_rows, new_rows = before.rows(period), new.rows(period)
        count = sum(1 for w in new_rows if old_rows.get(w, {}).get("total") != new_rows[w]["total"])
        if count:
            moved.append((period, count))
    total = sum(count for _, count in moved)
    where = "、".join(f"{period.label} {count} 项" for period, count in moved)
    line = f"- 按改动后的标准重新计算，**{total}** 项月度或年度得分与按原标准计算的不同"
    return [Block([line + (f"：{where}" if where else "")])]


def results(old: Side, new: Side, changes: list[PeriodChange]) -> list[Part]:
    if not (old.loaded and new.loaded):
        return []
    heading = ["### 得分、等次、排名、荣誉的变化", ""]
    if not changes:
        return [Block([*heading, "没有任何网格员的结果发生变化。", ""], 0)]
    note = (
        "只列出有变化的网格员；“旧 → 新”。加分是计入总分的加分（已按上限封顶），"
        "扣分是直接从总分扣除的分数（扣在单项上的分数已计入该项得分）。"
    )
    parts: list[Part] = [Block([*heading, note, ""], 0)]
    for change in changes:
        parts.append(Block([f"#### {change.period.label}（{len(change.workers)} 人）", ""], 0))
        rows = [Block([_row(old, new, change, worker)]) for worker in change.workers]
        parts.append(table(["网格员", *change.columns.values()], rows))
    return parts


def _row(old: Side, new: Side, change: PeriodChange, worker: str) -> str:
    before, after = change.before.get(worker), change.after.get(worker)
    state = "（新增）" if before is None else ("（删除）" if after is None else "")
    cells = []
    for column in change.columns:
        if before is None:
            cells.append(value(after[column]) if after else "—")
        elif after is None:
            cells.append(f"~~{value(before[column])}~~")
        elif before[column] == after[column]:
            cells.append(value(after[column]))
        else:
            cells.append(f"**{value(before[column])} → {value(after[column])}**")
    return f"| {who(new, old, worker)}{state} | " + " | ".join(cells) + " |"


def who(new: Side, old: Side, worker: str) -> str:
    for side in (new, old):
        if side.dataset is not None and worker in side.dataset.workers:
            return f"{escape(worker)} {escape(side.dataset.workers[worker].name)}"
    return escape(worker)


def records(old: Side, new: Side, changed: list[str], base_root: Path, head_root: Path) -> list[Part]:
    """Field by field, every record and annual review that changed (internal fields too: the PR is internal)."""
    found = record_changes(changed, base_root, head_root)
    if not found:
        return []
    intro = "每份改动的记录逐项列出“原值 → 新值”（含佐证、备注等内部字段：本报告只给审核人看，不会公开）。"
    parts: list[Part] = [Block(["### 考评记录的改动", "", intro, ""], 0)]
    for change in found:
        parts += _file_change(old, new, change)
    parts.append(Block([""], 0))
    return parts


def _file_change(old: Side, new: Side, change: FileChange) -> list[Part]:
    period = _period_label(change.period)
    where = f"- {code(change.path)}（{who(new, old, change.worker)}，{period}）"
    if change.state == "added":
        return [Block([f"{where}：新增记录"])]
    if change.state == "removed":
        return [Block([f"{where}：删除记录"])]
    if change.state == "unreadable":
        return [Block([f"{where}：有改动，但有一边无法读取（见校验问题）"])]
    if not change.fields:
        return [Block([f"{where}：只改了注释或排版，内容没有变化"])]
    parts: list[Part] = [Block([f"{where}：{len(change.fields)} 处改动"], 0)]
    for field in change.fields:
        old_value, new_value = escape(shown_value(field.old)), escape(shown_value(field.new))
        parts.append(Block([f"  - {code(field.path)}：{old_value} → {new_value}"]))
    return parts


def _period_label(period: str) -> str:
    if len(period) == 4:
        return f"{Year(int(period)).label}评议"
    return Month.parse(period).label


def files(changed: list[str]) -> list[Part]:
    if not changed:
        return [Block(["没有改动考评记录或考评标准。", ""], 0)]
    rows = [Block([f"- {code(path)}"]) for path in changed]
    return [Group(["<details><summary>改动的文件</summary>", ""], rows, ["", "</details>", ""])]
