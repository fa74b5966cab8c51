"""Build the static site: gather everything, render it, then run the real MkDocs.

Two phases: if loading, validating, scoring or rendering fails, nothing is
written. MkDocs builds into a fresh folder of this build's own that replaces the
old site only when the build succeeded, so a failed build never leaves a
half-built site (see ``sitedir`` for where a build may write).
"""

from __future__ import annotations

import html
import logging
import os
import posixpath
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .errors import GridscoreError, InvalidInput, Problem, UsageError
from .fsguard import MKDOCS, MKDOCS_MAX_BYTES, TEMPLATE_MAX_BYTES, FileProblem, check_project, read_regular, walk
from .identity import NO_SITE_URL, as_of, footer_lines, robots_txt
from .manifest import provenance, write_manifest
from .notice_print import add_qr_codes
from .pipeline import checked
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
from .search import SEARCH_EXTRAS, search_extras
from .site import Audience, Site
from .site_sections import gather_site
from .sitedir import Staging, interruptible, site_target
from .today import today

DOCS_BUILD = ".docs_build"  # gridscore serve's docs folder (a build uses a folder of its own)
PACKAGE_PROJECT = Path(__file__).resolve().parent.parent
# The MkDocs hooks of every build (and of serve, after its own): fragments and output, then the search input.
PAGE_HOOKS = ("page_hook.py", "search_hook.py")


@dataclass(frozen=True)
class BuildReport:
    audience: Audience
    site_dir: Path
    pages: int
    files: int
    bytes: int
    seconds: float
    notes: tuple[str, ...] = ()  # what the site lacks and why, one line each (printed after the summary)


class BuildFailed(GridscoreError):
    """MkDocs refused the generated site."""


def build_date() -> date:
    """The date the site is "as of": ``--today``, GRIDSCORE_TODAY, SOURCE_DATE_EPOCH, else today in China."""
    return today()


def project_dir(root: Path) -> Path:
    """Where mkdocs.yml and site_templates/ live: the repository, or the project shipped with gridscore.

    A repository that has both (even as something else than a file and a folder) uses its own:
    ``check_project`` then says what is wrong with them rather than quietly using others.
    """
    if os.path.lexists(root / MKDOCS) and os.path.lexists(root / TEMPLATES):
        return root
    if (PACKAGE_PROJECT / "mkdocs.yml").is_file() and (PACKAGE_PROJECT / TEMPLATES).is_dir():
        return PACKAGE_PROJECT
    raise UsageError(f"找不到 mkdocs.yml 和 {TEMPLATES}/：请在考评仓库的根目录运行，或用 --root 指定")


def render_site(root: Path, audience: Audience, today: date) -> tuple[Site, dict[str, bytes]]:
    """Load, validate, score and render everything for ``audience``; write nothing."""
    dataset, results = checked(root)
    project = project_dir(root)
    refused = check_project(project)  # before Jinja or MkDocs opens any of it
    if refused:
        raise InvalidInput(refused)
    origin = provenance(root, dataset)
    site = gather_site(dataset, results, audience, today, origin, _repo_url(project))
    site.provenance = origin
    site_url = _site_url(project)
    site.site_url = site_url
    site.identity = dataset.organization.unit.site
    add_qr_codes(site, site_url)
    env = environment(project)
    env.globals["feed"] = site_url is not None  # RSS needs absolute links: no site_url, no feed (and no link to it)
    pages = render_pages(site, env, html_environment(project))
    files = {path: text.encode("utf-8") for path, text in pages}
    files.update(data_files(site, results))
    if site_url is not None:
        files["notices/feed.xml"] = rss_feed(site, site_url)
    files["robots.txt"] = robots_txt(site.audience == "internal", site_url)
    files[SEARCH_EXTRAS] = search_extras(site)
    files.update(_assets(project))
    return site, files


def build_notes(site: Site) -> tuple[str, ...]:
    """What the build says besides its summary: why the site has no feed."""
    return () if site.site_url else (NO_SITE_URL,)


def _assets(project: Path) -> dict[str, bytes]:
    """site_templates/assets/, copied into the site as they are (regular files only, see check_project)."""
    folder = project / TEMPLATES / "assets"
    if not folder.is_dir():
        return {}
    found = walk(str(folder), f"{TEMPLATES}/assets", lambda name: None, hidden=True)
    assets = {}
    for path in found.files:
        relative = os.path.relpath(path, folder).replace(os.sep, "/")
        try:
            assets[f"assets/{relative}"] = read_regular(path, TEMPLATE_MAX_BYTES)
        except (FileProblem, OSError) as error:  # changed since check_project looked
            message = error.message if isinstance(error, FileProblem) else f"无法读取文件（{error.strerror}）"
            found.problems.append(Problem(f"{TEMPLATES}/assets/{relative}", 1, message))
    if found.problems:
        raise InvalidInput(found.problems)
    return assets


