#!/usr/bin/env python3
"""Write the fictional sample street under records/ (deterministic, seeded).

Run from the repository root:  python scripts/make_sample.py

It deletes and rewrites records/organization.yaml, records/2025/, records/2026/
and records/notices/, nothing else. Every street, person and case is fictional.
Standard library only: the YAML text is written by hand so the files read like
an assessor's. Each record's total is recomputed here with the rubric's formulas
(spec §3) so the script can assert that the sample shows what it is meant to.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from fractions import Fraction as F
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "records"
SEED = 2026
MONTHS = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13) if (y, m) <= (2026, 10)]

UNIT = {"name": "示例区东风街道", "short": "东风街道", "leading_group": "东风街道反诈工作领导小组"}
COMMUNITIES = [  # id, name, number of grids, worker names in id order (wg-CC01, wg-CC02, ...)
    ("dongfeng-1", "东风第一社区", 3, "张伟 王秀英 李娜 欧阳明轩 刘洋 陈静 杨军 赵敏 黄磊 周婷 吴强"),
    ("dongfeng-2", "东风第二社区", 3, "徐丽 孙涛 马俊 朱红梅 司马文博 胡斌 郭芳 何建国 高鹏 林晓燕"),
    ("chaoyang", "朝阳社区", 2, "罗丹 郑凯 梁雪 谢海波 宋佳 唐亮 许慧 韩冰 冯志刚 邓玉兰"),
    ("hepan", "河畔社区", 2, "曹阳 彭丽娟 曾志远 萧雨 田志明 董立新 袁梦 潘国华 蒋文 蔡晓东"),
]
ASSESSORS = [  # id, name, org, communities
    ("zz-li", "李国强", "综治办", "all"),
    ("pcs-wang", "王振华", "派出所", "all"),
    ("sq-liu", "刘桂芳", "社区两委", ["dongfeng-1"]),
    ("sq-chen", "陈建平", "社区两委", ["chaoyang", "hepan"]),
]

# --- scripted special cases ---------------------------------------------------
JOINED = {"wg-0210": "2025-05", "wg-0410": "2026-04"}  # the mid-2025 and the 2026 joiner
LEFT = {"wg-0309": "2025-09", "wg-0111": "2026-06"}
NO_CONSENT = ["wg-0104", "wg-0203", "wg-0208", "wg-0307", "wg-0406"]  # publish_name: false
PART_TIME = [
    "wg-0106",
    "wg-0110",
    "wg-0202",
    "wg-0207",
    "wg-0209",
    "wg-0304",
    "wg-0308",
    "wg-0310",
    "wg-0402",
    "wg-0407",
]
STARS = ["wg-0103", "wg-0203", "wg-0305"]  # ≥ 90 in most months: annual 优秀 and 反诈能手
PROFILES = {  # everyone else is drawn: 1 in 4 strong, the rest steady
    **{w: "star" for w in STARS},
    "wg-0107": "strong",
    "wg-0302": "strong",
    "wg-0206": "steady",
    "wg-0405": "steady",
    "wg-0408": "failing",
    "wg-0109": "weak",
    "wg-0204": "weak",
    "wg-0306": "weak",
    "wg-0404": "weak",
    "wg-0209": "weak",
}
FAIL_STREAK = ("wg-0206", ["2026-02", "2026-03", "2026-04"])  # 3 consecutive monthly 不合格
FAILING = "wg-0408"  # annual 不合格 in both years, yet never 3 failed months in a row
TIER_OVERRIDES = {
    ("wg-0405", "2026-05"): "fail",
    ("wg-0107", "2026-09"): "top",
    ("wg-0203", "2026-03"): "top",
    # the 2025 veto worker is otherwise excellent: annual ≥ 90, capped at 良好 by the veto
    **{("wg-0302", f"2025-{m:02d}"): "top" for m in range(1, 13)},
    ("wg-0302", "2025-08"): "good",
}
REVIEWS_2025 = {"wg-0302": "92.5", "wg-0408": "55.5"}  # the others are drawn from the profile
NO_REVIEW_2025 = "wg-0309"  # no annual review: the annual score is the monthly mean alone
CHINESE_LEVELS = ("hepan", "2025-11")  # that month's assessor wrote levels as 优秀/良好/…
CAPPED = ("wg-0107", "2026-09")  # the one record whose bonuses (11) exceed the monthly cap
EVENTS = [  # period, worker, kind, extra fields; random commendable deeds are added on top
    ("2025-08", "wg-0302", "major_risk_incident", {}),  # veto 2025
    ("2026-05", "wg-0405", "major_risk_incident", {}),  # veto 2026
    ("2026-05", "wg-0405", "warning_mishandled", {}),
    ("2026-09", "wg-0107", "key_lead_case_solved", {}),  # 3 + 3 + 2 + 2 + 1 = 11 > cap 10
    ("2026-09", "wg-0107", "key_lead_case_solved", {}),
    ("2026-09", "wg-0107", "major_dissuasion", {"amount_yuan": 150000}),
    ("2026-09", "wg-0107", "major_dissuasion", {"amount_yuan": 80000}),
    ("2026-09", "wg-0107", "innovation_recognized", {"level": "county"}),
    ("2026-03", "wg-0203", "key_lead_case_solved", {}),  # 3 + 2 + 2 + 2 = 9, near the cap
    ("2026-03", "wg-0203", "major_dissuasion", {"amount_yuan": 80000}),
    ("2026-03", "wg-0203", "loss_recovered", {"amount_yuan": 26500}),
    ("2026-03", "wg-0203", "innovation_recognized", {"level": "市级"}),
    ("2026-06", "wg-0305", "innovation_recognized", {"level": "province"}),
    ("2026-08", "wg-0103", "innovation_recognized", {"level": "county"}),
    ("2025-10", "wg-0103", "key_lead_case_solved", {}),  # 3 + 2 = 5, exactly the 2025 cap
    ("2025-10", "wg-0103", "major_dissuasion", {"amount_yuan": 200000}),
    ("2026-02", "wg-0206", "publicity_task_missed", {"severity": "severe"}),
    ("2026-03", "wg-0206", "info_error", {}),
    ("2026-04", "wg-0206", "warning_mishandled", {}),
    ("2025-04", "wg-0408", "publicity_task_missed", {"severity": "一般"}),
    ("2025-10", "wg-0408", "assistance_refused", {}),
    ("2026-07", "wg-0408", "coordination_failure", {}),
    ("2025-03", "wg-0109", "publicity_task_missed", {"severity": "minor"}),
    ("2026-09", "wg-0402", "publicity_task_missed", {"severity": "moderate"}),
    ("2025-06", "wg-0204", "info_error", {}),
    ("2026-08", "wg-0303", "info_error", {}),
    ("2025-11", "wg-0306", "warning_mishandled", {}),
    ("2026-01", "wg-0404", "assistance_refused", {}),
    ("2026-06", "wg-0209", "assistance_refused", {}),
    ("2025-07", "wg-0108", "coordination_failure", {}),
    ("2026-10", "wg-0106", "coordination_failure", {}),
]
SUMMARIES = {  # public text: no names, phone, ID or bank card numbers
    "publicity_task_missed": ["未按要求完成本月反诈宣传入户任务", "反诈宣传海报未按期张贴到位"],
    "info_error": ["重点关注人员信息更新滞后，影响预警推送", "采集的住户信息有误，预警未能及时送达"],
    "warning_mishandled": ["接到预警后未按时上门，预警对象被骗", "劝阻方法不当，预警对象仍向对方转账"],
    "assistance_refused": ["无正当理由未参加派出所组织的线索摸排", "对民警的协查请求推诿拖延"],
    "coordination_failure": ["未按约定与社区民警联合走访", "与物业沟通不畅，宣传活动未能开展"],
    "major_risk_incident": [
        "网格内出租屋被用作电诈窝点，前期排查未发现",
        "网格内多名老年人卷入“养老投资”骗局，前期排查不力",
    ],
    "major_dissuasion": [
        "上门劝阻一名老年居民向所谓“安全账户”转账",
        "及时拦截一起冒充公检法诈骗，劝阻居民转账",
        "发现居民被“投资理财”群诱导汇款，现场劝阻成功",
        "连夜上门劝阻一名企业财务人员向冒充老板的账户转账",
    ],
    "loss_recovered": [
        "协助民警联系银行止付涉案账户，为受骗居民挽回损失",
        "配合派出所追回一名居民被骗的“退款”资金",
        "协助追回一起“刷单返利”诈骗中的被骗款项",
    ],
    "key_lead_case_solved": [
        "排查出租屋时发现疑似“养卡”窝点并及时上报，协助破获案件",
        "上报的可疑线索帮助公安机关打掉一个帮信洗钱团伙",
        "发现网格内商铺疑似收购银行卡，线索经核查后破获案件",
    ],
    "innovation_recognized": [
        "“反诈敲门日”做法被区委政法委推广",
        "自编反诈快板在电视台播出",
        "“楼栋反诈联络员”机制经验材料被上级转发",
    ],
}
EVIDENCE = {
    "major_dissuasion": "派出所回执",
    "loss_recovered": "派出所回执",
    "key_lead_case_solved": "派出所回执",
    "innovation_recognized": "上级简报",
    "major_risk_incident": "派出所通报",
}  # deductions: 综治办督查记录, or none
NOTES = [
    "本月参加区级反诈业务培训两天",
    "网格内新增一处群租房，已列入重点排查",
    "预警较多，已请社区民警协助上门",
    "本月部分台账补录，已提醒按时更新",
]
NOTICES = [  # file stem, kind, number in its year, title, period, publicity window, body
    (
        "2026-01-12-publicity-2025",
        "publicity",
        1,
        "关于2025年度网格反诈工作考评结果的公示",
        "2025",
        ("2026-01-12", "2026-01-18"),
        "根据《网格反诈奖惩考评标准》，经月度考评、年度综合评议和领导小组审定，现将2025年度网格反诈"
        "工作考评结果及拟表彰的优秀网格员、反诈能手名单予以公示。\n\n"
        "公示期内，如对考评结果有异议，请通过下列渠道实名反映，我们将及时核实处理。",
    ),
    (
        "2026-01-20-commendation-2025",
        "commendation",
        2,
        "关于表扬2025年度优秀网格员和反诈能手的通报",
        "2025",
        None,
        "2025年，全街道网格员坚守反诈一线，走千家、进万户，及时处置预警、劝阻群众转账，为守护群众"
        "“钱袋子”作出了积极贡献。经公示无异议，现对年度考评优秀的网格员和反诈能手予以通报表扬。\n\n"
        "希望受表扬的同志珍惜荣誉、再接再厉，全体网格员以先进为榜样，共同筑牢反诈防线。",
    ),
    (
        "2026-04-08-commendation-2026-03",
        "commendation",
        3,
        "关于2026年3月网格反诈工作考评结果的通报表扬",
        "2026-03",
        None,
        "2026年3月，各社区网格员扎实开展反诈宣传和预警劝阻工作，涌现出一批成效突出的先进事迹。"
        "现对本月考评优秀的网格员和有突出事迹的网格员予以通报表扬。\n\n"
        "请各社区认真学习先进做法，持续提升预警处置质量。",
    ),
    (
        "2026-06-10-criticism-2026-05",
        "criticism",
        5,
        "关于2026年5月网格内发生重大涉诈风险事件的通报批评",
        "2026-05",
        None,
        "2026年5月，我街道一网格内发生重大涉诈风险事件，暴露出前期隐患排查不深入、预警处置不及时"
        "等问题。根据考评标准，对相关网格员予以通报批评，当年不得评为优秀。\n\n"
        "各社区要引以为戒、举一反三，全面排查出租屋、小微企业等重点场所，坚决防止类似事件再次发生。",
    ),
    (
        "2026-10-09-commendation-2026-09",
        "commendation",
        6,
        "关于2026年9月网格反诈工作考评结果的通报表扬",
        "2026-09",
        None,
        "2026年9月，全街道网格员紧盯预警信息、深挖涉诈线索，多次成功劝阻大额转账并协助破获案件。"
        "现对本月考评优秀的网格员和有突出事迹的网格员予以通报表扬。\n\n"
        "希望全体网格员学习先进、比学赶超，把反诈宣传做到每一户。",
    ),
]

# --- the rubric, both editions (mirrors rubric/2025.yaml and rubric/2026.yaml) ------
LEVELS = {"excellent": F(1), "good": F(4, 5), "fair": F(3, 5), "poor": F(3, 10), "none": F(1)}
ZH_LEVELS = {"excellent": "优秀", "good": "良好", "fair": "一般", "poor": "较差", "none": "无此项"}
FROM_ZH = {"轻微": "minor", "一般": "moderate", "严重": "severe", "县级": "county", "市级": "city", "省级": "province"}
ITEM_DEDUCTIONS = {
    "publicity_task_missed": "publicity",
    "info_error": "info_collection",
    "warning_mishandled": "warning_response",
    "assistance_refused": "case_assistance",
    "coordination_failure": "coordination",
}
POINTS = {
    "publicity_task_missed": {"minor": 1, "moderate": 2, "severe": 3},
    "info_error": 2,
    "warning_mishandled": 5,
    "assistance_refused": 3,
    "coordination_failure": 2,
    "major_risk_incident": 10,
    "major_dissuasion": 2,
    "loss_recovered": 2,
    "key_lead_case_solved": 3,
    "innovation_recognized": {"county": 1, "city": 2, "province": 3},
}
CATEGORIES = {
    "foundation": ["publicity", "screening", "info_collection"],
    "intervention": ["warning_response", "case_assistance", "asset_recovery"],
    "innovation": ["method_innovation", "coordination"],
}
BONUS_CAP = {2025: 5, 2026: 10}

# --- how scores are spread --------------------------------------------------------
BANDS = {"top": (90, 111), "good": (80, 90), "fair": (70, 80), "weak": (60, 70), "fail": (45, 60)}
TIER_ODDS = {  # weights of top, good, fair, weak, fail
    "star": (88, 12, 0, 0, 0),
    "strong": (25, 60, 15, 0, 0),
    "steady": (4, 46, 42, 8, 0),
    "weak": (0, 15, 45, 28, 12),
}
DEED_ODDS = {"star": 0.25, "strong": 0.12, "steady": 0.05, "weak": 0.01, "failing": 0}


def r2(x: F) -> F:
    """Round half-up to two decimals."""
    return F(int(x * 100 + F(1, 2)) if x >= 0 else -int(-x * 100 + F(1, 2)), 100)


def ratio(points: int, part: int, whole: int) -> F:
    return F(points) if whole == 0 else F(points) * F(part, whole)


def event_points(event: dict, year: int) -> int:
    if event["kind"] == "loss_recovered" and year == 2025:
        return 1  # the 2025 edition gave +1
    points = POINTS[event["kind"]]
    if isinstance(points, dict):
        grade = event.get("severity") or event.get("level")
        points = points[FROM_ZH.get(grade, grade)]
    return points


def score(m: dict, events: list[dict], year: int) -> dict:
    """Item, category and total scores of one record, as spec §3 computes them."""
    p, s, i, w = m["publicity"], m["screening"], m["info_collection"], m["warning_response"]
    done = min(s["inspections_done"], s["inspections_required"])
    raw = {
        "publicity": ratio(8, p["tasks_completed"], p["tasks_assigned"])
        + ratio(7, p["key_people_reached"], p["key_people"]),
        "screening": ratio(6, done, s["inspections_required"]) + min(s["valid_leads"], 4),
        "info_collection": ratio(4, i["complete"], i["entries"])
        + ratio(4, i["accurate"], i["entries"])
        + ratio(2, i["timely"], i["entries"]),
        "warning_response": sum(ratio(10, w[k], w["received"]) for k in ("responded_in_time", "visited", "dissuaded")),
        "case_assistance": 10 * LEVELS[m["case_assistance"]],
        "asset_recovery": 5 * LEVELS[m["asset_recovery"]],
        "method_innovation": 10 * LEVELS[m["method_innovation"]],
        "coordination": 10 * LEVELS[m["coordination"]],
    }
    items = {k: r2(v) for k, v in raw.items()}
    bonus = deduction = 0
    for e in events:
        if e["kind"] in ITEM_DEDUCTIONS:  # an item never goes below 0
            item = ITEM_DEDUCTIONS[e["kind"]]
            items[item] = max(F(0), items[item] - event_points(e, year))
        elif e["kind"] == "major_risk_incident":
            deduction += event_points(e, year)
        else:
            bonus += event_points(e, year)
    total = max(F(0), sum(items.values()) + min(bonus, BONUS_CAP[year]) - deduction)
    return {
        "total": total,
        "bonus": bonus,
        "veto": deduction > 0,
        "categories": {c: sum(items[k] for k in ks) for c, ks in CATEGORIES.items()},
    }


def draw_metrics(rng: random.Random, q: float, part_time: bool, kinds: list[str]) -> dict:
    """Plausible metrics for a worker of quality q (0–1) that agree with the month's events."""

    def part(whole: int, base: float) -> int:
        return round(whole * min(1.0, max(0.0, base + rng.gauss(0, 0.06))))

    def level(bias: float = 0.0) -> str:
        v = q + bias + rng.gauss(0, 0.12)
        return "excellent" if v >= 0.85 else "good" if v >= 0.65 else "fair" if v >= 0.4 else "poor"

    small = part_time  # part-timers look after fewer households
    assigned, key_people = rng.randint(2, 4 if small else 6), rng.randint(20, 35 if small else 60)
    completed = part(assigned, q + 0.15)
    if "publicity_task_missed" in kinds:
        completed = min(completed, assigned - 1)
    required = rng.choice([2, 3, 4, 4, 5, 6])
    done = max(0, round(required * (0.4 + 0.8 * q + rng.gauss(0, 0.1))))  # may exceed required
    leads = max(0, round(4 * q - 1 + rng.gauss(0, 1)), int("key_lead_case_solved" in kinds))
    entries = rng.randint(100, 300 if small else 600)
    accurate = part(entries, 0.5 + 0.5 * q)
    if "info_error" in kinds:
        accurate = min(accurate, entries - rng.randint(10, 40))
    saves = kinds.count("major_dissuasion")
    needs_warning = saves or "warning_mishandled" in kinds
    received = rng.randint(max(1, saves), 6 if small else 12)
    if not needs_warning and rng.random() < (0.25 if small else 0.1):
        received = 0  # no warning pushed to this grid this month
    dissuaded = max(part(received, q - 0.05), saves)
    if "warning_mishandled" in kinds:
        dissuaded = min(dissuaded, received - 1)
    m = {
        "publicity": {
            "tasks_assigned": assigned,
            "tasks_completed": completed,
            "key_people": key_people,
            "key_people_reached": part(key_people, q),
        },
        "screening": {"inspections_required": required, "inspections_done": done, "valid_leads": leads},
        "info_collection": {
            "entries": entries,
            "complete": part(entries, 0.55 + 0.45 * q),
            "accurate": accurate,
            "timely": part(entries, 0.4 + 0.6 * q),
        },
        "warning_response": {
            "received": received,
            "responded_in_time": part(received, q + 0.1),
            "visited": part(received, q),
            "dissuaded": dissuaded,
        },
        "case_assistance": "none" if rng.random() < 0.3 else level(),
        "asset_recovery": "none" if rng.random() < 0.6 else level(),
        "method_innovation": level(-0.05),
        "coordination": level(0.05),
    }
    consistent = {
        "assistance_refused": ("case_assistance", ["fair", "poor"]),
        "key_lead_case_solved": ("case_assistance", ["excellent", "good"]),
        "loss_recovered": ("asset_recovery", ["excellent", "good"]),
        "coordination_failure": ("coordination", ["fair", "poor"]),
        "innovation_recognized": ("method_innovation", ["excellent"]),
    }
    for kind in kinds:
        if kind in consistent:
            item, choices = consistent[kind]
            m[item] = rng.choice(choices)
    return m


