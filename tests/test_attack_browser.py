"""A repository full of payloads, built and read in headless Chromium: every hostile text is inert (PRODUCT.md §9).

One throwaway repository carries ``tests/payloads.py`` in every published field: the unit, community, grid,
worker and assessor names, event summaries, notice titles, numbers, issuers, contacts and bodies, and every
name and label of the rubric. ``gridscore check`` must accept it (the payloads are within §9's limits),
``gridscore build`` must build it for both audiences, and in a real browser nothing from data may run, load
from outside, or disappear: each one-line payload is shown as the text it is. Notice bodies may lose what §9
does not allow (images, raw HTML, script links), by refusal in ``check`` or by the sanitizer.

The same repository's RSS feed, CSV files, PR report (``gridscore diff``) and CODEOWNERS are read as well.

Skipped without Chromium, chromedriver or selenium, except under CI (see tests/test_browser.py).
"""

from __future__ import annotations

import copy
import csv
import functools
import html
import http.server
import json
import re
import shutil
import threading
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from . import payloads
from .conftest import PERFECT_METRICS, PROJECT, PagesHandler, Repo, Run, run_cli
from .fuzzing import RUBRIC_DATA, dump_yaml
from .payloads import FOREIGN_HOST, MARKER, Payload

# The browser half needs Chromium; the files half (RSS, CSV, PR report, CODEOWNERS) does not. Importing
# tests/test_browser applies its rule: skip without Chromium, but fail under CI.
try:
    from .test_browser import TIMEOUT, driver, search  # noqa: F401  (driver: the shared Chromium fixture)
except pytest.skip.Exception as missing:
    BROWSER_MISSING: str | None = missing.msg
else:
    BROWSER_MISSING = None
    from selenium.common.exceptions import NoAlertPresentException, UnexpectedAlertPresentException
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.ui import WebDriverWait

YEAR = 2026
# 2027-02-01 00:00 UTC: after the year's seals and notices, so every date rule sees the same "today".
TODAY = "2027-02-01"
EPOCH = "1801440000"

COMMUNITIES = {"c1": ["g01", "g02"], "c2": ["g01"]}
WORKERS = [  # id, community, grid, consent to publish the name
    ("w1", "c1", "g01", True),
    ("w2", "c1", "g02", True),
    ("w3", "c1", "g01", True),
    ("w4", "c2", "g01", True),
    ("w5", "c2", "g01", True),
    ("w6", "c2", "g01", False),
]
LEVELS_BY_WORKER = {"w1": "excellent", "w2": "excellent", "w3": "good", "w4": "good", "w5": "fair", "w6": "fair"}
BONUS_KINDS: list[tuple[str, dict[str, Any]]] = [  # kind, the extra fields it needs
    ("major_dissuasion", {"amount_yuan": 80000}),
    ("loss_recovered", {"amount_yuan": 3000}),
    ("key_lead_case_solved", {}),
    ("innovation_recognized", {"level": "city"}),
]
VETO_WORKER, VETO_MONTH = "w5", 5  # a major_risk_incident: the criticism notice (internal) has a subject
CORRECTED_WORKER = "w3"  # its December record changes after the seal: the correction notice shows old and new


# Fields whose payload is chosen, not dealt in turn: the contexts that need a particular attack to be tested.
CHOSEN = {
    "unit.short": "<img src=x onerror=alert(1)>",  # the site title, in <title> and the header of every page
    "worker.w1": "<script>alert(1)</script>",
    "worker.w2": "=cmd|' /C calc'!A0",  # CSV
    "worker.w3": "| x | ## ✅ 审核结论：无需人工核对",  # PR report and Markdown tables
    "worker.w4": "-2+3",  # CSV
    "worker.w5": '"><svg onload=alert(1)>',
    # No consent: the public build shows 欧阳* only, so this name must appear on no public page.
    "worker.w6": "欧阳<i onclick=alert(1)>娜</i>",
    "rubric.grade.excellent": "@SUM(A1)",  # CSV (the grade column)
    "rubric.grade.good": "+SUM(1,1)",
    "rubric.honor.excellent_worker": '=HYPERLINK("//0.0.0.0","x")',  # CSV (the honors column)
    "rubric.honor.anti_fraud_expert": '{: onerror="alert(1)" }',
    "followup.w5.0.note": "落实<img src=x onerror=alert(1)>情况",  # internal 奖惩台账 only
    "rubric.rewards.currency": "<b>元</b>",
}
# The first paragraph of every body (what an RSS description is made from): entities, emphasis, a link.
BODY_LEAD = "通报：&lt;img src=x onerror=alert(1)&gt; 与 {{ 7*7 }}，**要点**，[链接](https://example.gov.cn/)。"


# --- the hostile repository ------------------------------------------------------------------------------------


class Slots:
    """Deal payloads to fields (or as CHOSEN), and remember which field got which.

    The first field of each kind (the grades, the scale labels, one item's metric labels, …) gets a payload that
    runs or loads if a template forgets to escape it; the fields after it alternate with payloads that only
    garble the text (Markdown, templates, entities), so every kind meets both.
    """

    def __init__(self, pool: list[Payload]) -> None:
        chosen = set(CHOSEN.values())
        self.pools = {
            active: [p.text for p in pool if p.active == active and p.text not in chosen] for active in (True, False)
        }
        self.next = {True: 0, False: 0}
        self.kinds: dict[str, int] = {}
        self.given: dict[str, str] = {}

    def take(self, where: str, limit: int = payloads.BODY_MAX) -> str:
        text = CHOSEN.get(where)
        kind = where.rsplit(".", 1)[0] if "." in where else where
        seen = self.kinds[kind] = self.kinds.get(kind, -1) + 1
        active = bool(self.pools[True]) and (seen % 2 == 0 or not self.pools[False])
        while text is None or len(text) > limit:
            pool = self.pools[active]
            text = pool[self.next[active] % len(pool)]
            self.next[active] += 1
        self.given[where] = text
        return text


def q(text: str) -> str:
    """A YAML scalar for any text: a JSON string is a YAML double-quoted string."""
    return json.dumps(text, ensure_ascii=False)


@dataclass
class Hostile:
    """The repository and what was put where (field → payload), for the assertions on pages and files."""

    root: Path
    given: dict[str, str] = field(default_factory=dict)
    body_lines: list[str] = field(default_factory=list)  # the body payload lines check accepted
    refused_body_lines: dict[str, str] = field(default_factory=dict)  # payload → check's message
    notices: dict[str, str] = field(default_factory=dict)  # stem → kind
    refused_seal_change: str | None = None  # check's message for the forged seal change, if it refuses it

    def texts(self, prefix: str) -> dict[str, str]:
        return {where: text for where, text in self.given.items() if where.startswith(prefix)}

    def public_notices(self) -> list[str]:
        return [stem for stem, kind in self.notices.items() if kind != "criticism"]


