"""The ``gridscore`` command line: parse arguments, call the library, print, exit.

Domain errors become Chinese messages and exit code 1; a traceback never
reaches the user.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from . import __version__
from . import today as clock
from .diff_render import COMMENT_LIMIT
from .errors import GridscoreError, InvalidInput, UsageError
from .explain import explain_month, explain_year
from .ledger import build_ledger, overdue_count
from .periods import Month, Year, parse_period
from .pipeline import checked
from .report import annual_json, annual_table, is_sealed, ledger_json, ledger_table, monthly_json, monthly_table
from .results import Results
from .validate import Dataset, load_dataset, without_cycle_collection

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


_TODAY_HELP = "把“今天”设为这一天（格式 2026-12-02），用于全部日期规则和页面上的日期；也可用环境变量 GRIDSCORE_TODAY"


def _root_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command its own ``--root`` and ``--today`` (``gridscore --root DIR CMD`` works too)."""

    @click.option(
        "--root",
        "root",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="考评仓库的根目录（默认：当前目录）",
    )
    @click.option("--today", "today", default=None, metavar="YYYY-MM-DD", help=_TODAY_HELP)
    @click.pass_context
    @wraps(command)
    def wrapper(ctx: click.Context, root: Path | None, today: str | None, **kwargs: Any) -> Any:
        chosen = root or (ctx.obj or {}).get("root") or Path.cwd()
        written = today or (ctx.obj or {}).get("today")
        if written:
            clock.choose(clock.parse(written, "--today"))
        return command(chosen.resolve(), **kwargs)

    return wrapper


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", message="gridscore %(version)s")
@click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=None, help="考评仓库的根目录（默认：当前目录）"
)
@click.option("--today", "today", default=None, metavar="YYYY-MM-DD", help=_TODAY_HELP)
@click.pass_context
def cli(ctx: click.Context, root: Path | None, today: str | None) -> None:
    """网格反诈考评公示平台：校验考评记录、计算得分、说明得分。"""
    ctx.obj = {"root": root, "today": today}