def fit_metrics(
    rng: random.Random, band: tuple[int, int], part_time: bool, events: list[dict], year: int
) -> tuple[dict, dict]:
    """Draw metrics until the record's total lands in the band (lo ≤ total < hi)."""
    lo, hi = band
    q = {90: 0.95, 80: 0.8, 70: 0.68, 60: 0.55}.get(lo, 0.4)
    kinds = [e["kind"] for e in events]
    for _ in range(2000):
        m = draw_metrics(rng, q, part_time, kinds)
        s = score(m, events, year)
        if lo <= s["total"] < hi:
            return m, s
        q = min(1.1, max(0.0, q + (0.02 if s["total"] < lo else -0.02)))
    raise AssertionError(f"no metrics fit band {band} with events {kinds}")


# --- the sample ---------------------------------------------------------------
def make_workers(rng: random.Random) -> list[dict]:
    workers = []
    for c, (cid, _, grids, names) in enumerate(COMMUNITIES, start=1):
        names = names.split()
        for n, name in enumerate(names, start=1):
            wid = f"wg-{c:02d}{n:02d}"
            joined = f"{rng.choice([2023, 2023, 2024, 2024, 2024])}-{rng.randint(1, 12):02d}"
            workers.append(
                {
                    "id": wid,
                    "name": name,
                    "community": cid,
                    "grid": f"g{(n - 1) * grids // len(names) + 1:02d}",
                    "role": "part_time" if wid in PART_TIME else "full_time",
                    "joined": JOINED.get(wid, joined),
                    "left": LEFT.get(wid),
                    "publish_name": wid not in NO_CONSENT,
                    "profile": PROFILES.get(wid) or rng.choices(["strong", "steady"], [1, 3])[0],
                }
            )
    return workers