def community_of(worker: str) -> str:
    return next(community for w, community, _, _ in WORKERS if w == worker)


SITE_LINES = (("host", 100), ("contact", 100), ("icp", 32), ("police_record", 32), ("site_code", 32))


def organization_text(names: Slots) -> str:
    lines = [
        "unit:",
        f"  name: {q(names.take('unit.name'))}",
        f"  short: {q(names.take('unit.short'))}",
        f"  leading_group: {q(names.take('unit.leading_group'))}",
        "  site:",  # the footer of every page
        *(f"    {key}: {q(names.take(f'unit.site.{key}', limit))}" for key, limit in SITE_LINES),
        "communities:",
    ]
    for community, grids in COMMUNITIES.items():
        lines += [f"  - id: {community}", f"    name: {q(names.take(f'community.{community}'))}", "    grids:"]
        lines += [f"      - {{id: {grid}, name: {q(names.take(f'grid.{community}.{grid}'))}}}" for grid in grids]
    lines.append("workers:")
    for worker, community, grid, consent in WORKERS:
        lines.append(
            f"  - {{id: {worker}, name: {q(names.take(f'worker.{worker}'))}, community: {community}, grid: {grid}, "
            f"role: full_time, joined: {YEAR}-01, left: null, publish_name: {'true' if consent else 'false'}}}"
        )
    lines.append("assessors:")
    for assessor, communities, account in (("a1", "all", "li-si"), ("a2", "[c2]", "zhao-liu")):
        lines.append(
            f"  - {{id: {assessor}, name: {q(names.take(f'assessor.{assessor}'))}, "
            f"org: {q(names.take(f'assessor.{assessor}.org'))}, communities: {communities}, git_account: {account}}}"
        )
    return "\n".join(lines) + "\n"


def hostile_rubric(names: Slots, titles: Slots) -> dict[str, Any]:
    """rubric/2026.yaml with a payload in every name, label, title and description; ids and numbers kept."""
    rubric = copy.deepcopy(RUBRIC_DATA)
    rubric["title"] = titles.take("rubric.title")
    rubric["basis"] = titles.take("rubric.basis")
    rubric["changes"] = [titles.take(f"rubric.changes.{i}") for i in range(len(rubric["changes"]))]
    for level in rubric["levels"]:
        level["label"] = names.take(f"rubric.level.{level['id']}")
        if "description" in level:
            level["description"] = titles.take(f"rubric.level.{level['id']}.description")
    for scale, steps in rubric["scales"].items():
        for step in steps:
            step["label"] = names.take(f"rubric.scale.{scale}.{step['id']}")
    for category in rubric["categories"]:
        category["name"] = names.take(f"rubric.category.{category['id']}")
        for item in category["items"]:
            item["name"] = names.take(f"rubric.item.{item['id']}")
            item["description"] = titles.take(f"rubric.item.{item['id']}.description")
            for metric in item.get("fields", {}):
                item["fields"][metric] = names.take(f"rubric.field.{item['id']}.{metric}")
            for index, term in enumerate(item.get("terms", [])):
                term["label"] = names.take(f"rubric.term.{item['id']}.{index}")
    for event in rubric["events"]:
        event["name"] = names.take(f"rubric.event.{event['id']}")
    for grade in rubric["grades"]:
        grade["name"] = names.take(f"rubric.grade.{grade['id']}")
    for honor in rubric["honors"]:
        honor["name"] = names.take(f"rubric.honor.{honor['id']}")
        honor["description"] = titles.take(f"rubric.honor.{honor['id']}.description")
    for rule, measures in rubric["sanctions"].items():
        if rule == "followup_days":  # a number of days, not a list of measures
            continue
        listed = measures["measures"] if isinstance(measures, dict) else measures
        for index in range(len(listed)):
            listed[index] = names.take(f"rubric.sanction.{rule}.{index}")
    if rubric.get("rewards"):
        rubric["rewards"]["currency"] = names.take("rubric.rewards.currency")
    return rubric


def followup_text(measures: list[str], notes: Slots) -> str:
    """The veto month's follow-up (internal): each measure the rubric calls for done, with a payload note."""
    entries = [
        f"- measure: {q(measure)}\n  done_on: {YEAR}-{VETO_MONTH + 1:02d}-10\n  by: a1\n"
        f"  note: {q(notes.take(f'followup.{VETO_WORKER}.{index}.note'))}\n"
        for index, measure in enumerate(measures)
    ]
    return "".join(entries)


def record_path(worker: str, month: int) -> str:
    return f"records/{YEAR}/{month:02d}/{community_of(worker)}/{worker}.yaml"


def record_text(worker: str, month: int, summaries: Slots, internal: Slots) -> str:
    """A record with one bonus event (its summary is public) and internal text in evidence and notes."""
    metrics = PERFECT_METRICS.replace("excellent", LEVELS_BY_WORKER[worker])
    period = f"{YEAR}-{month:02d}"
    kind, extra = BONUS_KINDS[(month + int(worker[1:])) % len(BONUS_KINDS)]
    where = record_path(worker, month)
    events = [
        f"  - kind: {kind}",
        f"    date: {period}-12",
        *(f"    {key}: {value}" for key, value in extra.items()),
        f"    summary: {q(summaries.take(f'summary:{where}', payloads.SUMMARY_MAX))}",
        f"    evidence: {q(internal.take(f'internal:{where}#evidence', payloads.SUMMARY_MAX))}",
    ]
    if (worker, month) == (VETO_WORKER, VETO_MONTH):  # a deduction: its summary is internal
        events += [
            "  - kind: major_risk_incident",
            f"    date: {period}-20",
            f"    summary: {q(internal.take(f'internal:{where}#veto', payloads.SUMMARY_MAX))}",
        ]
    next_month = f"{YEAR + month // 12}-{month % 12 + 1:02d}"
    return (
        f"worker: {worker}\nperiod: {period}\nassessed_by: a1\nassessed_on: {next_month}-02\n{metrics}"
        "events:\n" + "\n".join(events) + f"\nnotes: {q(internal.take(f'internal:{where}#notes'))}\n"
    )


def notice_text(
    kind: str,
    number: str,
    title: str,
    period: str,
    day: str,
    issued_by: str,
    body: list[str],
    contact: str = "",
    workers: list[str] | None = None,
) -> str:
    lines = [
        f"kind: {kind}",
        f"number: {q(number)}",
        f"title: {q(title)}",
        f"period: {period}",
        f"date: {day}",
        f"issued_by: {q(issued_by)}",
    ]
    if kind == "publicity":
        lines.append(f"publicity: {{start: {day}, end: {YEAR + 1}-01-18, contact: {q(contact)}}}")
    if workers:
        lines.append(f"workers: [{', '.join(workers)}]")
    lines.append("body: |")
    lines += [f"  {line}" if line else "" for line in body]
    return "\n".join(lines) + "\n"


