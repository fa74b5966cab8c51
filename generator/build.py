"""Build the static site: gather everything, render it, then run the real MkDocs.

Two phases: if loading, validating, scoring or rendering fails, nothing is
written. MkDocs builds into a fresh folder that replaces the old site only
when the build succeeded, so a failed build never leaves a half-built site.
"""

from __future__ import annotations

import html
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from .errors import GridscoreError, UsageError
from .progress import Progress
from .render import (
    FRAGMENT_SUFFIX,
    TEMPLATES,
    data_files,
    environment,
    fragments_dir,
    html_environment,
    render_pages,
    rss_feed,
)
from .seal import checked_results
from .site import Audience, Site, gather_site

CHINA = timezone(timedelta(hours=8))
DOCS_BUILD = ".docs_build"
PACKAGE_PROJECT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuildReport:
    audience: Audience
    site_dir: Path
    pages: int
    files: int
    bytes: int
    seconds: float


class BuildFailed(GridscoreError):
    """MkDocs refused the generated site."""


def build_date() -> date:
    """The date the site is "as of": SOURCE_DATE_EPOCH when set (reproducible builds), else today in China."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=CHINA).date()
        except ValueError:
            raise UsageError(f"环境变量 SOURCE_DATE_EPOCH 应为整数秒，实际为“{epoch}”") from None
    return datetime.now(tz=CHINA).date()


def project_dir(root: Path) -> Path:
    """Where mkdocs.yml and site_templates/ live: the repository, or the project shipped with gridscore."""
    if (root / "mkdocs.yml").is_file() and (root / TEMPLATES).is_dir():
        return root
    if (PACKAGE_PROJECT / "mkdocs.yml").is_file() and (PACKAGE_PROJECT / TEMPLATES).is_dir():
        return PACKAGE_PROJECT
    raise UsageError(f"找不到 mkdocs.yml 和 {TEMPLATES}/：请在考评仓库的根目录运行，或用 --root 指定")


def render_site(root: Path, audience: Audience, today: date) -> tuple[Site, dict[str, bytes]]:
    """Load, validate, score and render everything for ``audience``; write nothing."""
    dataset, results = checked_results(root)
    project = project_dir(root)
    site = gather_site(dataset, results, audience, today)
    pages = render_pages(site, environment(project), html_environment(project))
    files = {path: text.encode("utf-8") for path, text in pages}
    files.update(data_files(site, results))
    files["notices/feed.xml"] = rss_feed(site, _site_url(project))
    for asset in sorted((project / TEMPLATES / "assets").glob("*")):
        files[f"assets/{asset.name}"] = asset.read_bytes()
    return site, files


def build(root: Path, audience: Audience, site_dir: Path | None = None) -> BuildReport:
    started = time.perf_counter()
    today = build_date()
    site, files = render_site(root, audience, today)
    project = project_dir(root)
    target = (site_dir or root / ("site" if audience == "public" else "site-internal")).resolve()

    docs_dir = root / DOCS_BUILD / audience
    staging_parent = target.parent
    staging_parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=staging_parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read the site
    pages = len(site.pages)
    try:
        write_docs(docs_dir, files)
        # MkDocs needs only the docs folder and the nav from here on: let the records, results
        # and rendered pages go (a county's are hundreds of MiB) before it holds every page.
        del files
        site.pages.clear()
        run_mkdocs(project, docs_dir, staging, site, today)
        replace_dir(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    total = sum(path.stat().st_size for path in target.rglob("*") if path.is_file())
    count = sum(1 for path in target.rglob("*") if path.is_file())
    return BuildReport(audience, target, pages, count, total, time.perf_counter() - started)


def write_docs(docs_dir: Path, files: dict[str, bytes]) -> None:
    """Lay out the generated docs folder afresh (it is git-ignored and rebuilt every time).

    Pages' HTML fragments go to a folder beside it, so MkDocs does not publish them as files.
    """
    fragments = fragments_dir(docs_dir)
    for folder in (docs_dir, fragments):
        if folder.exists():
            shutil.rmtree(folder)
    for relative, content in sorted(files.items()):
        path = (fragments if relative.endswith(FRAGMENT_SUFFIX) else docs_dir) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def mkdocs_config(project: Path, docs_dir: Path, site_dir: Path, site: Site, **overrides: Any) -> Any:
    from mkdocs.config import load_config

    config = load_config(
        config_file=str(project / "mkdocs.yml"),
        docs_dir=str(docs_dir),
        site_dir=str(site_dir),
        nav=site.nav,
        strict=True,
        hooks=[str(Path(__file__).with_name("page_hook.py")), *overrides.pop("hooks", [])],
        **overrides,
    )
    config["extra"]["audience"] = site.audience
    config["site_name"] = site_title(site)
    return config


def site_title(site: Site) -> str:
    """The site name; escaped, since Material writes it into the page unescaped."""
    name = f"{site.unit_short}网格反诈考评公示" + ("（内部）" if site.audience == "internal" else "")
    return html.escape(name, quote=False)


def run_mkdocs(project: Path, docs_dir: Path, site_dir: Path, site: Site, today: date) -> None:
    from mkdocs import exceptions
    from mkdocs.commands.build import build as mkdocs_build

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    quiet_jieba()
    collector = _Collector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    # One date for the whole site (the sitemap's too), so two builds of the same inputs are identical.
    os.environ["SOURCE_DATE_EPOCH"] = saved_epoch or str(
        int(datetime(today.year, today.month, today.day, tzinfo=UTC).timestamp())
    )
    pages = _PageProgress(sum(1 for path in docs_dir.rglob("*.md")))
    try:
        config = mkdocs_config(project, docs_dir, site_dir, site)
        with pages:
            mkdocs_build(config)
    except (exceptions.MkDocsException, exceptions.Abort) as error:
        details = "\n".join(collector.messages) or str(error)
        raise BuildFailed(f"MkDocs 构建失败（站点未更新）：\n{details}") from None
    finally:
        logger.removeHandler(collector)
        if saved_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def quiet_jieba() -> None:
    """jieba announces loading its dictionary on stderr; the build has nothing to say about it."""
    try:
        import jieba  # type: ignore[import-untyped]
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)


def replace_dir(new: Path, target: Path) -> None:
    """Swap the freshly built site in place of the old one."""
    if target.exists():
        old = target.with_name(f".{target.name}-old")
        if old.exists():
            shutil.rmtree(old)
        target.rename(old)
        new.rename(target)
        shutil.rmtree(old)
    else:
        new.rename(target)


def _site_url(project: Path) -> str | None:
    import yaml

    try:
        data = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    url = data.get("site_url") if isinstance(data, dict) else None
    return url if isinstance(url, str) and url else None


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


class _PageProgress(logging.Handler):
    """Counts the pages MkDocs converts and then writes, from its debug log (on a terminal only)."""

    _LOGGER = "mkdocs.commands.build"

    def __init__(self, total: int) -> None:
        super().__init__(level=logging.DEBUG)
        self.total = total
        self.reading = Progress("MkDocs 转换页面", total)
        self.writing = Progress("MkDocs 生成页面", total)
        self.saved_level = logging.NOTSET

    def __enter__(self) -> _PageProgress:
        if self.reading.enabled:
            logger = logging.getLogger(self._LOGGER)
            self.saved_level = logger.level
            logger.setLevel(logging.DEBUG)
            logger.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.reading.enabled:
            logger = logging.getLogger(self._LOGGER)
            logger.removeHandler(self)
            logger.setLevel(self.saved_level)
            self.reading.finish()
            self.writing.finish()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Reading: ") and message.endswith(".md"):
            self.reading.advance()
        elif message.startswith("Building page "):
            if self.writing.done == 0:
                self.reading.finish()
            self.writing.advance()