def active(w: dict, month: str) -> bool:
    return w["joined"] <= month and (w["left"] is None or month <= w["left"])


def next_month(month: str) -> str:
    y, m = int(month[:4]), int(month[5:])
    return f"{y + m // 12}-{m % 12 + 1:02d}"


def fails_before(tiers: dict, wid: str, i: int) -> int:
    """How many of the two months before MONTHS[i] the worker failed."""
    return sum(tiers.get((wid, MONTHS[j])) == "fail" for j in (i - 1, i - 2) if j >= 0)


def assign_tiers(rng: random.Random, workers: list[dict]) -> dict:
    """Pick a score band per worker and month: scripted cases first, else the profile's odds."""
    tiers: dict = {}
    for i, month in enumerate(MONTHS):
        here = [w for w in workers if active(w, month)]
        for w in here:
            key, profile = (w["id"], month), w["profile"]
            if profile == "failing":
                tiers[key] = "weak" if i % 3 == 2 else "fail"
            elif w["id"] == FAIL_STREAK[0] and month in FAIL_STREAK[1]:
                tiers[key] = "fail"
            else:
                drawn = rng.choices(list(BANDS), TIER_ODDS[profile])[0]
                tiers[key] = TIER_OVERRIDES.get(key, drawn)
            if tiers[key] == "fail" and profile == "weak" and fails_before(tiers, w["id"], i) == 2:
                tiers[key] = "weak"  # only the scripted worker gets a 3-month streak
        # every month shows a few 优秀 and a few 不合格
        tops = sum(tiers[(w["id"], month)] == "top" for w in here)
        risers = [w for w in here if w["profile"] == "strong" and (w["id"], month) not in TIER_OVERRIDES]
        for w in rng.sample(risers, k=max(0, 3 - tops)):
            tiers[(w["id"], month)] = "top"
        fails = sum(tiers[(w["id"], month)] == "fail" for w in here)
        fallers = [
            w
            for w in here
            if w["profile"] == "weak" and tiers[(w["id"], month)] != "fail" and fails_before(tiers, w["id"], i) < 2
        ]
        rng.shuffle(fallers)  # then the fewest 不合格 so far first, so no weak worker sinks
        fallers.sort(key=lambda w: sum(tiers.get((w["id"], m)) == "fail" for m in MONTHS[:i]))
        for w in fallers[: max(0, 2 - fails)]:
            tiers[(w["id"], month)] = "fail"
    return tiers