@cli.command(context_settings=CONTEXT_SETTINGS)
@_root_option
def check(root: Path) -> None:
    """校验全部考评记录并重新计算所有得分；有错误时逐条列出（文件:行号: 说明）。"""
    started = time.perf_counter()
    with without_cycle_collection():
        dataset, results = checked(root)
        for month in dataset.months():
            results.month(month)
        for year in dataset.years():
            results.year(year)
    records = sum(len(entries) for entries in dataset.entries.values())
    elapsed = time.perf_counter() - started
    if _loaded is not None:
        _loaded.append((dataset, results))  # freed with the process, not object by object
    rubrics = "、".join(entry.rubric.version for entry in dataset.rubrics)
    org = dataset.organization
    click.echo(
        f"检查通过：{len(org.communities)} 个社区、{len(org.workers)} 名网格员、"
        f"{records} 份月度考评、{len(dataset.reviews)} 份年度评议、{len(dataset.notices)} 份公告、"
        f"{len(dataset.objections)} 件异议、"
        f"{len(dataset.seals)} 个已封存考评期；"
        f"考评标准 {rubrics} 版；用时 {elapsed:.2f} 秒。"
    )
    overdue = overdue_count(dataset, results, clock.today())
    if overdue:
        click.echo(f"提示：{overdue} 项处理措施逾期未落实（不影响检查结果），运行 gridscore ledger 考评期 查看。")


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("period")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（供程序读取）")
@_root_option
def score(root: Path, period: str, as_json: bool) -> None:
    """显示某月（如 2026-03）或某年（如 2026）的考评结果。"""
    parsed = _period(period)
    dataset, results = checked(root, awaiting_seal=True)
    _require_period(results, dataset, parsed)
    if isinstance(parsed, Month):
        month_results = results.month(parsed)
        if as_json:
            _print_json(monthly_json(parsed, month_results, is_sealed(dataset, parsed)))
        else:
            click.echo(monthly_table(dataset, parsed, month_results))
    else:
        summary = results.year(parsed.year)
        if as_json:
            _print_json(annual_json(summary, is_sealed(dataset, parsed)))
        else:
            click.echo(annual_table(dataset, summary))


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("worker")
@click.argument("period")
@_root_option
def explain(root: Path, worker: str, period: str) -> None:
    """逐项说明一名网格员某月或某年的得分：每一分来自哪条记录、哪条规则，算式写全。"""
    parsed = _period(period)
    dataset, results = checked(root, awaiting_seal=True)
    if worker not in dataset.workers:
        from .messages import did_you_mean

        raise UsageError(f"未知的网格员“{worker}”{did_you_mean(worker, list(dataset.workers))}")
    _require_period(results, dataset, parsed)
    name = dataset.workers[worker].name
    if isinstance(parsed, Month):
        result = results.worker_month(worker, parsed)
        if result is None:
            raise UsageError(f"{worker}（{name}）在 {parsed} 没有考评记录")
        everyone = results.month(parsed)
        peers = sum(1 for r in everyone if r.entry.worker.community == result.entry.worker.community)
        click.echo(explain_month(dataset, result, len(everyone), peers))
    else:
        summary = results.year(parsed.year)
        annual = next((r for r in summary.results if r.worker_id == worker), None)
        if annual is None:
            raise UsageError(f"{worker}（{name}）在 {parsed.year} 年没有考评记录")
        click.echo(explain_year(dataset, summary, annual))


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("period")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（供程序读取）")
@_root_option
def ledger(root: Path, period: str, as_json: bool) -> None:
    """显示某月（如 2026-03）或某年（如 2026）的奖惩台账：每名网格员的奖励金额、社区和全单位合计，以及每项处理措施是否落实（内部使用）。"""
    parsed = _period(period)
    dataset, results = checked(root, awaiting_seal=True)
    _require_period(results, dataset, parsed)
    found = build_ledger(dataset, results, parsed, clock.today())
    if as_json:
        _print_json(ledger_json(found))
    else:
        click.echo(ledger_table(dataset, found))


@cli.command("export-ledger", context_settings=CONTEXT_SETTINGS)
@click.argument("period")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_root_option
def export_ledger_command(root: Path, period: str, file: Path) -> None:
    """把已封存的某月（如 2026-03）或某年（如 2025）的奖励导出为财务发放表（.xlsx）：每名网格员一行，社区小计、合计和大写金额，留空的签字栏，A4 横向打印（内部使用）。"""
    from .excel import export_ledger

    parsed = _period(period)
    if file.suffix.lower() != ".xlsx":
        raise UsageError(f"导出文件应以 .xlsx 结尾，实际为“{file.name}”")
    dataset, results = checked(root)
    _require_period(results, dataset, parsed)
    summary = export_ledger(dataset, build_ledger(dataset, results, parsed, clock.today()), file)
    click.echo(
        f"已导出 {parsed.label}奖励发放表：{summary.workers} 名网格员，{summary.communities} 个社区，"
        f"合计 {summary.total} {summary.currency} → {file}"
    )


AUDIENCE = click.Choice(["public", "internal"])


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("period")
@_root_option
def new(root: Path, period: str) -> None:
    """为某月（如 2026-03）每名在岗网格员生成空白考评记录，或为某年（如 2026）当年参加考评的每名网格员生成空白年度评议（带中文说明）；已有的文件不会改动。"""
    from .scaffold import new_records, new_reviews

    parsed = _period(period)
    if isinstance(parsed, Month):
        made = new_records(root, parsed)
        click.echo(f"已生成 {len(made.written)} 份空白考评记录，{len(made.kept)} 份已有记录保持不变。")
    else:
        made = new_reviews(root, parsed.year)
        click.echo(f"已生成 {len(made.written)} 份空白年度评议，{len(made.kept)} 份已有评议保持不变。")
    for path in made.written:
        click.echo(f"  {path.relative_to(root).as_posix()}")
    if made.written:
        click.echo("填写后运行 gridscore check 检查。")