def body_of(accepted: list[str]) -> list[str]:
    """A body: the lead paragraph, the Markdown §9 allows, then each payload line as a paragraph of its own."""
    lines = [BODY_LEAD, "", *payloads.BODY_ALLOWED.rstrip("\n").split("\n")]
    for line in accepted:
        lines += ["", line]
    return lines


def notice_number(names: Slots, where: str, year: str, sequence: int) -> str:
    """A 发文字号 whose issuer abbreviation is a payload, within a name's length."""
    suffix = f"〔{year}〕{sequence}号"
    text = names.take(where, payloads.NAME_MAX - len(suffix)) + suffix
    names.given[where] = text
    return text


def refused_body_lines(tmp: Path) -> dict[str, str]:
    """The body payload lines check refuses, learnt from one criticism notice (it needs no seal) in a repository
    of its own. Each refusal must be ``path:line: message`` at the payload's own line."""
    probe = Repo(tmp / "probe")
    lines = body_of([p.text for p in payloads.BODY_LINES])
    relative = f"records/notices/{YEAR}-06-10-criticism.yaml"
    text = notice_text(
        "criticism", f"测试反诈〔{YEAR}〕1号", "关于通报批评的通知", f"{YEAR}-05", f"{YEAR}-06-10", "测试街道", lines
    )
    probe.write(relative, text)
    run = probe.run("check")
    assert run.code in (0, 1) and "Traceback" not in run.err, run.err
    first_body_line = text.split("\n").index("body: |") + 2
    allowed = {p.text for p in payloads.BODY_LINES}
    refused: dict[str, str] = {}
    for problem in run.lines[:-1] if run.code == 1 else []:
        match = re.match(rf"{re.escape(relative)}:(\d+): (.+)", problem)
        assert match, f"check refuses a notice body for a reason other than its payload lines:\n{run.err}"
        index = int(match.group(1)) - first_body_line
        assert 0 <= index < len(lines) and lines[index] in allowed, (
            f"check names line {match.group(1)} of the notice, which holds no payload line:\n{run.err}\n{text}"
        )
        refused[lines[index]] = match.group(2)
    return refused


def gridscore(root: Path, *args: str) -> Run:
    return run_cli(*args, "--root", str(root))


def must(run: Run, what: str) -> Run:
    assert run.code == 0, f"{what} exited {run.code}:\n{run.err}{run.out[-3000:]}"
    return run


def write_hostile_repository(root: Path) -> Hostile:
    """The whole hostile repository: a year of records, sealed, with its notices and a recorded correction."""
    hostile = Hostile(root)
    shutil.copytree(PROJECT / "rubric", root / "rubric")
    shutil.copytree(PROJECT / "site_templates", root / "site_templates")
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    names, titles = Slots(payloads.NAMES), Slots(payloads.TITLES)
    summaries, internal = Slots(payloads.SUMMARIES), Slots(list(reversed(payloads.SUMMARIES)))
    (root / "records").mkdir()
    (root / "records/organization.yaml").write_text(organization_text(names), encoding="utf-8")
    (root / f"rubric/{YEAR}.yaml").write_text(dump_yaml(hostile_rubric(names, titles)), encoding="utf-8")
    for month in range(1, 13):
        for worker, _, _, _ in WORKERS:
            path = root / record_path(worker, month)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(record_text(worker, month, summaries, internal), encoding="utf-8")
    for index, (worker, community, _, _) in enumerate(WORKERS):
        path = root / f"records/{YEAR}/annual/{community}/{worker}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"worker: {worker}\nyear: {YEAR}\nreview_score: {93 - 2 * index}\nassessed_by: a1\n"
            f"assessed_on: {YEAR + 1}-01-10\n",
            encoding="utf-8",
        )
    veto_measures = [given for where, given in names.given.items() if where.startswith("rubric.sanction.veto.")]
    followup = root / f"records/followups/{YEAR}-{VETO_MONTH:02d}/{VETO_WORKER}.yaml"
    followup.parent.mkdir(parents=True)
    followup.write_text(followup_text(veto_measures, internal), encoding="utf-8")
    must(gridscore(root, "check"), "check of the hostile records (before any seal or notice)")
    for month in range(1, 13):  # sealed after the annual reviews' date, before the correction
        must(gridscore(root, "seal", f"{YEAR}-{month:02d}", "--today", f"{YEAR + 1}-01-11"), f"seal {YEAR}-{month:02d}")

    hostile.refused_body_lines = refused_body_lines(root.parent)
    hostile.body_lines = [p.text for p in payloads.BODY_LINES if p.text not in hostile.refused_body_lines]
    body = body_of(hostile.body_lines)
    issued_by = names.take("notice.issued_by")
    notices = [  # kind, stem, period, date
        ("commendation", f"{YEAR + 1}-01-05-commendation-{YEAR}-12", f"{YEAR}-12", f"{YEAR + 1}-01-05"),
        ("correction", f"{YEAR + 1}-01-15-correction-{YEAR}-12", f"{YEAR}-12", f"{YEAR + 1}-01-15"),
        ("publicity", f"{YEAR + 1}-01-12-publicity-{YEAR}", str(YEAR), f"{YEAR + 1}-01-12"),
        ("commendation", f"{YEAR + 1}-01-20-commendation-{YEAR}", str(YEAR), f"{YEAR + 1}-01-20"),
        ("criticism", f"{YEAR}-06-10-criticism-{YEAR}-05", f"{YEAR}-05", f"{YEAR}-06-10"),
    ]
    (root / "records/notices").mkdir()
    # The correction: a December record changes after the seal; the seal records old and new. Its notice
    # names every worker whose December figures move (the corrected one, and those whose rank follows).
    december = root / record_path(CORRECTED_WORKER, 12)
    text = december.read_text(encoding="utf-8")
    december.write_text(text.replace("key_people_reached: 30", "key_people_reached: 29"), encoding="utf-8")
    unscoped = gridscore(root, "check")  # each worker whose sealed December figures moved, at their record
    moved = sorted({line.split(":")[0].rsplit("/", 1)[-1].removesuffix(".yaml") for line in unscoped.lines[:-1]})
    assert unscoped.code == 1 and CORRECTED_WORKER in moved, unscoped.err
    for sequence, (kind, stem, period, day) in enumerate(notices, start=1):
        number = notice_number(names, f"notice.{stem}.number", day[:4], sequence)
        title = titles.take(f"notice.{stem}.title")
        phone = " 电话 0000-0000000"  # a contact line may carry a phone number (§5); the whole within a name's length
        contact = (
            names.take(f"notice.{stem}.contact", payloads.NAME_MAX - len(phone)) + phone if kind == "publicity" else ""
        )
        if contact:
            names.given[f"notice.{stem}.contact"] = contact
        scope = moved if kind == "correction" else None
        text = notice_text(kind, number, title, period, day, issued_by, body, contact, scope)
        (root / f"records/notices/{stem}.yaml").write_text(text, encoding="utf-8")
        hostile.notices[stem] = kind
    must(gridscore(root, "seal", f"{YEAR}-12"), "seal of the correction")
    must(gridscore(root, "seal", str(YEAR)), f"seal {YEAR}")
    hostile.refused_seal_change = forge_seal_change(root)
    run = gridscore(root, "check")
    assert run.code == 0, (
        "check refuses the hostile repository; every payload is within §9's limits and must be accepted "
        f"and shown as text:\n{run.err}"
    )
    for slots in (names, titles, summaries, internal):
        hostile.given.update(slots.given)
    return hostile