def make_events(rng: random.Random, workers: list[dict], tiers: dict) -> dict:
    """The scripted events, plus commendable deeds drawn from each worker's profile."""
    events: dict = {}
    for period, wid, kind, extra in EVENTS:
        events.setdefault((wid, period), []).append({"kind": kind, **extra})
    for month in MONTHS:
        year = int(month[:4])
        for w in workers:
            key = (w["id"], month)
            if not active(w, month) or key in events or tiers[key] == "fail":
                continue
            if rng.random() < DEED_ODDS[w["profile"]]:
                kinds = ["major_dissuasion", "loss_recovered", "key_lead_case_solved"]
                count = 2 if rng.random() < 0.2 else 1
                deeds = [{"kind": k} for k in rng.choices(kinds, [45, 35, 20], k=count)]
                while sum(event_points(d, year) for d in deeds) > BONUS_CAP[year]:
                    deeds.pop()  # drawn deeds never pass the cap; only the scripted month does
                events[key] = deeds
    serial = {2025: 0, 2026: 0}
    for (_, month), evs in sorted(events.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        used: set[str] = set()
        for e in evs:
            e["summary"] = rng.choice([s for s in SUMMARIES[e["kind"]] if s not in used])
            used.add(e["summary"])
            e["date"] = f"{month}-{rng.randint(1, 28):02d}"
            if e["kind"] == "major_dissuasion":
                e.setdefault("amount_yuan", rng.choice([50000, 60000, 80000, 120000, 300000]))
            if e["kind"] == "loss_recovered":
                e.setdefault("amount_yuan", rng.choice([4800, 12000, 35000, 68000]))
        evs.sort(key=lambda e: e["date"])
        for e in evs:
            if e["kind"] in EVIDENCE or rng.random() < 0.8:
                year = int(month[:4])
                serial[year] += 1
                source = EVIDENCE.get(e["kind"], "综治办督查记录")
                e["evidence"] = f"{source} DF-{year}-{serial[year]:03d}"
    return events


def note_for(rng: random.Random, w: dict, month: str, evs: list[dict]) -> str | None:
    if month == w["joined"] and month > MONTHS[0]:
        return "新入职，本月为首次考评，由网格长带教"
    if month == w["left"]:
        return "本月为最后一个考评月，工作已交接"
    if any(e["kind"] == "major_risk_incident" for e in evs):
        return "一票否决事项已报领导小组，另行通报批评"
    if w["id"] == FAIL_STREAK[0] and month in FAIL_STREAK[1]:
        last = month == FAIL_STREAK[1][-1]
        return "连续三个月不合格，已报领导小组研究岗位调整" if last else "已约谈提醒，下月跟踪复查"
    return rng.choice(NOTES) if rng.random() < 0.015 else None


def make_records(rng: random.Random, workers: list[dict], tiers: dict, events: dict) -> list[dict]:
    records = []
    for month in MONTHS:
        for cid, *_ in COMMUNITIES:
            # one assessor does a community's month; the community's own assessor more often
            allowed = [a for a in ASSESSORS if a[3] == "all" or cid in a[3]]
            assessor = rng.choices(allowed, [1 if a[3] == "all" else 2 for a in allowed])[0]
            if (cid, month) == CHINESE_LEVELS:
                assessor = allowed[-1]
            assessed_on = f"{next_month(month)}-{rng.randint(2, 6):02d}"
            for w in (w for w in workers if w["community"] == cid and active(w, month)):
                evs = events.get((w["id"], month), [])
                tier = tiers[(w["id"], month)]
                if tier == "top" and any(e["kind"] in ITEM_DEDUCTIONS for e in evs):
                    tier = "good"
                band = BANDS[tier]
                if w["id"] == FAILING:
                    band = (60, 64) if tier == "weak" else (48, 58)
                m, s = fit_metrics(rng, band, w["role"] == "part_time", evs, int(month[:4]))
                records.append(
                    {
                        "worker": w["id"],
                        "community": cid,
                        "period": month,
                        "assessed_by": assessor[0],
                        "assessed_on": assessed_on,
                        "metrics": m,
                        "events": evs,
                        "score": s,
                        "notes": note_for(rng, w, month, evs),
                        "chinese_levels": (cid, month) == CHINESE_LEVELS,
                    }
                )
    return records


def make_reviews(rng: random.Random, workers: list[dict], records: list[dict]) -> list[dict]:
    ranges = {"star": (90, 97), "strong": (84, 93), "steady": (74, 90), "weak": (62, 78)}
    assessed = {r["worker"] for r in records if r["period"] < "2026"}
    reviews = []
    for w in workers:
        if w["id"] not in assessed or w["id"] == NO_REVIEW_2025:
            continue
        lo, hi = ranges.get(w["profile"], (50, 60))
        tenths = rng.randint(lo * 10, hi * 10)
        drawn = f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}"
        reviews.append(
            {
                "worker": w["id"],
                "community": w["community"],
                "review_score": REVIEWS_2025.get(w["id"], drawn),
                "assessed_by": rng.choice(["zz-li", "zz-li", "pcs-wang"]),
                "assessed_on": f"2026-01-{rng.randint(5, 9):02d}",
            }
        )
    return reviews