@cli.command("export", context_settings=CONTEXT_SETTINGS)
@click.argument("period")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_root_option
def export_command(root: Path, period: str, file: Path) -> None:
    """把某月（如 2026-10）的考评记录，或某年（如 2026）的年度综合评议，导出为 Excel 填写表（.xlsx），供考评组在 Excel 或 WPS 中填写。"""
    from .excel import export_reviews, export_workbook

    parsed = _period(period)
    if file.suffix.lower() != ".xlsx":
        raise UsageError(f"导出文件应以 .xlsx 结尾，实际为“{file.name}”")
    if not isinstance(parsed, Month):
        workers, prefilled = export_reviews(root, parsed, file)
        click.echo(f"已导出 {parsed.label}综合评议：{workers} 名当年参加考评的网格员，已有评议 {prefilled} 份 → {file}")
        click.echo(f"填好后运行 gridscore import {file} 导入。")
        return
    summary = export_workbook(root, parsed, file)
    results = {"sealed": "，含已封存的考评结果", "computed": "，含考评结果（供核对）"}.get(summary.results or "", "")
    click.echo(
        f"已导出 {parsed.label}：{summary.workers} 名在岗网格员，已有记录 {summary.prefilled} 份，"
        f"事件 {summary.events} 条{results} → {file}"
    )
    click.echo(f"填好后运行 gridscore import {file} 导入。")


@cli.command("import", context_settings=CONTEXT_SETTINGS)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_root_option
def import_command(root: Path, file: Path) -> None:
    """导入用 gridscore export 生成并填好的 Excel 表：按 check 的规则检查，全部无误才写入考评记录；有问题时逐条指出工作表和单元格，不写入任何文件。"""
    from .excel import ImportRefused, import_workbook

    try:
        summary = import_workbook(root, file, str(file))
    except ImportRefused as refused:
        for line in refused.lines:
            click.echo(line, err=True)
        click.echo(f"发现 {len(refused.lines)} 个问题，没有写入任何文件。请在表格中逐条修改后重新导入。", err=True)
        raise click.exceptions.Exit(1) from None
    written = len(summary.created) + len(summary.updated)
    click.echo(
        f"已导入 {summary.period.label}：新建 {len(summary.created)} 份、更新 {len(summary.updated)} 份{summary.noun}，"
        f"{summary.unchanged} 份没有变化。"
    )
    for path in [*summary.created, *summary.updated]:
        click.echo(f"  {path.relative_to(root).as_posix() if path.is_relative_to(root) else path}")
    if summary.kept:
        click.echo(f"以下网格员的行是空的，已有的记录保持不变：{'、'.join(summary.kept)}")
    if summary.unrelated:
        click.echo(f"注意：仓库中另有 {summary.unrelated} 个与本次导入无关的问题，请运行 gridscore check 查看。")
    if written:
        click.echo(f"运行 gridscore score {summary.period} 查看结果，git diff 查看改动。")


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="输出文件（默认仓库根目录的 CODEOWNERS）",
)
@_root_option
def codeowners(root: Path, output: Path | None) -> None:
    """根据 organization.yaml 生成 CODEOWNERS：每个社区的考评记录由有权考评该社区的考评人（git_account）审核。"""
    from .scaffold import codeowners as render_codeowners

    dataset = load_dataset(root, notices_need_seals=False)
    target = output or root / "CODEOWNERS"
    target.write_text(render_codeowners(dataset.organization), encoding="utf-8")
    click.echo(f"已写入 {target}")


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("base")
@click.argument("head", required=False)
@click.option(
    "--full",
    "full_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="另把完整报告（不截断）写入这个文件，如 gridscore-diff.md；CI 把它作为附件（artifact）保存",
)
@click.option(
    "--limit",
    default=str(COMMENT_LIMIT),
    metavar="N",
    help=f"输出的报告最多 N 个字符（默认 {COMMENT_LIMIT}，PR 评论的上限）；超出时只输出前面的部分，并说明另有多少项变化未显示；0 表示不截断",
)
@_root_option
def diff(root: Path, base: str, head: str | None, full_file: Path | None, limit: str) -> None:
    """比较两个 git 版本（HEAD 省略时为当前工作区）：输出供合并请求审核的 Markdown 报告。先列校验问题（HEAD 未通过校验时不比较结果），再列涉及的已封存考评期、缺少的考评记录、考评标准的改动、得分/等次/排名/加分/扣分/一票否决/荣誉的变化、每份记录逐项的改动和改动的文件。HEAD 通过 gridscore check 时退出码为 0，否则为 1。"""
    from .diff import check_output, diff_report, write_output

    if not re.fullmatch(r"[0-9]{1,9}", limit.strip()):
        raise UsageError(f"--limit 应为不小于 0 的整数（字符数，如 {COMMENT_LIMIT}；0 表示不截断），实际为“{limit}”")
    if full_file is not None:
        check_output(root, full_file)
    report, ok = diff_report(root, base, head)
    if full_file is not None:
        write_output(full_file, report.text())
    click.echo(report.text(int(limit) or None), nl=False)
    if not ok:
        raise click.exceptions.Exit(1)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("rev", required=False, metavar="[REV]")
