"""Files the staff start from: blank monthly records (``gridscore new``) and CODEOWNERS."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import GridscoreError, InvalidInput, one_line
from .fsguard import unsafe_target, write_replacing
from .load import Repository, load_repository
from .models import Assessor, Organization, Worker, valid_git_account, visible
from .numbers import exact, fmt_plain
from .periods import Month
from .rubric import Rubric
from .validate import check_organization


@dataclass(frozen=True)
class NewRecords:
    written: list[Path]
    kept: list[Path]


def new_records(root: Path, month: Month) -> NewRecords:
    """A blank record for every worker active in ``month``; existing files are never touched.

    Only the organization and the rubric need to be valid: records being filled
    in (this month's blanks among them) may still have problems.
    """
    repo, org = _organization(root)
    rubric = repo.rubric_for(month)
    if rubric is None:
        raise GridscoreError(f"{month} 早于所有考评标准的生效月份，没有可用的考评标准")
    workers = [w for w in org.workers if w.active_in(month)]
    folder = root / "records" / f"{month.year:04d}" / f"{month.month:02d}"
    return _scaffold(root, org, workers, folder, lambda w, who, by: blank_record(rubric, month, w.id, who, by))


def new_reviews(root: Path, year: int) -> NewRecords:
    """A blank annual review (§2) for every worker with a record in ``year``; existing files are never touched."""
    repo, org = _organization(root)
    assessed = {file.record.worker for file in repo.records if file.record.period.year == year}
    workers = [w for w in org.workers if w.id in assessed]
    if not workers:
        raise GridscoreError(
            f"{year} 年还没有任何月度考评记录，无从生成年度评议（年度评议只为当年参加过考评的网格员生成）"
        )
    folder = root / "records" / f"{year:04d}" / "annual"
    return _scaffold(root, org, workers, folder, lambda w, who, by: blank_review(year, w.id, who, by))


def _organization(root: Path) -> tuple[Repository, Organization]:
    """The repository, once its organization and rubrics are valid (the records may still be being filled in)."""
    repo = load_repository(root)
    setup_problems = [
        p for p in repo.problems if not p.path.startswith("records/") or p.path == "records/organization.yaml"
    ]
    if repo.organization is not None and repo.organization_doc is not None:
        setup_problems += check_organization(repo.organization, repo.organization_doc)  # e.g. an unknown community
    if repo.organization is None or setup_problems:
        raise InvalidInput(setup_problems)
    return repo, repo.organization


def _scaffold(
    root: Path, org: Organization, workers: list[Worker], folder: Path, blank: Callable[[Worker, str, str], str]
) -> NewRecords:
    """Write ``blank(worker, who, assessors)`` to folder/<community>/<worker>.yaml for each worker that has no file yet.

    A folder on the way that is a link, or a name that is not a regular file, is refused before anything is written;
    each file goes through a fresh temporary file (a link planted beside it is never followed).
    """
    communities = {c.id: c for c in org.communities}
    targets = [
        (worker, folder / worker.community / f"{worker.id}.yaml") for worker in sorted(workers, key=lambda w: w.id)
    ]
    refused = [
        f"{path.relative_to(root).as_posix()}: 不能写入：{reason}"
        for _, path in targets
        if (reason := unsafe_target(root, path))
    ]
    if refused:
        raise GridscoreError("以下文件不能生成，一个文件都没有写：\n" + "\n".join(refused))
    written: list[Path] = []
    kept: list[Path] = []
    for worker, path in targets:
        if os.path.lexists(path):
            kept.append(path)
            continue
        community = communities[worker.community]
        grid = next((g.name for g in community.grids if g.id == worker.grid), worker.grid)
        assessors = [
            a for a in org.assessors if a.may_assess(worker.community) and a.id != worker.id and a.worker != worker.id
        ]
        who = f"{worker.name}（{worker.id}，{community.name}{grid}）"
        write_replacing(path, blank(worker, who, assessors_text(org, assessors)).encode("utf-8"))
        written.append(path)
    return NewRecords(written, kept)


def blank_review(year: int, worker_id: str, who: str, assessors: str) -> str:
    lines = [
        "# yaml-language-server: $schema=../../../../schemas/annual.schema.json",
        f"# {year}年度综合评议：{who}",
        f"# 由 gridscore new {year} 生成。请把每个空白处填上，填完运行 gridscore check。",
        f"# 年度得分按考评标准由月度平均分和这里的评议得分计算，见 gridscore explain {worker_id} {year}。",
        f"worker: {worker_id}",
        f"year: {year}",
        "review_score:         # 年度综合评议得分（群众评议、实地走访、台账检查），0–100，最多两位小数",
        f"assessed_by:          # 考评人编号，可选：{assessors}；不能是本人",
        f"assessed_on:          # 评议日期，如 {year + 1}-01-10",
    ]
    return "\n".join(lines) + "\n"


def assessors_text(org: Organization, assessors: list[Assessor]) -> str:
    return "、".join(f"{a.id}（{a.name}，{a.org}）" for a in assessors) or "（本社区还没有登记考评人）"


def blank_record(rubric: Rubric, month: Month, worker_id: str, who: str, assessors: str) -> str:
    levels = " / ".join(f"{level.label} {level.id}" for level in rubric.levels)
    levels_no_none = " / ".join(f"{level.label} {level.id}" for level in rubric.levels if level.id != "none")
    lines = [
        "# yaml-language-server: $schema=../../../../schemas/record.schema.json",
        f"# {month.label}月度考评记录：{who}",
        f"# 由 gridscore new {month} 生成。请把每个空白处填上，填完运行 gridscore check；",
        f"# 计分规则见 {rubric.title}（rubric/{rubric.version}.yaml）。数字只填整数，部分不能大于整体。",
        f"worker: {worker_id}",
        f"period: {month}",
        f"assessed_by:          # 考评人编号，可选：{assessors}；不能是本人",
        f"assessed_on:          # 考评日期，如 {month.next()}-02，不早于 {month.first_day()}",
        "metrics:",
    ]
    for category in rubric.categories:
        lines.append(f"  # —— {category.name}（{fmt_plain(exact(category.points))} 分）——")
        for item in category.items:
            points = fmt_plain(exact(item.points))
            if item.method == "level":
                choices = levels if item.allow_none else levels_no_none
                lines.append(f"  {item.id}:          # {item.name}（{points} 分）等级：{choices}")
                continue
            formula = " + ".join(_term_formula(item.fields, term) for term in item.terms)
            lines.append(f"  {item.id}:          # {item.name}（{points} 分）= {formula}")
            wholes = {term.part: term.whole for term in item.terms if term.method == "ratio" and not term.cap_at_one}
            for name, label in item.fields.items():
                limit = f"，不大于 {wholes[name]}" if wholes.get(name) else ""
                lines.append(f"    {name}:          # {label}{limit}")
    lines += [
        "events: []             # 扣分与加分事件，没有就保留 []；有事件时删去 [] 并按下面的格式逐条填写：",
        "#  - kind: major_dissuasion        # 事件类型：" + "、".join(f"{k.id} {k.name}" for k in rubric.events),
        f"#    date: {month}-12              # 须在考评月内",
        "#    amount_yuan: 80000             # 只有需要金额的事件才填",
        "#    summary: 上门劝阻一名老年居民转账  # 会公开发布：不写居民姓名、电话、身份证号、银行卡号",
        "#    evidence: 派出所回执 XX-2026-001   # 佐证材料，仅内部可见",
        "# notes: 内部备注（可选，仅内部可见）",
    ]
    return "\n".join(lines) + "\n"


def _term_formula(fields: dict[str, str], term: object) -> str:
    from .rubric import Term

    assert isinstance(term, Term)
    points = fmt_plain(exact(term.points))
    if term.method == "ratio":
        cap = "（最多按 100% 计）" if term.cap_at_one else ""
        return f"{points} × {fields[term.part or '']} ÷ {fields[term.whole or '']}{cap}"
    return f"每条{fields[term.count or '']} {fmt_plain(exact(term.per or 0))} 分（最多 {points} 分）"


# --- CODEOWNERS -------------------------------------------------------------------------


def codeowners(org: Organization) -> str:
    """Each community's records are owned by the assessors allowed to assess it.

    Every account and path is checked again here, whatever loaded the organization: a
    line break or a space in either would let one entry add owners of its own.
    """
    accounts = {a.id: _handle(a.git_account) for a in org.assessors if a.git_account}
    everywhere = sorted({accounts[a.id] for a in org.assessors if a.communities == "all" and a.id in accounts})
    lines = [
        "# 由 gridscore codeowners 根据 records/organization.yaml 生成，请勿手工修改；",
        "# 考评人或其 git_account 变化后重新运行 gridscore codeowners。",
        "# 每个社区的考评记录，由有权考评该社区的考评人审核。",
        "",
    ]
    for community in org.communities:
        owners = sorted({accounts[a.id] for a in org.assessors if a.may_assess(community.id) and a.id in accounts})
        line = f"/records/*/*/{_path_part(community.id)}/"
        lines.append(
            f"{line} {' '.join(owners)}"
            if owners
            else f"# {line}（{_comment(community.name)}没有填写 git_account 的考评人）"
        )
    lines += ["", "# 组织信息、考评标准、封存文件和公告，由可考评全部社区的考评人审核。"]
    for path in ("/records/organization.yaml", "/rubric/", "/records/seals/", "/records/notices/"):
        lines.append(
            f"{path} {' '.join(everywhere)}"
            if everywhere
            else f"# {path}（没有可考评全部社区且填写了 git_account 的考评人）"
        )
    return "\n".join(lines) + "\n"


def _handle(account: str) -> str:
    """``@account`` for CODEOWNERS; anything that is not a user or group name is refused."""
    account = account.strip()
    if not valid_git_account(account):
        raise GridscoreError(
            f"git_account“{visible(one_line(account))}”不是 GitHub 或 GitLab 的用户名或群组路径，无法写入 CODEOWNERS"
        )
    return account if account.startswith("@") else f"@{account}"


def _path_part(community_id: str) -> str:
    """A community id as a CODEOWNERS path segment: an identifier has nothing to escape, so only check it."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", community_id):
        raise GridscoreError(f"社区编号“{visible(one_line(community_id))}”不是有效的编号，无法写入 CODEOWNERS")
    return community_id


def _comment(text: str) -> str:
    """Text on one comment line: nothing in it may start a line of its own."""
    return visible(one_line(text))