SEAL_CHANGE = (
    '      - {worker: %s, field: "<img src=x onerror=alert(1)>", old: "<b>旧</b>", new: "<script>alert(1)</script>"}'
)


def forge_seal_change(root: Path) -> str | None:
    """Append a change with markup in its field and values to the December seal's correction, as a hand edit of
    the seal would. check may refuse it at its line (then it is taken out again: the refusal is returned) or
    accept it (then the correction page must show it inert)."""
    seal = root / f"records/seals/{YEAR}-12.yaml"
    text = seal.read_text(encoding="utf-8")
    forged = text + SEAL_CHANGE % CORRECTED_WORKER + "\n"
    seal.write_text(forged, encoding="utf-8")
    run = gridscore(root, "check")
    if run.code == 0:
        return None
    line = forged.count("\n")
    where = f"records/seals/{YEAR}-12.yaml:{line}: "
    assert run.code == 1 and all(problem.startswith(where) for problem in run.lines[:-1]), (
        f"check refuses a forged seal change other than at {where}:\n{run.err}"
    )
    seal.write_text(text, encoding="utf-8")
    return run.lines[0]


# --- building and serving -------------------------------------------------------------------------------------


@dataclass
class Sites:
    hostile: Hostile
    origin: str  # http://127.0.0.1:PORT/
    served: Path  # public/ and internal/ inside

    def url(self, audience: str, path: str = "") -> str:
        return f"{self.origin}{audience}/{path}"

    def dir(self, audience: str) -> Path:
        return self.served / audience


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    tmp = tmp_path_factory.mktemp("hostile")
    served = tmp / "served"
    served.mkdir()
    # The port first: each site is built for its address (site_url), as a deployment would be.
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(PagesHandler, directory=str(served)))
    server.daemon_threads = True
    origin = f"http://127.0.0.1:{server.server_address[1]}/"
    (tmp / "repo").mkdir()
    thread = threading.Thread(target=server.serve_forever, name="hostile-site-server", daemon=True)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
            patch.setenv("GRIDSCORE_TODAY", TODAY)
            hostile = write_hostile_repository(tmp / "repo")
            config = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
            for audience in ("public", "internal"):
                (hostile.root / "mkdocs.yml").write_text(f"site_url: {origin}{audience}/\n{config}", encoding="utf-8")
                run = gridscore(hostile.root, "build", "--audience", audience, "--site-dir", str(served / audience))
                must(run, f"build --audience {audience} of the hostile repository")
        thread.start()
        yield Sites(hostile, origin, served)
    finally:
        if thread.is_alive():
            server.shutdown()
            thread.join(timeout=5)
        server.server_close()


# --- the browser ------------------------------------------------------------------------------------------------

# Runs before any script of every page: a dialog is recorded (in the page, and in localStorage so that a
# dialog opened just before a navigation is not lost) instead of opened.
DIALOG_RECORDER = """
(() => {
  const record = kind => function (message) {
    const entry = kind + '(' + String(message).slice(0, 80) + ') on ' + location.href;
    try {
      const seen = JSON.parse(localStorage.getItem('__hostile_dialogs') || '[]');
      seen.push(entry);
      localStorage.setItem('__hostile_dialogs', JSON.stringify(seen));
    } catch (e) {}
    (window.__hostile_dialogs = window.__hostile_dialogs || []).push(entry);
    return kind === 'confirm' ? false : null;
  };
  for (const kind of ['alert', 'confirm', 'prompt']) {
    try { Object.defineProperty(window, kind, {value: record(kind), writable: false, configurable: false}); }
    catch (e) {}
  }
})();
"""

# What a page carries that could only have come from data: every element, attribute and script is looked at.
INSPECT_PAGE = """
const marker = arguments[0], foreignHost = arguments[1];
const found = [], links = [];
const shown = el => '<' + el.localName + (el.id ? '#' + el.id : '') + '>';
const outer = el => el.outerHTML.replace(/\\s+/g, ' ').slice(0, 120);
for (const el of document.querySelectorAll('*')) {
  for (const attr of el.attributes) {
    const name = attr.name.toLowerCase(), value = attr.value;
    if (name.startsWith('on'))
      found.push('event-handler attribute ' + shown(el) + ' ' + name + '="' + value.slice(0, 80) + '"');
    if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'srcdoc', 'background'].includes(name)) {
      let scheme = '';
      try { scheme = new URL(value, location.href).protocol; } catch (e) {}
      if (['javascript:', 'vbscript:', 'data:'].includes(scheme) || /^\\s*(javascript|vbscript|data)\\s*:/i.test(value))
        found.push('script URL ' + shown(el) + ' ' + name + '="' + value.slice(0, 80) + '"');
      if (value.includes(foreignHost))  // a link there is a body's right (§9: links to http(s)); a load never is
        (name === 'href' && el.localName === 'a' ? links : found).push(
          'reference to ' + foreignHost + ' ' + shown(el) + ' ' + name + '="' + value.slice(0, 80) + '"');
      if (el.localName === 'a' && name === 'href' && el.closest('article') && scheme
          && !['http:', 'https:', 'mailto:', 'tel:', 'javascript:', 'vbscript:', 'data:'].includes(scheme))
        found.push('link of a scheme §9 does not allow ' + shown(el) + ' href="' + value.slice(0, 80) + '"');
    }
    if (name === 'style' && /url\\s*\\(|expression\\s*\\(/i.test(value))
      found.push('style loading from data ' + shown(el) + ' style="' + value.slice(0, 80) + '"');
  }
}
const theme = arguments[2];  // the elements Material itself writes, each a CSS selector
for (const el of document.querySelectorAll('img, iframe, frame, frameset, embed, object, applet, base, form, meta[http-equiv], video, audio, picture, source, portal'))
  if (!theme.some(selector => el.matches(selector)) || el.closest('article'))
    found.push('element from data ' + outer(el));
for (const el of document.querySelectorAll('link[href]'))
  if (new URL(el.href, location.href).origin !== location.origin)
    found.push('link to another host ' + outer(el));
for (const el of document.querySelectorAll('script')) {
  if (el.src && new URL(el.src, location.href).origin !== location.origin)
    found.push('script from another host ' + el.src);
  if (el.text.includes(marker) || el.text.includes(foreignHost))
    found.push('script with a payload ' + outer(el));
}
for (const el of document.querySelectorAll('article style, article link, article script, style'))
  if (el.closest('article') || el.textContent.includes(foreignHost))
    found.push('style or script from data ' + outer(el));
// Not text a reader sees: scripts, and what a raw-text element (an <iframe> from data, say) swallowed.
const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'IFRAME', 'TEXTAREA', 'XMP', 'NOEMBED', 'NOFRAMES', 'TITLE']);
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT,
  {acceptNode: n => skip.has(n.parentNode.nodeName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
let text = '';
while (walker.nextNode()) text += walker.currentNode.nodeValue;
return {found, links, text, title: document.title, dialogs: window.__hostile_dialogs || []};
"""
# What Material writes that the page check would otherwise count as from data (found on the sample site).
THEME_ELEMENTS = ["form.md-search__form[name=search]"]
TAKE_DIALOGS = """
const seen = JSON.parse(localStorage.getItem('__hostile_dialogs') || '[]');
localStorage.removeItem('__hostile_dialogs');
return seen;
"""