@click.option(
    "--site",
    "site_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="核验一个已生成（或从网上下载）的网站文件夹：先按其中的 manifest.json 核对每个文件，再重新生成清单中的提交并逐个文件比较",
)
@_root_option
def verify(root: Path, rev: str | None, site_dir: Path | None) -> None:
    """核验封存历史：逐个检查 REV（默认 HEAD）之前的每一个提交，证明 records/seals/ 下的封存文件从未被删除或改写，只追加过更正。加 --site 时改为核验网站与仓库是否一致。"""
    if site_dir is not None:
        if rev is not None:
            raise UsageError(
                "--site 核验的是网站文件夹，不能同时指定版本 REV（要核验的提交写在网站的 manifest.json 中）"
            )
        _verify_site(root, site_dir)
        return
    from .seal_history import verify_history

    report = verify_history(root, rev or "HEAD")
    for violation in report.violations:
        click.echo(str(violation), err=True)
    if report.violations:
        click.echo(report.summary(), err=True)
        raise click.exceptions.Exit(1)
    click.echo(report.summary())


def _verify_site(root: Path, site_dir: Path) -> None:
    from .site_verify import verify_site

    report = verify_site(root, site_dir)
    for line in report.lines:
        click.echo(line, err=not report.ok)
    if not report.ok:
        click.echo(f"核验未通过：{site_dir} 与仓库的提交生成的网站不一致（见上）。", err=True)
        raise click.exceptions.Exit(1)
    click.echo(f"核验通过：{site_dir} 与仓库中清单所记提交生成的网站逐字节相同。")


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("period")
@_root_option
def seal(root: Path, period: str) -> None:
    """封存某月（如 2026-03）或某年（如 2026）的考评结果；有在岗网格员缺记录时拒绝。已封存的考评期有更正公告时，追加记录更正的原值与新值。"""
    from .build import build_date
    from .seal import seal_period

    parsed = _period(period)
    dataset, results = checked(root, awaiting_seal=True)
    outcome = seal_period(dataset, results, parsed, build_date())
    click.echo(outcome.message)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option("--audience", type=AUDIENCE, default="public", show_default=True, help="public 公开版；internal 内部版")
