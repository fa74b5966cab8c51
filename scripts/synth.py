#!/usr/bin/env python3
"""Write a synthetic county- or city-scale repository for benchmarks (seeded, deterministic).

    python scripts/synth.py --workers 3000 --months 12 [--start 2026-01] [--seed 1] [--out DIR] [--reviews]

It writes DIR/records/organization.yaml, one monthly record per active worker
and month in the style of the sample (records/YYYY/MM/<community>/<worker>.yaml),
optionally the annual reviews of every complete year, DIR/rubric/ (a copy of the
project's rubrics) and DIR/synth.json (the parameters; it marks DIR as
synthetic, so a later run may replace it). Everyone in it is fictional: names are
seeded combinations of common surnames and given names.

The YAML text is written directly (no YAML library on the write path), so a
county-year (36,000 files) takes a few seconds. The result passes
``gridscore check --root DIR``. Progress is shown only when stderr is a terminal.
"""

from __future__ import annotations

import argparse
import calendar
import datetime
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml  # reads the rubric's event catalog; records are written as text

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_sample  # noqa: E402  (a sibling script, not a package)

PROJECT = Path(__file__).resolve().parent.parent
MARKER = "synth.json"

# --- fictional names --------------------------------------------------------------
# Common surnames, most frequent first (the weights fall off with the rank).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "司徒", "公孙")  # all in privacy.py
GIVEN_FIRST = "建国志文晓海玉秀桂春子红永德明立小金国雅佳婷俊宇浩梓思欣嘉雨静丽"
GIVEN_SECOND = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚英华辉鹏飞玲燕琳峰斌宁慧楠欣怡萱轩博浩然彤凯"
PLACE_WORDS = (
    "东风 朝阳 河畔 新华 和平 红星 光明 幸福 长青 青山 清河 白沙 石桥 杏林 柳岸 松涛 金沙 银杏 丰收 团结 胜利 "
    "前进 向阳 桃园 梨花 枫林 湖滨 江南 北岭 南湖 西苑 东湖 安康 永安 长乐 福寿 兴隆 太平 仁和 德胜 文昌 "
    "凤鸣 龙泉 鹤岭 翠屏 锦绣 书香 云溪 月湖 星河 晨光 晓庄 花园 果园 茶山 竹林 荷塘 梅岭 兰亭 菊香 瑞丰 "
    "富民 惠民 新村 老街 古镇 新城 滨江 临湖 望江 观山"
).split()
COUNTY_WORDS = "青山 临川 桂溪 云河 松岭 白石 清江 丰泽 安平 永宁 长乐 凤阳".split()

# --- events -------------------------------------------------------------------------
# Public-safe summaries (no names, no digits) for the default catalog; other kinds get their name.
# The same public-safe event summaries as the hand-shaped sample.
SUMMARIES = make_sample.SUMMARIES
KIND_WEIGHTS = {  # how often each kind of the default catalog happens; unknown kinds weigh 3
    "major_dissuasion": 30,
    "loss_recovered": 18,
    "key_lead_case_solved": 7,
    "innovation_recognized": 6,
    "publicity_task_missed": 12,
    "info_error": 9,
    "warning_mishandled": 5,
    "assistance_refused": 5,
    "coordination_failure": 6,
    "major_risk_incident": 1,
}
AMOUNTS = (1, 1.2, 1.6, 2.4, 6)  # × amount_min when it is large (major_dissuasion ≥ 50000)
SMALL_AMOUNTS = (3800, 4800, 12000, 26500, 35000, 68000)
NOTES = (
    "本月参加县级反诈业务培训两天",
    "网格内新增一处群租房，已列入重点排查",
    "预警较多，已请社区民警协助上门",
    "本月部分台账补录，已提醒按时更新",
)
EVENT_RATE = 0.08
ABILITY = (13, 5)  # beta distribution of each worker's ability (quality 0–1)
JITTER = 0.035  # month-to-month spread of a worker's quality
TURNOVER = 0.02  # share of grid posts whose worker leaves inside the window (a newcomer follows)
NOTE_RATE = 0.015
CHINESE_LEVEL_RATE = 0.04  # share of (community, month) whose assessor writes 优秀/良好/…