@dataclass
class Page:
    url: str
    text: str = ""
    title: str = ""
    problems: list[str] = field(default_factory=list)
    foreign_links: list[str] = field(default_factory=list)  # <a href> to the foreign host: only a body may hold one


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def browser(request: pytest.FixtureRequest) -> WebDriver:
    if BROWSER_MISSING:
        pytest.skip(BROWSER_MISSING)
    chromium: WebDriver = request.getfixturevalue("driver")
    chromium.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": DIALOG_RECORDER})
    chromium.execute_cdp_cmd("Network.enable", {})
    return chromium


def foreign_requests(chromium: WebDriver, origin: str) -> list[str]:
    """Every request the browser sent since the last call that was not to the test's own server."""
    sent = []
    for entry in chromium.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if re.match(r"(?i)(https?|wss?|ftp):", url) and not url.startswith(origin):
                sent.append(url)
    return sorted(set(sent))


def native_alert(chromium: WebDriver) -> str | None:
    """A real dialog that got past the recorder (accepted, so the run goes on), or None."""
    try:
        alert = chromium.switch_to.alert
    except NoAlertPresentException:
        return None
    text = alert.text
    alert.accept()
    return text


def settle(chromium: WebDriver) -> None:
    done = lambda d: d.execute_script("return document.readyState") == "complete"  # noqa: E731
    WebDriverWait(chromium, TIMEOUT, poll_frequency=0.05).until(done)
    time.sleep(0.1)  # an <img onerror> or a lazy request fires just after load


def look(chromium: WebDriver, origin: str, url: str | None = None) -> Page:
    """Open ``url`` (or stay on the current page) and collect everything that could only have come from data."""
    page = Page(url or chromium.current_url)
    try:
        if url is not None:
            chromium.get_log("performance")  # drop what earlier pages requested
            chromium.get(url)
        settle(chromium)
        seen = chromium.execute_script(INSPECT_PAGE, MARKER, FOREIGN_HOST, THEME_ELEMENTS)
        dialogs = seen["dialogs"] + chromium.execute_script(TAKE_DIALOGS)
    except UnexpectedAlertPresentException as error:
        page.problems.append(f"a real dialog opened: {error.alert_text!r}")
        native_alert(chromium)
        return page
    page.text, page.title = squeeze(seen["text"]), seen["title"]
    page.problems += seen["found"]
    page.foreign_links = seen["links"]
    page.problems += [f"a dialog was called: {entry}" for entry in sorted(set(dialogs))]
    page.problems += [f"a request left the site: {url}" for url in foreign_requests(chromium, origin)]
    alert = native_alert(chromium)
    if alert is not None:
        page.problems.append(f"a real dialog opened: {alert!r}")
    return page


def double_escaped(hostile: Hostile) -> dict[str, str]:
    """Escaped forms that would show on a page only if a payload had been escaped twice: escaped → payload."""
    every = set(hostile.given.values()) | set(hostile.body_lines) | {BODY_LEAD}
    found = {}
    for text in every:
        escaped = html.escape(text, quote=False)
        if escaped != text and not any(escaped in other for other in every):
            found[escaped] = text
    return found


def expected_texts(sites: Sites, audience: str, path: str) -> dict[str, str]:
    """The payloads that must be shown, as text, on a page: field → payload."""
    hostile = sites.hostile
    given = hostile.given
    wanted: dict[str, str] = {}
    consenting = [w for w, _, _, consent in WORKERS if consent or audience == "internal"]
    names = {f"worker.{w}": given[f"worker.{w}"] for w in consenting}
    communities = hostile.texts("community.")
    if path.startswith("rankings/") and path != "rankings/":
        wanted |= names | communities
    elif path.startswith("workers/"):
        worker = path.split("/")[1]
        community = community_of(worker)
        grid = next(g for w, _, g, _ in WORKERS if w == worker)
        if f"worker.{worker}" in names:
            wanted[f"worker.{worker}"] = names[f"worker.{worker}"]
        wanted[f"community.{community}"] = given[f"community.{community}"]
        wanted[f"grid.{community}.{grid}"] = given[f"grid.{community}.{grid}"]
        for month in range(1, 13):
            key = f"summary:{record_path(worker, month)}"
            wanted[key] = given[key]  # bonus summaries are public
    elif path == f"rubric/{YEAR}/":
        wanted["rubric.title"] = given["rubric.title"]
        for kind in ("category", "item", "event", "grade", "honor", "level"):
            wanted |= hostile.texts(f"rubric.{kind}.")
        wanted = {where: text for where, text in wanted.items() if not where.endswith(".description")}
    elif path == f"honors/{YEAR}/":
        wanted |= {where: given[where] for where in ("rubric.honor.excellent_worker", "rubric.honor.anti_fraud_expert")}
    elif path.startswith("notices/") and path != "notices/":
        stem = path.split("/")[1]
        wanted |= hostile.texts(f"notice.{stem}.")
        wanted["notice.issued_by"] = given["notice.issued_by"]
        for line in hostile.body_lines:
            if line.startswith(("{{", "{%")):  # template syntax is text in Markdown: kept as written
                wanted[f"body: {line}"] = line
    elif path.startswith("internal/ledger/"):
        wanted["rubric.rewards.currency"] = given["rubric.rewards.currency"]
        if path != "internal/ledger/":  # the index lists periods and open measures only
            wanted |= names | communities
        if path == f"internal/ledger/{YEAR}-{VETO_MONTH:02d}/":
            wanted |= {where: text for where, text in given.items() if where.startswith("rubric.sanction.veto.")}
            wanted |= hostile.texts(f"followup.{VETO_WORKER}.")
    elif path == "notices/":
        visible = hostile.notices if audience == "internal" else hostile.public_notices()
        wanted |= {f"notice.{stem}.title": given[f"notice.{stem}.title"] for stem in visible}
    return wanted