@click.option(
    "--site-dir",
    type=click.Path(path_type=Path),  # what may be a site folder is build's to say (sitedir.site_target)
    default=None,
    help="站点输出目录（默认 site/ 或 site-internal/）",
)
@_root_option
def build(root: Path, audience: str, site_dir: Path | None) -> None:
    """生成静态网站：先校验并计算全部结果，再用 MkDocs 生成页面；任何一步出错都不改动已有站点。"""
    from .build import build as build_site

    report = build_site(root, audience, site_dir)  # type: ignore[arg-type]
    label = "公开版" if audience == "public" else "内部版"
    click.echo(
        f"已生成{label}站点：{report.site_dir}（{report.pages} 个页面，{report.files} 个文件，"
        f"{report.bytes / 1024 / 1024:.1f} MB，用时 {report.seconds:.1f} 秒）"
    )
    for note in report.notes:
        click.echo(note)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option("--audience", type=AUDIENCE, default="public", show_default=True, help="public 公开版；internal 内部版")
@click.option("--port", type=int, default=8000, show_default=True, help="本机端口")
@_root_option
def serve(root: Path, audience: str, port: int) -> None:
    """本机预览网站（http://127.0.0.1:端口/），修改记录、标准或模板后自动刷新。"""
    from mkdocs.commands.serve import serve as mkdocs_serve

    from .build import (
        DOCS_BUILD,
        PAGE_HOOKS,
        TEMPLATES,
        build_date,
        project_dir,
        quiet_jieba,
        render_site,
        site_title,
        theme_extra,
        write_docs,
    )

    site, files = render_site(root, audience, build_date())  # type: ignore[arg-type]
    docs_dir = root / DOCS_BUILD / f"serve-{audience}"
    write_docs(docs_dir, files)
    os.environ["GRIDSCORE_ROOT"] = str(root)
    os.environ["GRIDSCORE_AUDIENCE"] = audience
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    quiet_jieba()
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    project = project_dir(root)
    click.echo(f"预览地址：http://127.0.0.1:{port}/ （按 Ctrl+C 结束）")
    mkdocs_serve(
        config_file=str(project / "mkdocs.yml"),
        watch=[str(root / "records"), str(root / "rubric"), str(project / TEMPLATES)],
        docs_dir=str(docs_dir),
        nav=site.nav,
        dev_addr=f"127.0.0.1:{port}",
        hooks=[str(Path(__file__).with_name(hook)) for hook in ("serve_hook.py", *PAGE_HOOKS)],
        extra={"generator": False, **theme_extra(site)},
        site_name=site_title(site),
    )


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("kind", required=False, type=click.Choice(["record", "annual", "organization", "notice", "objection"]))
@click.option(
    "--write", "write", is_flag=True, help="写入 schemas/*.schema.json 和 .vscode/settings.json，供 VS Code 补全和查错"
)
@_root_option
def schema(root: Path, kind: str | None, write: bool) -> None:
    """输出考评记录（record）、年度评议（annual）、组织信息（organization）、公告（notice）、异议（objection）的 JSON Schema，带中文说明；省略类型时全部输出。"""
    from .load import load_repository
    from .schema import all_schemas, schema_for, write_schemas

    repo = load_repository(root)
    if not repo.rubrics:
        raise InvalidInput([p for p in repo.problems if p.path.startswith("rubric")])
    rubric = repo.rubrics[-1].rubric
    if write:
        for path in write_schemas(root, rubric):
            click.echo(f"已写入 {path.relative_to(root).as_posix()}")
        return
    _print_json(schema_for(kind, rubric) if kind else all_schemas(rubric))


def _period(text: str) -> Month | Year:
    try:
        return parse_period(text)
    except ValueError:
        raise UsageError(f"考评期“{text}”格式不对：月份写成 2026-03，年度写成 2026") from None


def _require_period(results: Results, dataset: Dataset, period: Month | Year) -> None:
    if not results.has_period(period):
        months = dataset.months()
        span = f"（现有考评期：{months[0]} 至 {months[-1]}）" if months else "（仓库里还没有考评记录）"
        raise UsageError(f"{period} 没有考评记录{span}")