@dataclass
class Worker:
    id: str
    name: str
    community: int
    grid: str
    part_time: bool
    joined: int  # month index: year * 12 + month - 1
    left: int | None
    publish_name: bool
    ability: float


@dataclass
class Community:
    id: str
    name: str
    grids: int
    town: int


@dataclass
class Assessor:
    id: str
    name: str
    org: str
    communities: list[str] | None  # None: all


def month_index(text: str) -> int:
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise argparse.ArgumentTypeError(f"expected a month like 2026-01, got {text!r}")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def month_text(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


# --- the rubric ---------------------------------------------------------------------
FORMULA_FIELDS = {
    "publicity": ["tasks_assigned", "tasks_completed", "key_people", "key_people_reached"],
    "screening": ["inspections_required", "inspections_done", "valid_leads"],
    "info_collection": ["entries", "complete", "accurate", "timely"],
    "warning_response": ["received", "responded_in_time", "visited", "dissuaded"],
}
LEVEL_ITEMS = ["case_assistance", "asset_recovery", "method_innovation", "coordination"]


@dataclass
class Catalog:
    """What one rubric edition lets a record say: its event kinds and level labels."""

    effective_from: int
    kinds: list[dict]
    weights: list[float]
    bonus: list[bool]
    scales: dict[str, list[dict]]
    labels: dict[str, str]


def load_catalogs(rubric_dir: Path) -> list[Catalog]:
    catalogs = []
    for path in sorted(rubric_dir.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = {item["id"]: item for category in data["categories"] for item in category["items"]}
        expected = {**{k: "formula" for k in FORMULA_FIELDS}, **{k: "level" for k in LEVEL_ITEMS}}
        found = {k: v.get("method") for k, v in items.items()}
        fields = {k: list(v.get("fields", {})) for k, v in items.items() if v.get("method") == "formula"}
        if found != expected or fields != FORMULA_FIELDS:
            raise SystemExit(f"{path}: synth.py writes the default rubric's metrics; this rubric has other items")
        kinds = list(data["events"])
        catalogs.append(
            Catalog(
                effective_from=month_index(str(data["effective_from"])),
                kinds=kinds,
                weights=[KIND_WEIGHTS.get(k["id"], 3) for k in kinds],
                bonus=[k["effect"] == "bonus" for k in kinds],
                scales=data.get("scales", {}),
                labels={level["id"]: level["label"] for level in data["levels"]},
            )
        )
    return sorted(catalogs, key=lambda c: c.effective_from)


def catalog_for(catalogs: list[Catalog], month: int) -> Catalog:
    chosen = None
    for catalog in catalogs:
        if catalog.effective_from <= month:
            chosen = catalog
    if chosen is None:
        raise SystemExit(f"no rubric is in force in {month_text(month)}: start at or after the earliest edition")
    return chosen


# --- the organization ----------------------------------------------------------------
def person_name(rng: random.Random) -> str:
    if rng.random() < 0.02:
        surname = rng.choice(COMPOUND)
    else:
        surname = rng.choices(SURNAMES, _SURNAME_WEIGHTS)[0]
    given = rng.choice(GIVEN_FIRST) + rng.choice(GIVEN_SECOND) if rng.random() < 0.7 else rng.choice(GIVEN_SECOND)
    return surname + given


_SURNAME_WEIGHTS = [1 / (rank + 8) for rank in range(len(SURNAMES))]


def make_communities(rng: random.Random, count: int) -> tuple[list[str], list[Community]]:
    towns_needed = max(1, round(count / 14))
    suffixes = ["镇", "街道", "乡"]
    town_names = [w + s for s in suffixes for w in PLACE_WORDS]
    rng.shuffle(town_names)
    towns = [
        town_names[i] if i < len(town_names) else f"{town_names[i % len(town_names)]}{i // len(town_names) + 1}"
        for i in range(towns_needed)
    ]
    communities = []
    width = max(3, len(str(count)))
    per_town = [count // towns_needed + (t < count % towns_needed) for t in range(towns_needed)]
    index = 0
    for t, n in enumerate(per_town):
        stems = rng.sample(PLACE_WORDS, k=min(n, len(PLACE_WORDS)))
        for j in range(n):
            stem = stems[j] if j < len(stems) else f"{stems[j % len(stems)]}{j // len(stems) + 1}"
            suffix = "村" if towns[t].endswith("乡") or (towns[t].endswith("镇") and rng.random() < 0.4) else "社区"
            index += 1
            communities.append(Community(f"c{index:0{width}d}", towns[t] + stem + suffix, rng.randint(2, 4), t))
    return towns, communities


def make_workers(rng: random.Random, count: int, communities: list[Community], first: int, last: int) -> list[Worker]:
    # Sizes spread around 12 a community, each at least 1, summing to ``count``.
    weights = [rng.uniform(0.6, 1.4) for _ in communities]
    total = sum(weights)
    sizes = [max(1, int(count * w / total)) for w in weights]
    i = 0
    while sum(sizes) < count:
        sizes[i % len(sizes)] += 1
        i += 1
    while sum(sizes) > count:
        j = max(range(len(sizes)), key=lambda k: sizes[k])
        sizes[j] -= 1
    span = last - first + 1
    workers = []
    for c, (community, size) in enumerate(zip(communities, sizes, strict=True)):
        here: list[Worker] = []
        for n in range(1, size + 1):
            grid = f"g{(n - 1) * community.grids // size + 1:02d}"
            here.append(new_worker(rng, community, c, len(here) + 1, grid, first - rng.randint(1, 48)))
        for w in here[:size]:  # turnover: a few leave inside the window and a newcomer takes over the grid
            if span >= 2 and rng.random() < TURNOVER:
                w.left = first + rng.randint(0, span - 2)
                here.append(new_worker(rng, community, c, len(here) + 1, w.grid, w.left + 1))
        if len(here) > 99:
            raise SystemExit("too many workers per community for two-digit worker numbers")
        workers += here
    return workers


def new_worker(rng: random.Random, community: Community, c: int, n: int, grid: str, joined: int) -> Worker:
    return Worker(
        id=f"wg-{community.id[1:]}{n:02d}",
        name=person_name(rng),
        community=c,
        grid=grid,
        part_time=rng.random() < 0.2,
        joined=joined,
        left=None,
        publish_name=rng.random() >= 0.1,
        ability=rng.betavariate(*ABILITY),
    )


def make_assessors(rng: random.Random, towns: list[str], communities: list[Community]) -> list[Assessor]:
    assessors = [
        Assessor("zz-01", person_name(rng), "县委政法委综治办", None),
        Assessor("ga-01", person_name(rng), "县公安局反诈中心", None),
    ]
    for t, town in enumerate(towns):
        ids = [c.id for c in communities if c.town == t]
        assessors.append(Assessor(f"pcs-{t + 1:03d}", person_name(rng), f"{town[:2]}派出所", ids))
        assessors.append(Assessor(f"zz-{t + 1:03d}", person_name(rng), f"{town}综治办", ids))
    return assessors


def organization_yaml(
    unit: tuple[str, str], seed: int, communities: list[Community], workers: list[Worker], assessors: list[Assessor]
) -> str:
    name, short = unit
    out = [
        f"# 合成数据（scripts/synth.py 生成，种子 {seed}）：虚构的单位、社区和人员，仅用于性能测试。",
        "unit:",
        f"  name: {name}",
        f"  short: {short}",
        f"  leading_group: {short}反诈工作领导小组",
        "communities:",
    ]
    for c in communities:
        out += [f"  - id: {c.id}", f"    name: {c.name}", "    grids:"]
        out += [f"      - {{id: g{g:02d}, name: 第{'一二三四'[g - 1]}网格}}" for g in range(1, c.grids + 1)]
    out.append("workers:")
    for w in workers:
        out += [
            f"  - id: {w.id}",
            f"    name: {w.name}",
            f"    community: {communities[w.community].id}",
            f"    grid: {w.grid}",
            f"    role: {'part_time' if w.part_time else 'full_time'}",
            f"    joined: {month_text(w.joined)}",
            f"    left: {month_text(w.left) if w.left is not None else 'null'}",
            f"    publish_name: {'true' if w.publish_name else 'false'}",
        ]
    out.append("assessors:")
    for a in assessors:
        scope = "all" if a.communities is None else "[" + ", ".join(a.communities) + "]"
        out += [f"  - id: {a.id}", f"    name: {a.name}", f"    org: {a.org}", f"    communities: {scope}"]
    return "\n".join(out) + "\n"


# --- one monthly record ------------------------------------------------------------------
def draw_record(rng: random.Random, q: float, part_time: bool, kind: str | None) -> dict:
    """Counts and levels for a worker of quality ``q`` (about 0–1) that agree with the month's event."""
    gauss, randint, rand = rng.gauss, rng.randint, rng.random

    def part(whole: int, base: float) -> int:
        share = base + gauss(0, 0.06)
        return whole if share >= 1 else 0 if share <= 0 else int(whole * share + 0.5)

    def level(bias: float = 0.0) -> str:
        v = q + bias + gauss(0, 0.12)
        return "excellent" if v >= 0.88 else "good" if v >= 0.6 else "fair" if v >= 0.35 else "poor"

    assigned = randint(2, 4 if part_time else 6)
    key_people = randint(20, 35 if part_time else 60)
    completed = part(assigned, q + 0.15)
    required = (2, 3, 4, 4, 5, 6)[randint(0, 5)]
    done = max(0, int(required * (0.4 + 0.8 * q + gauss(0, 0.1)) + 0.5))  # may exceed required
    leads = max(0, int(4 * q - 1 + gauss(0, 1) + 0.5))
    entries = randint(100, 300 if part_time else 600)
    accurate = part(entries, 0.5 + 0.5 * q)
    received = randint(1, 6 if part_time else 12)
    if rand() < (0.25 if part_time else 0.1):
        received = 0  # no warning pushed to this grid this month
    dissuaded = part(received, q - 0.05)
    case = "none" if rand() < 0.3 else level()
    asset = "none" if rand() < 0.6 else level()
    innovation = level(-0.05)
    coordination = level(0.05)
    if kind == "publicity_task_missed":
        completed = min(completed, assigned - 1)
    elif kind == "info_error":
        accurate = max(0, min(accurate, entries - randint(10, 40)))
    elif kind == "warning_mishandled":
        received = max(received, 2)
        dissuaded = min(dissuaded, received - 1)
    elif kind == "major_dissuasion":
        received = max(received, 1)
        dissuaded = max(dissuaded, 1)
    elif kind == "key_lead_case_solved":
        leads = max(leads, 1)
        case = "excellent" if rand() < 0.5 else "good"
    elif kind == "loss_recovered":
        asset = "excellent" if rand() < 0.5 else "good"
    elif kind == "assistance_refused":
        case = "fair" if rand() < 0.6 else "poor"
    elif kind == "coordination_failure":
        coordination = "fair" if rand() < 0.6 else "poor"
    elif kind == "innovation_recognized":
        innovation = "excellent"
    return {
        "publicity": (assigned, completed, key_people, part(key_people, q)),
        "screening": (required, done, leads),
        "info_collection": (entries, part(entries, 0.55 + 0.45 * q), accurate, part(entries, 0.4 + 0.6 * q)),
        "warning_response": (received, part(received, q + 0.1), part(received, q), dissuaded),
        "levels": (case, asset, innovation, coordination),
    }


_RESERVED = re.compile(r"(?i)~|null|true|false|yes|no|on|off|y|n|[-+.\d][\d_.:eE+-]*")


def plain(value: str) -> str:
    """A string as a plain scalar, or double-quoted where YAML would misread it."""
    risky = (
        not value
        or value != value.strip()
        or value[0] in "-?:,[]{}#&*!|>'\"%@`"
        or ": " in value
        or " #" in value
        or value.endswith(":")
        or "\n" in value
        or _RESERVED.fullmatch(value)
    )
    return json.dumps(value, ensure_ascii=False) if risky else value


def draw_event(rng: random.Random, catalog: Catalog, kind: dict, month: int, serial: int, prefix: str) -> list[str]:
    """The YAML lines of one event of ``kind`` (a rubric catalog entry) dated inside ``month``."""
    year, mon = month // 12, month % 12 + 1
    day = rng.randint(1, calendar.monthrange(year, mon)[1])
    lines = [f"  - kind: {kind['id']}", f"    date: {year:04d}-{mon:02d}-{day:02d}"]
    by = kind.get("by")
    if by:
        values = catalog.scales[by]
        value = rng.choices(values, [2 ** (len(values) - i) for i in range(len(values))])[0]
        lines.append(f"    {by}: {value['label'] if rng.random() < 0.15 else value['id']}")
    minimum = kind.get("amount_min")
    if minimum is not None:
        if minimum >= 10000:
            amount = int(minimum * rng.choice(AMOUNTS))
        else:
            amount = max(int(minimum), rng.choice(SMALL_AMOUNTS))
        lines.append(f"    amount_yuan: {amount}")
    summaries = SUMMARIES.get(kind["id"]) or [f"{kind['name']}（详见佐证材料）"]
    lines.append(f"    summary: {plain(rng.choice(summaries))}")
    bonus = kind["effect"] == "bonus"
    if bonus or kind.get("veto") or rng.random() < 0.8:
        source = "派出所回执" if bonus or kind.get("veto") else "综治办督查记录"
        if kind["id"] == "innovation_recognized":
            source = "上级简报"
        lines.append(f"    evidence: {source} {prefix}-{year}-{serial:05d}")
    return lines


# --- the whole repository ------------------------------------------------------------------
@dataclass
class Summary:
    workers: int
    communities: int
    records: int
    reviews: int
    events: int
    seals: int
    seconds: float


def generate(
    out: Path,
    workers: int,
    months: int,
    start: str = "2026-01",
    seed: int = 1,
    reviews: bool = False,
    progress: Callable[[str], None] | None = None,
    sealed: bool = False,
) -> Summary:
    """Write the synthetic repository into ``out`` (replacing an earlier synthetic one there)."""
    started = time.perf_counter()
    if workers < 1 or months < 1:
        raise SystemExit("--workers and --months must be at least 1")
    first = month_index(start)
    last = first + months - 1
    catalogs = load_catalogs(PROJECT / "rubric")
    for m in range(first, last + 1):
        catalog_for(catalogs, m)
    prepare(out)

    rng = random.Random(seed)
    city = workers > 5000
    county = rng.choice(COUNTY_WORDS)
    unit = (f"示例省{county}市", f"{county}市") if city else (f"示例市{county}县", f"{county}县")
    towns, communities = make_communities(rng, max(1, round(workers / 12)))
    people = make_workers(rng, workers, communities, first, last)
    assessors = make_assessors(rng, towns, communities)
    by_town: dict[int, list[Assessor]] = {}
    for a in assessors[2:]:
        by_town.setdefault(int(a.id[-3:]) - 1, []).append(a)

    records_dir = out / "records"
    records_dir.mkdir(parents=True)
    write(records_dir / "organization.yaml", organization_yaml(unit, seed, communities, people, assessors))
    shutil.copytree(PROJECT / "rubric", out / "rubric", ignore=shutil.ignore_patterns("*.yml", ".*"))

    members: list[list[Worker]] = [[] for _ in communities]
    for w in people:
        members[w.community].append(w)
    expected = sum(1 for w in people for m in range(first, last + 1) if active(w, m))
    records = events = 0
    serials: dict[int, int] = {}
    assessed_years: set[tuple[int, str]] = set()
    prefix = "XS" if not city else "SS"
    for m in range(first, last + 1):
        catalog = catalog_for(catalogs, m)
        period = month_text(m)
        folder_month = records_dir / f"{m // 12:04d}" / f"{m % 12 + 1:02d}"
        next_month = month_text(m + 1)
        for c, community in enumerate(communities):
            here = [w for w in members[c] if active(w, m)]
            if not here:
                continue
            folder = folder_month / community.id
            folder.mkdir(parents=True)
            choices = by_town[community.town] + assessors[:2]
            assessor = rng.choices(choices, [3, 3, 1, 1])[0].id
            assessed_on = f"{next_month}-{rng.randint(1, 8):02d}"
            chinese = rng.random() < CHINESE_LEVEL_RATE
            for w in here:
                q = w.ability + rng.gauss(0, JITTER)
                kind = None
                if rng.random() < EVENT_RATE:
                    weights = [
                        wt * ((0.4 + q) if bonus else (1.6 - q))
                        for wt, bonus in zip(catalog.weights, catalog.bonus, strict=True)
                    ]
                    kind = rng.choices(catalog.kinds, weights)[0]
                drawn = draw_record(rng, q, w.part_time, kind["id"] if kind else None)
                lines = [
                    f"worker: {w.id}",
                    f"period: {period}",
                    f"assessed_by: {assessor}",
                    f"assessed_on: {assessed_on}",
                    "metrics:",
                ]
                for item, names in FORMULA_FIELDS.items():
                    pairs = ", ".join(f"{n}: {v}" for n, v in zip(names, drawn[item], strict=True))
                    lines.append(f"  {item + ':':<18}{{{pairs}}}")
                for item, value in zip(LEVEL_ITEMS, drawn["levels"], strict=True):
                    lines.append(f"  {item}: {catalog.labels[value] if chinese else value}")
                if kind is not None:
                    serials[m // 12] = serials.get(m // 12, 0) + 1
                    lines.append("events:")
                    lines += draw_event(rng, catalog, kind, m, serials[m // 12], prefix)
                    events += 1
                note = None
                if m == w.joined and m > first:
                    note = "新入职，本月为首次考评，由网格长带教"
                elif m == w.left:
                    note = "本月为最后一个考评月，工作已交接"
                elif kind is not None and kind.get("veto"):
                    note = "一票否决事项已报领导小组，另行通报批评"
                elif rng.random() < NOTE_RATE:
                    note = rng.choice(NOTES)
                if note:
                    lines.append(f"notes: {plain(note)}")
                write(folder / f"{w.id}.yaml", "\n".join(lines) + "\n")
                assessed_years.add((m // 12, w.id))
                records += 1
        if progress:
            progress(f"records {period}: {records:,}/{expected:,} ({100 * records // expected}%)")

    written_reviews = 0
    if reviews:
        for year in range(first // 12, last // 12 + 1):
            if year * 12 < first or year * 12 + 11 > last:
                continue  # only complete years
            for w in people:
                if (year, w.id) not in assessed_years:
                    continue
                tenths = min(1000, max(300, int(10 * (55 + 42 * w.ability + rng.gauss(0, 4)))))
                score = f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}"
                community = communities[w.community]
                text = (
                    f"worker: {w.id}\nyear: {year}\nreview_score: {score}\n"
                    f"assessed_by: {rng.choice(by_town[community.town]).id}\n"
                    f"assessed_on: {year + 1}-01-{rng.randint(5, 12):02d}\n"
                )
                folder = records_dir / str(year) / "annual" / community.id
                folder.mkdir(parents=True, exist_ok=True)
                write(folder / f"{w.id}.yaml", text)
                written_reviews += 1
            if progress:
                progress(f"annual reviews {year}: {written_reviews:,}")

    seals = seal_published_months(out, first, last, progress) if sealed else 0

    params = {"workers": workers, "months": months, "start": start, "seed": seed, "reviews": reviews}
    if sealed:
        params["sealed"] = True
    counts = {
        "communities": len(communities),
        "records": records,
        "reviews": written_reviews,
        "events": events,
        "seals": seals,
    }
    write(out / MARKER, json.dumps({"params": params, **counts, "complete": True}, indent=2) + "\n")
    return Summary(
        len(people), len(communities), records, written_reviews, events, seals, time.perf_counter() - started
    )


def seal_published_months(out: Path, first: int, last: int, progress: Callable[[str], None] | None) -> int:
    """Seal every month but the last, as a unit does once a month's results are published.

    The last month is the one being assessed (the benchmark's warm check edits a record
    there). Sealed with gridscore itself, on the seventh of the following month.
    """
    sys.path.insert(0, str(PROJECT))
    from generator import today
    from generator.periods import Month
    from generator.results import Results
    from generator.seal import seal_period
    from generator.validate import load_dataset

    # Records of the last month are assessed in the month after it, annual reviews in January: "today"
    # must be after both, or they are in the future (PRODUCT.md §6). Two months after the data, as
    # scripts/bench.py sets GRIDSCORE_TODAY (which wins when set); build the repository with it too.
    after = last + 2
    chosen = None if os.environ.get("GRIDSCORE_TODAY") else datetime.date(after // 12, after % 12 + 1, 15)
    today.choose(chosen)
    try:
        dataset = load_dataset(out.resolve())
        results = Results(dataset)
        for m in range(first, last):
            following = Month(m // 12, m % 12 + 1).next()
            month = Month(m // 12, m % 12 + 1)
            seal_period(dataset, results, month, datetime.date(following.year, following.month, 7))
            # Months are sealed in order (§6): the next one asks whether this one is sealed. Reloading a county
            # per month is slow; the dataset is told instead (only the key is consulted until it is reloaded).
            dataset.seals[str(month)] = None  # type: ignore[assignment]
            if progress:
                progress(f"sealed {month_text(m)}")
    finally:
        today.choose(None)
    shutil.rmtree(out / ".gridscore-cache", ignore_errors=True)
    return last - first


def active(w: Worker, month: int) -> bool:
    return w.joined <= month and (w.left is None or month <= w.left)


def prepare(out: Path) -> None:
    """Make ``out`` empty of synthetic data; refuse to touch a folder that is not ours."""
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise SystemExit(f"{out} exists and was not written by synth.py (no {MARKER}); choose another --out")
        (out / MARKER).unlink()
        for name in ("records", "rubric"):
            shutil.rmtree(out / name, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)


def write(path: Path, text: str) -> None:
    with open(path, "wb") as f:
        f.write(text.encode("utf-8"))


def read_marker(out: Path) -> dict | None:
    try:
        return json.loads((out / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def terminal_progress() -> Callable[[str], None] | None:
    """A one-line progress display on stderr, or None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        return None
    started = time.perf_counter()

    def show(message: str) -> None:
        sys.stderr.write(f"\r\033[K{message} · {time.perf_counter() - started:.1f} s")
        sys.stderr.flush()

    return show


def default_out(workers: int, months: int, start: str, seed: int) -> Path:
    return Path(tempfile.gettempdir()) / f"gridscore-synth-{workers}x{months}-{start}-s{seed}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, required=True, help="number of grid workers (e.g. 3000)")
    parser.add_argument("--months", type=int, required=True, help="number of months (e.g. 12)")
    parser.add_argument("--start", default="2026-01", help="first month (default 2026-01)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, help="output folder (default: a folder under the temp dir)")
    parser.add_argument("--reviews", action="store_true", help="also write annual reviews for complete years")
    parser.add_argument("--sealed", action="store_true", help="seal every month but the last, as published")
    args = parser.parse_args(argv)
    month_index(args.start)
    out = args.out or default_out(args.workers, args.months, args.start, args.seed)
    progress = terminal_progress()
    summary = generate(out, args.workers, args.months, args.start, args.seed, args.reviews, progress, args.sealed)
    if progress:
        sys.stderr.write("\n")
    print(
        f"wrote {out}: {summary.workers:,} workers ({args.workers:,} posts, the rest newcomers) in {summary.communities:,} communities, "
        f"{summary.records:,} monthly records ({summary.events:,} events), {summary.reviews:,} annual reviews, "
        f"{summary.seals:,} sealed months in {summary.seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