def build(root: Path, audience: Audience, site_dir: Path | None = None) -> BuildReport:
    started = time.perf_counter()
    wanted = site_dir or root / ("site" if audience == "public" else "site-internal")
    site_target(root, project_dir(root), wanted)  # a refused folder is said at once, not after the whole render
    with interruptible():
        today = build_date()
        site, files = render_site(root, audience, today)
        project = project_dir(root)
        target = site_target(root, project, wanted)  # again: the folder may have changed while rendering
        pages = len(site.pages)
        notes = build_notes(site)
        staging = Staging(target)
        try:
            write_docs(staging.docs, files)
            # MkDocs needs only the docs folder and the nav from here on: let the records, results
            # and rendered pages go (a county's are hundreds of MiB) before it holds every page.
            del files
            site.pages.clear()
            run_mkdocs(project, staging.docs, staging.site, site, today)
            staging.mark()
            assert site.provenance is not None
            write_manifest(staging.site, site.provenance, audience)  # last: it hashes every other file
            count, total = _measure(staging.site)  # before the swap: a concurrent build may replace it after
            staging.swap()
        finally:
            staging.remove()
    return BuildReport(audience, target, pages, count, total, time.perf_counter() - started, notes)


def _measure(folder: Path) -> tuple[int, int]:
    """How many files the site has and their bytes."""
    count = total = 0
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            count += 1
            total += os.lstat(os.path.join(dirpath, name)).st_size
    return count, total


class UnsafePath(Exception):
    """A generated file's path leaves the docs folder: a bug (identifiers are checked when loading)."""


def write_docs(docs_dir: Path, files: dict[str, bytes]) -> None:
    """Lay out the generated docs folder afresh (rebuilt every time), each file confined to it.

    Pages' HTML fragments go to a folder beside it, so MkDocs does not publish them as files.
    """
    fragments = fragments_dir(docs_dir)
    for folder in (docs_dir.parent, docs_dir, fragments):
        if folder.is_symlink():
            raise UsageError(f"{folder} 是一个符号链接：gridscore 不在符号链接里生成文件，请删除它")
    for folder in (docs_dir, fragments):
        if folder.exists():
            shutil.rmtree(folder)
    for relative, content in sorted(files.items()):
        base = fragments if relative.endswith(FRAGMENT_SUFFIX) or relative == SEARCH_EXTRAS else docs_dir
        path = base / confined(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def confined(relative: str) -> str:
    """``relative`` if it names a file inside the folder it is written to; else ``UnsafePath``."""
    parts = relative.split("/")
    if (
        not relative
        or "\0" in relative
        or any(sep in relative for sep in (os.sep, os.altsep) if sep and sep != "/")
        or posixpath.isabs(relative)
        or any(part in ("", ".", "..") for part in parts)
        or posixpath.normpath(relative) != relative
    ):
        raise UnsafePath(f"生成的文件路径“{relative}”不在站点文件夹内，已停止构建")
    return relative


def mkdocs_config(project: Path, docs_dir: Path, site_dir: Path, site: Site, **overrides: Any) -> Any:
    from mkdocs.config import load_config

    config = load_config(
        config_file=str(project / "mkdocs.yml"),
        docs_dir=str(docs_dir),
        site_dir=str(site_dir),
        nav=site.nav,
        strict=True,
        hooks=[str(Path(__file__).with_name(name)) for name in PAGE_HOOKS],
        **overrides,
    )
    config["extra"].update(theme_extra(site))
    config["site_name"] = site_title(site)
    return config


def theme_extra(site: Site) -> dict[str, Any]:
    """What the theme's templates read from ``config.extra``: the audience, the footer
    (partials/copyright.html) and the feed's link (partials/gs-head.html). The templates escape the texts."""
    return {
        "audience": site.audience,
        "gs_identity": footer_lines(site.identity),
        "gs_as_of": as_of(site.build_date),
        "gs_feed": f"{site.site_url.rstrip('/')}/notices/feed.xml"
        if site.site_url
        else None,  # absolute, as the feed's links
    }


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
    # One date for the whole site (the sitemap's too), and no time of day: the site is a function of the
    # commit and its date only, so ``verify --site`` can rebuild it from the date its 核验 page shows.
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime(today.year, today.month, today.day, tzinfo=UTC).timestamp()))
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
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved_epoch


def quiet_jieba() -> None:
    """jieba announces loading its dictionary on stderr; the build has nothing to say about it."""
    try:
        import jieba  # type: ignore[import-untyped]
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)


def _site_url(project: Path) -> str | None:
    return _mkdocs_address(project, "site_url")


def _repo_url(project: Path) -> str | None:
    """mkdocs.yml's repo_url, for the 核验 page's clone command: a web address only."""
    url = _mkdocs_address(project, "repo_url")
    return url if url and url.startswith(("https://", "http://")) else None


def _mkdocs_address(project: Path, key: str) -> str | None:
    import yaml

    try:
        data = yaml.safe_load(read_regular(project / MKDOCS, MKDOCS_MAX_BYTES).decode("utf-8"))
    except (FileProblem, OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    url = data.get(key) if isinstance(data, dict) else None
    # An address has no space or control character (MkDocs would refuse it; robots.txt must not get a line).
    if not isinstance(url, str) or not url or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        return None
    return url


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