def _print_json(data: dict[str, Any]) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code instead of raising."""
    try:
        return _run(argv)
    finally:
        clock.choose(None)  # --today holds for one command
        gc.unfreeze()  # what the command loaded may be collected again (see without_cycle_collection)


def _run(argv: list[str] | None) -> int:
    try:
        returned = cli.main(args=argv, prog_name="gridscore", standalone_mode=False)
    except InvalidInput as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(f"发现 {len(error.problems)} 个问题，请逐条修改后重新运行 gridscore check。", err=True)
        return 1
    except GridscoreError as error:
        click.echo(f"错误：{error}", err=True)
        return 1
    except click.exceptions.Exit as error:
        return error.exit_code
    except click.exceptions.Abort:
        click.echo("已取消。", err=True)
        return 130
    except click.ClickException as error:
        # A wrong command line is the user's to fix, like bad data: exit 1. Exit 2 means a bug of gridscore.
        click.echo(_usage_message(error), err=True)
        return 1
    except KeyboardInterrupt:
        click.echo("已取消。", err=True)
        return 130
    except Exception as error:  # a bug: say so plainly; GRIDSCORE_DEBUG=1 shows the traceback
        if os.environ.get("GRIDSCORE_DEBUG"):
            raise
        click.echo(
            f"程序内部错误：{type(error).__name__}: {error}\n"
            "这是 gridscore 的缺陷，不是您的数据问题。请把这条信息和所用的命令发给维护人员"
            "（设置环境变量 GRIDSCORE_DEBUG=1 可显示详细信息）。",
            err=True,
        )
        return 2
    return returned if isinstance(returned, int) else 0  # click returns a command's Exit code


def _usage_message(error: click.ClickException) -> str:
    ctx = getattr(error, "ctx", None)
    usage = f"\n用法：{ctx.get_usage().removeprefix('Usage: ')}\n运行 gridscore --help 查看全部命令。" if ctx else ""
    if isinstance(error, click.exceptions.MissingParameter) and error.param is not None:
        name = (error.param.human_readable_name or "").upper()
        return f"错误：缺少参数 {name}{usage}"
    if isinstance(error, click.exceptions.NoSuchOption):
        return f"错误：没有选项 {error.option_name}{usage}"
    if isinstance(error, click.exceptions.UsageError) and "No such command" in error.message:
        command = error.message.split("'")[1] if "'" in error.message else ""
        return f"错误：没有命令“{command}”。运行 gridscore --help 查看全部命令。"
    if isinstance(error, click.exceptions.BadParameter) and isinstance(error.param, click.Argument | click.Option):
        name = (error.param.human_readable_name or "").upper()
        found = _PATH_PROBLEMS.get(error.message.split(" ", 1)[0] + " " + error.message.rsplit(" ", 1)[-1], "")
        quoted = re.search(r"'(.*)'", error.message)
        if found:
            return f"错误：{name}“{quoted.group(1) if quoted else ''}”{found}{usage}"
    return f"错误：{error.format_message()}{usage}"


# click's words for a path that is not what the command needs ("File 'x' is a directory.").
_PATH_PROBLEMS = {
    "File directory.": "是文件夹，这里需要一个文件",
    "Directory file.": "是文件，这里需要一个文件夹",
    "Path directory.": "是文件夹，这里需要一个文件",
    "Path file.": "是文件，这里需要一个文件夹",
}


# What a command loaded, kept until the process ends when run as a program (see ``entry_point``).
_loaded: list[object] | None = None


def entry_point() -> None:
    global _loaded
    _loaded = []
    code = main()
    # A county's dataset is millions of objects; freeing them one by one takes about as long as a
    # warm check. The operating system takes the memory back at once: flush and leave (as mypy does).
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # e.g. the reader of a pipe went away: nothing more can be said
        code = code or 1
    os._exit(code)