# --- checks -------------------------------------------------------------------
def annual_results(year: int, records: list[dict], reviews: dict) -> dict:
    """Annual score per worker, 优秀 (with the quota) and 反诈能手, as spec §3 decides them."""
    rows = {}
    for wid in sorted({r["worker"] for r in records if r["period"].startswith(str(year))}):
        mine = [r for r in records if r["worker"] == wid and r["period"].startswith(str(year))]
        mean = r2(sum(r["score"]["total"] for r in mine) / len(mine))
        review = reviews.get(wid) if year == 2025 else None
        rows[wid] = {
            "months": len(mine),
            "mean": mean,
            "total": r2(F(7, 10) * mean + F(3, 10) * F(review)) if review else mean,
            "veto": any(r["score"]["veto"] for r in mine),
            "failed": any(r["score"]["total"] < 60 for r in mine),
            "intervention": r2(sum(r["score"]["categories"]["intervention"] for r in mine) / len(mine)),
            "dissuaded": sum(r["metrics"]["warning_response"]["dissuaded"] for r in mine),
        }

    def rank(w: str) -> tuple:
        return -rows[w]["total"], -rows[w]["intervention"], -rows[w]["dissuaded"]

    eligible = sorted(
        (w for w, a in rows.items() if a["months"] >= 6 and not a["veto"] and not a["failed"] and a["total"] >= 90),
        key=rank,
    )
    quota = min(max(1, len(rows) // 5), len(eligible))
    excellent = [w for w in eligible if rank(w) <= rank(eligible[quota - 1])] if eligible else []
    experts = sorted(
        (w for w, a in rows.items() if a["months"] >= 6 and a["total"] >= 80 and not a["veto"] and a["dissuaded"] >= 1),
        key=lambda w: -rows[w]["intervention"],
    )
    bar = rows[experts[min(2, len(experts) - 1)]]["intervention"] if experts else 0
    return {"rows": rows, "excellent": excellent, "experts": [w for w in experts if rows[w]["intervention"] >= bar]}


def check(workers: list[dict], records: list[dict], reviews: list[dict]) -> dict:
    """Assert every promise the sample makes; return the annual results."""
    by_id = {w["id"]: w for w in workers}
    assert len(by_id) == len(workers) and sum(not w["publish_name"] for w in workers) == 5
    assert sum(active(w, m) for w in workers for m in MONTHS) == len(records)
    assert len({(r["worker"], r["period"]) for r in records}) == len(records)
    parts = [("publicity", "tasks_completed", "tasks_assigned"), ("publicity", "key_people_reached", "key_people")]
    parts += [("info_collection", p, "entries") for p in ("complete", "accurate", "timely")]
    parts += [("warning_response", p, "received") for p in ("responded_in_time", "visited", "dissuaded")]
    kinds: dict = {}
    for r in records:
        m, year = r["metrics"], int(r["period"][:4])
        scope = next(a[3] for a in ASSESSORS if a[0] == r["assessed_by"])
        assert scope == "all" or r["community"] in scope
        assert all(0 <= m[item][part] <= m[item][whole] for item, part, whole in parts), r
        counts = [
            v for item in ("publicity", "screening", "info_collection", "warning_response") for v in m[item].values()
        ]
        assert all(type(v) is int and v >= 0 for v in counts)
        assert m["method_innovation"] != "none" and m["coordination"] != "none"
        for e in r["events"]:
            kinds.setdefault(e["kind"], []).append((r["worker"], r["period"]))
            assert e["date"][:7] == r["period"] and not re.search(r"\d{5,}", e["summary"])
            assert e["kind"] != "innovation_recognized" or year == 2026
            assert e["kind"] != "major_dissuasion" or e["amount_yuan"] >= 50000
        if any(e["kind"] == "major_dissuasion" for e in r["events"]):
            assert m["warning_response"]["dissuaded"] >= 1
    assert len(kinds) == len(POINTS)
    assert all(len(v) >= 3 for k, v in kinds.items() if k != "major_risk_incident")
    vetoes = sorted(kinds["major_risk_incident"], key=lambda x: x[1])
    assert [p[:4] for _, p in vetoes] == ["2025", "2026"] and vetoes[0][0] != vetoes[1][0]
    capped = [r for r in records if r["score"]["bonus"] > BONUS_CAP[int(r["period"][:4])]]
    assert [(r["worker"], r["period"]) for r in capped] == [CAPPED]
    assert capped[0]["score"]["bonus"] in (11, 12)
    for month in MONTHS:
        totals = [r["score"]["total"] for r in records if r["period"] == month]
        assert sum(t >= 90 for t in totals) >= 2 and sum(t < 60 for t in totals) >= 1, month
        assert sum(70 <= t < 90 for t in totals) > len(totals) / 2, month
    for w in workers:  # 3 consecutive 不合格: the scripted streak, and no one else
        failed = [r["period"] for r in records if r["worker"] == w["id"] and r["score"]["total"] < 60]
        streaks = [
            failed[i : i + 3]
            for i in range(len(failed) - 2)
            if next_month(failed[i]) == failed[i + 1] and next_month(failed[i + 1]) == failed[i + 2]
        ]
        expected = [FAIL_STREAK[1]] if w["id"] == FAIL_STREAK[0] else []
        assert streaks == expected, (w["id"], streaks)
    in_2025 = {r["worker"] for r in records if r["period"] < "2026"}
    assert {rv["worker"] for rv in reviews} == in_2025 - {NO_REVIEW_2025}
    scores = {rv["worker"]: rv["review_score"] for rv in reviews}
    results = {year: annual_results(year, records, scores) for year in (2025, 2026)}
    for year, res in results.items():
        assert [w for w, a in res["rows"].items() if a["total"] < 60] == [FAILING], year
        assert res["excellent"] and res["experts"]
        for star in STARS:
            mine = [r["score"]["total"] for r in records if r["worker"] == star and r["period"].startswith(str(year))]
            assert sum(t >= 90 for t in mine) >= 2 * len(mine) / 3 and res["rows"][star]["dissuaded"]
            assert star in res["excellent"]
    veto_2025 = results[2025]["rows"][vetoes[0][0]]
    assert veto_2025["veto"] and veto_2025["total"] >= 90  # 优秀 by score, 良好 by the veto
    return results


# --- YAML text ----------------------------------------------------------------
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


def flow_map(d: dict) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"


def organization_yaml(workers: list[dict]) -> str:
    out = ["# 示例数据：虚构的街道、社区和人员，仅用于演示。各街道使用时请整体替换。", "unit:"]
    out += [f"  {k}: {v}" for k, v in UNIT.items()] + ["communities:"]
    for cid, name, grids, _ in COMMUNITIES:
        out += [f"  - id: {cid}", f"    name: {name}", "    grids:"]
        out += [f"      - {{id: g{g:02d}, name: 第{'一二三四'[g - 1]}网格}}" for g in range(1, grids + 1)]
    out.append("workers:")
    for w in workers:
        out += [
            f"  - id: {w['id']}",
            f"    name: {w['name']}",
            f"    community: {w['community']}",
            f"    grid: {w['grid']}",
            f"    role: {w['role']}",
            f"    joined: {w['joined']}",
            f"    left: {w['left'] or 'null'}",
            f"    publish_name: {'true' if w['publish_name'] else 'false'}",
        ]
    out.append("assessors:")
    for aid, name, org, scope in ASSESSORS:
        scope = scope if scope == "all" else "[" + ", ".join(scope) + "]"
        out += [
            f"  - id: {aid}",
            f"    name: {name}",
            f"    org: {org}",
            f"    communities: {scope}",
            f"    git_account: dongfeng-{aid}        # 代码托管平台账号（虚构），gridscore codeowners 用",
        ]
    return "\n".join(out) + "\n"


def record_yaml(r: dict) -> str:
    m = r["metrics"]
    out = [
        f"worker: {r['worker']}",
        f"period: {r['period']}",
        f"assessed_by: {r['assessed_by']}",
        f"assessed_on: {r['assessed_on']}",
        "metrics:",
    ]
    for item in ("publicity", "screening", "info_collection", "warning_response"):
        out.append(f"  {item + ':':<18}{flow_map(m[item])}")
    for item in ("case_assistance", "asset_recovery", "method_innovation", "coordination"):
        out.append(f"  {item}: {ZH_LEVELS[m[item]] if r['chinese_levels'] else m[item]}")
    if r["events"]:
        out.append("events:")
    for e in r["events"]:
        out += [f"  - kind: {e['kind']}", f"    date: {e['date']}"]
        out += [f"    {k}: {e[k]}" for k in ("severity", "level", "amount_yuan") if k in e]
        out.append(f"    summary: {plain(e['summary'])}")
        if "evidence" in e:
            out.append(f"    evidence: {plain(e['evidence'])}")
    if r["notes"]:
        out.append(f"notes: {plain(r['notes'])}")
    return "\n".join(out) + "\n"


def review_yaml(rv: dict) -> str:
    return (
        f"worker: {rv['worker']}\nyear: 2025\nreview_score: {rv['review_score']}\n"
        f"assessed_by: {rv['assessed_by']}\nassessed_on: {rv['assessed_on']}\n"
    )


def notice_yaml(
    stem: str, kind: str, number: int, title: str, period: str, window: tuple[str, str] | None, body: str
) -> str:
    day = stem[:10]
    out = [
        f"kind: {kind}",
        f"number: 东风反诈〔{day[:4]}〕{number}号",
        f"title: {title}",
        f"period: {period}",
        f"date: {day}",
        f"issued_by: {UNIT['leading_group']}",
    ]
    if window:
        contact = json.dumps("东风街道综治中心 电话 0000-0000000", ensure_ascii=False)
        out.append(f"publicity: {{start: {window[0]}, end: {window[1]}, contact: {contact}}}")
    out += ["body: |"] + [f"  {line}" if line else "" for line in body.split("\n")]
    return "\n".join(out) + "\n"


def write(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")


def main() -> None:
    rng = random.Random(SEED)
    workers = make_workers(rng)
    tiers = assign_tiers(rng, workers)
    events = make_events(rng, workers, tiers)
    records = make_records(rng, workers, tiers, events)
    reviews = make_reviews(rng, workers, records)
    results = check(workers, records, reviews)  # nothing is written unless every check holds

    for stale in ("2025", "2026", "notices", "seals"):
        shutil.rmtree(RECORDS / stale, ignore_errors=True)
    write(RECORDS / "organization.yaml", organization_yaml(workers))
    for r in records:
        folder = RECORDS / r["period"][:4] / r["period"][5:] / r["community"]
        write(folder / f"{r['worker']}.yaml", record_yaml(r))
    for rv in reviews:
        folder = RECORDS / "2025" / "annual" / rv["community"]
        write(folder / f"{rv['worker']}.yaml", review_yaml(rv))
    for notice in NOTICES:
        write(RECORDS / "notices" / f"{notice[0]}.yaml", notice_yaml(*notice))

    seal_and_correct()

    print(
        f"wrote organization.yaml ({len(workers)} workers), {len(records)} monthly records, "
        f"{len(reviews)} annual reviews, {len(NOTICES)} notices; "
        f"{sum(len(r['events']) for r in records)} events"
    )
    print("month    records  >=90  <60")
    for month in MONTHS:
        totals = [r["score"]["total"] for r in records if r["period"] == month]
        print(f"{month}  {len(totals):7}  {sum(t >= 90 for t in totals):4}  {sum(t < 60 for t in totals):3}")
    for year, res in results.items():
        failed = [w for w, a in res["rows"].items() if a["total"] < 60]
        print(
            f"{year}: 优秀 {' '.join(res['excellent'])} | 反诈能手 {' '.join(res['experts'])} | "
            f"不合格 {' '.join(failed)}"
        )


# --- seals and one correction, made with the real command line ------------------

SEALED_THROUGH = "2026-09"  # 2026-10 is still being reviewed: its results are not sealed yet
CORRECTION = {  # a record found wrong after its month was sealed, and the notice that corrects it
    "record": "2026/03/dongfeng-1/wg-0107.yaml",
    "field": "key_people_reached",
    "to": 40,
    "notice": "2026-04-20-correction-2026-03",
    "number": "东风反诈〔2026〕4号",  # numbered in date order (check)
    "title": "关于更正2026年3月网格反诈工作考评结果的通知",
    "body": "经复核，东风第一社区一名网格员2026年3月的重点人群走访覆盖人数登记有误（多登记8人），"
    "现予更正，该网格员及相关人员的考评结果相应调整，其他结果不变。",
}


def gridscore(*args: str, on: str) -> None:
    """Run the real `gridscore` as it would have run on the day ``on`` (YYYY-MM-DD)."""
    import datetime
    import os
    import subprocess
    import sys

    day = datetime.datetime.strptime(on, "%Y-%m-%d").replace(tzinfo=datetime.UTC)
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(day.timestamp()))}
    subprocess.run(
        [sys.executable, "-m", "generator", *args, "--root", str(ROOT)], env=env, check=True, stdout=subprocess.DEVNULL
    )


def seal_and_correct() -> None:
    """Seal every month up to SEALED_THROUGH on the 7th of the next month, 2025 on 2026-01-10, then correct one."""
    for month in MONTHS:
        if month > SEALED_THROUGH:
            break
        gridscore("seal", month, on=next_month(month) + "-07")
        if month == "2025-12":
            gridscore("seal", "2025", on="2026-01-10")
    path = RECORDS / CORRECTION["record"]
    text = path.read_text(encoding="utf-8")
    corrected = re.sub(rf"{CORRECTION['field']}: \d+", f"{CORRECTION['field']}: {CORRECTION['to']}", text, count=1)
    assert corrected != text
    path.write_text(corrected, encoding="utf-8")
    notice = (
        f"kind: correction\nnumber: {CORRECTION['number']}\ntitle: {CORRECTION['title']}\nperiod: 2026-03\n"
        f"date: 2026-04-20\nissued_by: {UNIT['leading_group']}\nbody: |\n  {CORRECTION['body']}\n"
    )
    write(RECORDS / "notices" / f"{CORRECTION['notice']}.yaml", notice)
    gridscore("seal", "2026-03", on="2026-04-21")


if __name__ == "__main__":
    main()
