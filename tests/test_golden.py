"""Golden files: the rendered Markdown (and HTML fragments) of the sample, page by page.

When a change to the templates or the sample is intended, regenerate them with

    UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

and review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from generator.build import render_site
from generator.render import FRAGMENT_SUFFIX, fragment_path, rss_feed

from .conftest import PROJECT

GOLDEN = Path(__file__).parent / "golden"
BUILD_DATE = date(2026, 11, 1)
SITE_URL = "https://example.gov.cn/fanzha/"
# Every page but the worker pages (41 of them, alike in shape), plus workers that show each case.
WORKERS = {
    "public": ["wg-0103", "wg-0104", "wg-0206", "wg-0405"],  # honors; 欧阳* masked; fail streak; veto
    "internal": ["wg-0104", "wg-0206", "wg-0405"],
}


# The ledger's index, and the periods that show each case (alike in shape otherwise): measures done and
# overdue (2026-08), only overdue (2026-09), provisional (2026-10), a sealed year with honors (2025), an open year.
LEDGER = {"index", "2025", "2026", "2026-08", "2026-09", "2026-10"}


def selected(audience: str) -> dict[str, bytes]:
    site, files = render_site(PROJECT, audience, BUILD_DATE)  # type: ignore[arg-type]
    files["notices/feed.xml"] = rss_feed(site, SITE_URL)  # the sample sets no site_url, so the build writes none
    keep = {f"workers/{worker}.md" for worker in WORKERS[audience]}
    keep |= {f"internal/ledger/{period}.md" for period in LEDGER} if audience == "internal" else set()
    keep |= {fragment_path(path) for path in keep}  # their monthly breakdowns, rendered as HTML
    # Not the 核验 page: it shows the commit and whether the tree is clean, which every commit changes
    # (tests/test_manifest.py checks it against the manifest instead).
    return {
        path: content
        for path, content in files.items()
        if (
            path.endswith((".md", FRAGMENT_SUFFIX)) and not path.startswith(("workers/", "verify/", "internal/ledger/"))
        )
        or path in keep
        or path == "notices/feed.xml"
    }


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_rendered_markdown_matches_golden_files(audience: str) -> None:
    files = selected(audience)
    folder = GOLDEN / audience
    if os.environ.get("UPDATE_GOLDEN"):
        for old in folder.rglob("*"):
            if old.is_file():
                old.unlink()
        for path, content in files.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(content)
    expected = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert sorted(files) == sorted(expected), "pages added or removed: regenerate the golden files"
    changed = [path for path in files if files[path] != expected[path]]
    assert changed == [], f"rendered pages differ from tests/golden/{audience}: {changed}"