def assert_page_is_inert(sites: Sites, page: Page, audience: str, path: str) -> None:
    hostile = sites.hostile
    problems = list(page.problems)
    if not (path.startswith("notices/") and path != "notices/"):  # no body here: such a link came from a name
        problems += page.foreign_links
    if not page.problems or page.text:
        for where, text in expected_texts(sites, audience, path).items():
            if squeeze(text) not in page.text:
                problems.append(f"{where}: {text!r} is not shown as text")
        for where, text in hostile.texts("unit.site.").items():  # the footer of every page
            if squeeze(text) not in page.text:
                problems.append(f"{where}: {text!r} is not shown as text in the footer")
        short = hostile.given["unit.short"]
        if short not in page.title:
            problems.append(f"unit.short: {short!r} is not in the page title {page.title!r}")
        for escaped, text in double_escaped(hostile).items():
            if escaped in page.text or escaped in page.title:
                problems.append(f"{text!r} is escaped twice: the page shows {escaped!r}")
        if audience == "public" and squeeze(hostile.given["worker.w6"]) in page.text:
            problems.append(f"w6's name {hostile.given['worker.w6']!r} is shown without consent")
    if problems:
        pytest.fail(f"{audience} {path or 'home'} ({page.url}):\n  " + "\n  ".join(problems), pytrace=False)


MONTHS = [f"rankings/{YEAR}-{month:02d}/" for month in range(1, 13)]
WORKER_PAGES = [f"workers/{worker}/" for worker, _, _, _ in WORKERS]
NOTICE_PAGES = [
    f"notices/{YEAR + 1}-01-05-commendation-{YEAR}-12/",
    f"notices/{YEAR + 1}-01-15-correction-{YEAR}-12/",
    f"notices/{YEAR + 1}-01-12-publicity-{YEAR}/",
    f"notices/{YEAR + 1}-01-20-commendation-{YEAR}/",
]
CRITICISM_PAGE = f"notices/{YEAR}-06-10-criticism-{YEAR}-05/"
PUBLIC_PAGES = [
    "",
    "rankings/",
    f"rankings/{YEAR}/",
    *MONTHS,
    "honors/",
    f"honors/{YEAR}/",
    "notices/",
    *NOTICE_PAGES,
    "rubric/",
    f"rubric/{YEAR}/",
    "rubric/2025/",
    *WORKER_PAGES,
    "data/",
    "404.html",
    "no-such-page/",  # the server answers with the site's 404 page, as Pages hosts do
]
INTERNAL_PAGES = [
    "",
    f"rankings/{YEAR}/",
    f"rankings/{YEAR}-{VETO_MONTH:02d}/",
    f"honors/{YEAR}/",
    "notices/",
    *NOTICE_PAGES,
    CRITICISM_PAGE,
    f"rubric/{YEAR}/",
    "internal/sanctions/",
    "internal/ledger/",
    f"internal/ledger/{YEAR}/",
    f"internal/ledger/{YEAR}-{VETO_MONTH:02d}/",
    f"workers/{VETO_WORKER}/",
    "workers/w6/",
    "data/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_is_inert_and_shows_payloads_as_text(browser: WebDriver, sites: Sites, path: str) -> None:
    assert (sites.dir("public") / (path if path.endswith(".html") else path + "index.html")).is_file() or (
        path == "no-such-page/"
    ), f"the public site has no {path}"
    page = look(browser, sites.origin, sites.url("public", path))
    assert_page_is_inert(sites, page, "public", path)


@pytest.mark.parametrize("path", INTERNAL_PAGES)
def test_internal_page_is_inert_and_shows_payloads_as_text(browser: WebDriver, sites: Sites, path: str) -> None:
    assert (sites.dir("internal") / path / "index.html").is_file(), f"the internal site has no {path}"
    page = look(browser, sites.origin, sites.url("internal", path))
    assert_page_is_inert(sites, page, "internal", path)


LINKS = """
return Array.from(document.querySelectorAll('a[href]'), (a, index) => [index, a.getAttribute('href'), a.href]);
"""
CLICK = """
window.__hostile_dialogs = [];
localStorage.removeItem('__hostile_dialogs');
if (arguments[1])  // after every handler has run: the landing page is one the page tests visit anyway
  window.addEventListener('click', event => event.preventDefault(), {once: true});
document.querySelectorAll('a[href]')[arguments[0]].click();
"""
DIALOGS_SINCE_CLICK = (
    "return (window.__hostile_dialogs || []).concat(JSON.parse(localStorage.getItem('__hostile_dialogs') || '[]'));"
)


def click_and_watch(chromium: WebDriver, origin: str, url: str, index: int, hold: bool) -> list[str]:
    """Open ``url``, click its ``index``-th link, and report any dialog or request elsewhere that follows.

    With ``hold``, the link's handlers run but the browser does not go on to the page it links to.
    """
    try:
        if chromium.current_url.split("#")[0] != url:
            chromium.get(url)
            settle(chromium)
        chromium.get_log("performance")
        chromium.execute_script(CLICK, index, hold)
        settle(chromium)
        found = [f"a dialog was called: {entry}" for entry in chromium.execute_script(DIALOGS_SINCE_CLICK)]
    except UnexpectedAlertPresentException as error:
        native_alert(chromium)
        return [f"a real dialog opened: {error.alert_text!r}"]
    found += [f"a request left the site: {sent}" for sent in foreign_requests(chromium, origin)]
    home = chromium.current_window_handle
    for handle in chromium.window_handles:
        alert = None
        if handle != home:  # target=_blank
            chromium.switch_to.window(handle)
            alert = native_alert(chromium)
            chromium.close()
            chromium.switch_to.window(home)
        else:
            alert = native_alert(chromium)
        if alert is not None:
            found.append(f"a real dialog opened: {alert!r}")
    return found


def test_every_link_on_a_notice_page_is_inert_when_clicked(browser: WebDriver, sites: Sites) -> None:
    """Click each link of the annual commendation that stays on the site (javascript: links included): no dialog
    opens and no request leaves the site. Links to other sites are the reader's to follow and are not clicked."""
    url = sites.url("public", NOTICE_PAGES[-1])
    look(browser, sites.origin, url)
    links, seen = [], set()
    for index, attribute, resolved in browser.execute_script(LINKS):
        if urlsplit(resolved).scheme in ("http", "https") and not resolved.startswith(sites.origin):
            continue
        if resolved not in seen:
            seen.add(resolved)
            links.append((index, attribute))
    assert len(links) > 10, f"the notice has only {len(links)} links to click"
    visited = {sites.url("public", path) for path in PUBLIC_PAGES}
    problems = []
    for index, attribute in links:
        target = browser.execute_script("return document.querySelectorAll('a[href]')[arguments[0]].href", index)
        hold = target.split("#")[0] in visited and target.split("#")[0] != url
        found = click_and_watch(browser, sites.origin, url, index, hold)
        problems += [f"clicking {attribute!r}: {problem}" for problem in found]
    if problems:
        pytest.fail(f"{url}, {len(links)} links clicked:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.mark.parametrize("query", ["onerror", "审核结论"])
def test_search_results_are_inert(browser: WebDriver, sites: Sites, query: str) -> None:
    """Material's search shows titles and text from the search index: payloads there stay text too."""
    look(browser, sites.origin, sites.url("public"))
    found = search(browser, query)
    assert found, f"searching {query!r} found nothing"
    page = look(browser, sites.origin)
    if page.problems:
        pytest.fail(f"search results for {query!r}:\n  " + "\n  ".join(page.problems), pytrace=False)


# --- the files beside the pages ---------------------------------------------------------------------------------

TAG = re.compile(r"<\s*/?\s*[A-Za-z!?]")


def test_rss_feed_is_xml_and_its_descriptions_are_plain_text(sites: Sites) -> None:
    """The feed parses, has one item per public notice (no item forged by a title), each title is the notice's
    title as text, and no description carries markup a feed reader would render (§9: RSS descriptions are plain
    text, so after XML unescaping nothing forms a tag)."""
    feed = sites.dir("public") / "notices/feed.xml"
    try:
        channel = ElementTree.parse(feed).getroot().find("channel")
    except ElementTree.ParseError as error:
        pytest.fail(f"notices/feed.xml is not XML: {error}", pytrace=False)
    assert channel is not None, "notices/feed.xml has no <channel>"
    hostile = sites.hostile
    items = {item.findtext("link") or "": item for item in channel.findall("item")}
    expected = {sites.url("public", f"notices/{stem}/"): stem for stem in hostile.public_notices()}
    assert sorted(items) == sorted(expected), "the feed's items are not the public notices"
    problems = []
    for link, item in items.items():
        stem = expected[link]
        title = hostile.given[f"notice.{stem}.title"]
        if item.findtext("title") not in (title, html.escape(title, quote=False)):
            problems.append(f"{stem}: <title> reads {item.findtext('title')!r}, not the notice's {title!r}")
        description = item.findtext("description") or ""
        if TAG.search(description):
            problems.append(f"{stem}: <description> holds markup: {description[:200]!r}")
        if MARKER in description and "alert(1)" not in html.unescape(description).replace("<", ""):
            problems.append(f"{stem}: <description> lost its text: {description[:200]!r}")
    channel_description = channel.findtext("description") or ""
    if TAG.search(channel_description):
        problems.append(f"the channel's <description> holds markup: {channel_description!r}")
    if problems:
        pytest.fail("notices/feed.xml:\n  " + "\n  ".join(problems), pytrace=False)


NUMBER = re.compile(r"-?\d+(\.\d+)?")


@pytest.mark.parametrize("name", ["monthly.csv", "annual.csv"])
def test_csv_cells_from_data_cannot_be_formulas(sites: Sites, name: str) -> None:
    """A spreadsheet reads a cell starting with = + - @ (or a tab or CR before one) as a formula: every such
    cell from data is neutralised, and still ends with the text it came from."""
    path = sites.dir("public") / "data" / name
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    header, body = rows[0], rows[1:]
    given = sites.hostile.given
    formulas: dict[tuple[str, str], int] = {}
    for row in body:
        for column, cell in zip(header, row, strict=True):
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not NUMBER.fullmatch(cell):
                formulas[(column, cell)] = formulas.get((column, cell), 0) + 1
    problems = [f"{column} {cell!r} ({count} rows)" for (column, cell), count in sorted(formulas.items())]
    names = {row[header.index("worker")]: row[header.index("name")] for row in body}
    for worker in ("w2", "w4"):  # named =cmd… and -2+3
        if not names[worker].endswith(given[f"worker.{worker}"]):
            problems.append(f"{worker}'s name reads {names[worker]!r}, not {given[f'worker.{worker}']!r}")
    if problems:
        pytest.fail(
            f"data/{name}: cells that a spreadsheet runs as formulas:\n  " + "\n  ".join(problems), pytrace=False
        )


def test_the_csv_has_formula_cells_to_neutralise(sites: Sites) -> None:
    """The CSV test above is only worth something if data put formula-like text into the CSV."""
    assert sites.hostile.given["worker.w2"].startswith("=") and sites.hostile.given["rubric.grade.good"].startswith("+")
    monthly = (sites.dir("public") / "data/monthly.csv").read_text(encoding="utf-8-sig")
    assert "cmd|' /C calc'!A0" in monthly and "SUM(1,1)" in monthly


def assert_refused_at(run: Run, where: str, what: str) -> None:
    """check exits 1 with a ``path:line: message`` line at ``where`` (and no traceback)."""
    if run.code != 1 or not any(line.startswith(f"{where}: ") for line in run.lines) or "Traceback" in run.err:
        pytest.fail(
            f"check should refuse {what} at {where}; it exited {run.code}:\n{run.err or run.out}", pytrace=False
        )


def short_id(value: str) -> str:
    """A readable test id: the text's ASCII, with each other character as its code point."""
    shown = "".join(c if c.isascii() and c.isprintable() else f"U{ord(c):04X}" for c in value[:12])
    return shown + (f"...{len(value)}" if len(value) > 12 else "")


# --- the PR report and CODEOWNERS -------------------------------------------------------------------------------

REPORT_NAMES = {
    "w1": "| x | ## ✅ 审核结论：无需人工核对",
    "w2": "<img src=x onerror=alert(1)>",
    "w3": "**粗**_斜_`码`~~删~~[x](y)",
}
REPORT_ORGANIZATION = """\
unit: {name: 测试区测试街道, short: 测试街道, leading_group: 测试街道反诈工作领导小组}
communities:
  - {id: c1, name: 第一社区, grids: [{id: g01, name: 第一网格}]}
workers:
%s
assessors:
  - {id: a1, name: 李四, org: 综治办, communities: all}
"""


class _Tables(HTMLParser):
    """Every table of rendered HTML: rows of cells, each cell its text and the tags inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[tuple[str, list[str]]]]] = []
        self.cell: list[str] | None = None
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell, self.tags = [], []
        elif self.cell is not None:
            self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(("".join(self.cell), self.tags))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def test_diff_report_keeps_one_row_per_worker_whatever_the_names(repo: Repo) -> None:
    """Worker names with | and "## ✅ …", HTML or Markdown stay inside their own cell of the PR report:
    rendered, each changed worker is one row with as many cells as the header, and the cell shows the name."""
    import markdown  # type: ignore[import-untyped]

    from .test_workflow import commit, git

    workers = "\n".join(
        f"  - {{id: {worker}, name: {q(name)}, community: c1, grid: g01, role: full_time, joined: 2025-01, "
        "left: null, publish_name: true}"
        for worker, name in REPORT_NAMES.items()
    )
    repo.write("records/organization.yaml", REPORT_ORGANIZATION % workers)
    for worker in REPORT_NAMES:
        repo.record(worker, "2026-03")
    must(repo.run("check"), "check of the report repository")
    git(repo.root, "init", "-q", "-b", "main")
    base = commit(repo, "三月考评")
    for worker, level in zip(REPORT_NAMES, ("good", "fair", "poor"), strict=True):
        repo.record(
            worker,
            "2026-03",
            metrics=PERFECT_METRICS.replace("case_assistance: excellent", f"case_assistance: {level}"),
        )
    run = repo.run("diff", base)
    assert run.code == 0, run.err + run.out
    report = run.out
    forged = [line for line in report.splitlines() if line.lstrip().startswith("## ✅")]
    assert not forged, f"a name made a heading of the report: {forged}"
    parser = _Tables()
    # GitHub and GitLab (CommonMark) let a backslash escape any ASCII punctuation; Python-Markdown only some.
    renderer = markdown.Markdown(extensions=["tables"])
    renderer.ESCAPED_CHARS.extend(c for c in "~" if c not in renderer.ESCAPED_CHARS)
    parser.feed(renderer.convert(report))
    problems, tables_of = [], {worker: 0 for worker in REPORT_NAMES}
    for table in parser.tables:
        width, rows_of = len(table[0]), {worker: 0 for worker in REPORT_NAMES}
        for row in table[1:]:
            if len(row) != width:
                problems.append(f"a row of {len(row)} cells under a header of {width}: {[text for text, _ in row]}")
            first, tags = row[0]
            worker = first.split(" ")[0]
            if worker in REPORT_NAMES:
                rows_of[worker] += 1
                if first.strip() != f"{worker} {REPORT_NAMES[worker]}" or tags:
                    problems.append(f"{worker}'s cell shows {first!r} (tags {tags}), not {REPORT_NAMES[worker]!r}")
        problems += [f"{worker} has {count} rows in one table" for worker, count in rows_of.items() if count > 1]
        for worker, count in rows_of.items():
            tables_of[worker] += count > 0
    problems += [f"{worker} is in no table of the report" for worker, count in tables_of.items() if not count]
    if problems:
        pytest.fail("the gridscore diff report:\n  " + "\n  ".join(problems) + f"\n\n{report}", pytrace=False)


ASSESSOR_LINE = "  - {id: a1, name: 李四, org: 综治办, communities: all, git_account: %s}"


@pytest.mark.parametrize("account", payloads.BAD_GIT_ACCOUNTS, ids=short_id)
def test_check_refuses_a_git_account_that_is_not_a_user_name(repo: Repo, account: str) -> None:
    """A git_account becomes an owner in CODEOWNERS: anything but a GitHub/GitLab user or group name is refused
    at its line, and codeowners writes nothing."""
    text = (repo.root / "records/organization.yaml").read_text(encoding="utf-8")
    old = "  - {id: a1, name: 李四, org: 综治办, communities: all}"
    assert old in text
    repo.write("records/organization.yaml", text.replace(old, ASSESSOR_LINE % q(account)))
    line = text.split("\n").index(old) + 1
    assert_refused_at(repo.run("check"), f"records/organization.yaml:{line}", f"git_account {account!r}")
    written = repo.run("codeowners")
    owners = repo.root / "CODEOWNERS"
    if written.code != 1 or owners.exists():
        shown = owners.read_text(encoding="utf-8") if owners.exists() else written.err
        pytest.fail(f"codeowners exited {written.code} for git_account {account!r}:\n{shown}", pytrace=False)


# --- what check refuses -----------------------------------------------------------------------------------------

W1_LINE = "  - {id: w1, name: 张三, community: c1, grid: g01, role: full_time, joined: 2025-01, left: null, publish_name: true}"


REFUSED_NAMES = [*payloads.CONTROL, *payloads.LINE_BREAK_INJECTIONS, payloads.OVER_LONG[payloads.NAME_MAX]]
REFUSED_SUMMARIES = [*payloads.PII, payloads.OVER_LONG[payloads.SUMMARY_MAX], "换\n行"]


@pytest.mark.parametrize("name", REFUSED_NAMES, ids=short_id)
def test_check_refuses_control_characters_line_breaks_and_over_long_names(repo: Repo, name: str) -> None:
    text = (repo.root / "records/organization.yaml").read_text(encoding="utf-8")
    assert W1_LINE in text
    repo.write("records/organization.yaml", text.replace(W1_LINE, W1_LINE.replace("张三", q(name))))
    line = text.split("\n").index(W1_LINE) + 1
    assert_refused_at(repo.run("check"), f"records/organization.yaml:{line}", f"the name {name!r}")


@pytest.mark.parametrize("summary", REFUSED_SUMMARIES, ids=short_id)
def test_check_refuses_pii_and_over_long_text_in_a_public_summary(repo: Repo, summary: str) -> None:
    extra = f"events:\n  - kind: major_dissuasion\n    date: 2026-03-12\n    amount_yuan: 80000\n    summary: {q(summary)}\n"
    relative = repo.record("w1", "2026-03", extra=extra)
    line = (repo.root / relative).read_text(encoding="utf-8").split("\n").index(f"    summary: {q(summary)}") + 1
    assert_refused_at(repo.run("check"), f"{relative}:{line}", f"the summary {summary!r}")
