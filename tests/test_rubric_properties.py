"""Scoring invariants over random valid rubrics (hypothesis): a rubric edit must never break the arithmetic.

``rubric_data()`` perturbs the default rubric/2026.yaml: new item, term, category and total points that still
add up, counts worth a random amount apiece, new level ratios, grade floors, bonus cap and event points.
"""

from __future__ import annotations

import copy
import tempfile
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.datafiles import Entry, EventEntry
from generator.numbers import exact
from generator.rubric import Item, Rubric, check_rubric
from generator.score import score_entry
from generator.yamlio import Document, parse_document, read_document

from .conftest import PROJECT, Repo
from .fuzzing import RUBRIC_RECORDS, RUBRIC_TARGET, TARGET, dump_yaml, run_check
from .test_properties import entries, make_entry, one_more, raisable_counts

DEFAULT = read_document(PROJECT / RUBRIC_TARGET, RUBRIC_TARGET).data


def _points(cents: int, whole: bool) -> int | Decimal:
    """Points as the rubric writes them: ``15`` or ``7.35``."""
    return cents // 100 if whole else Decimal(cents).scaleb(-2)


@st.composite
def _split(draw: st.DrawFn, total: int, parts: int, step: int) -> list[int]:
    """``total`` cents cut into ``parts`` non-negative multiples of ``step`` that add up to it."""
    units = total // step
    cuts = sorted(draw(st.lists(st.integers(0, units), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, units]
    return [(high - low) * step for low, high in pairwise(bounds)]


@st.composite
def rubric_data(draw: st.DrawFn) -> dict[str, Any]:
    """The default rubric with random points, ratios, floors, cap and event points, still adding up."""
    data = copy.deepcopy(DEFAULT)
    whole = draw(st.booleans())  # integer points throughout, or two decimals
    step = 100 if whole else 1
    total = 0
    for category in data["categories"]:
        category_cents = 0
        for item in category["items"]:
            cents = draw(st.integers(0, 40)) * 100 if whole else draw(st.integers(0, 4000))
            item["points"] = _points(cents, whole)
            category_cents += cents
            if item["method"] == "level":
                item["allow_none"] = draw(st.booleans())
                continue
            term_step = draw(st.sampled_from([step, 1]))  # whole-point items may still split into cents
            for term, share in zip(item["terms"], draw(_split(cents, len(item["terms"]), term_step)), strict=True):
                term["points"] = _points(share, term_step == 100)
                if term["method"] == "count":
                    term["per"] = _points(draw(st.integers(0, 500)), False)
                else:
                    term["cap_at_one"] = draw(st.booleans())
        category["points"] = _points(category_cents, whole)
        total += category_cents
    data["total_points"] = _points(total, whole)
    bonus_cap = draw(st.integers(0, 2000))
    data["bonus_cap"] = _points(bonus_cap, False)

    graded = sorted(draw(st.lists(st.integers(0, 100), min_size=4, max_size=4)), reverse=True)
    ratios = iter(graded)
    for level in data["levels"]:  # excellent ≥ good ≥ fair ≥ poor; none keeps its place, at any ratio
        cents = draw(st.integers(0, 100)) if level["id"] == "none" else next(ratios)
        level["ratio"] = _points(cents, False)

    floors = draw(st.lists(st.integers(1, total + bonus_cap + 100), min_size=3, max_size=3, unique=True))
    for grade, cents in zip(data["grades"], [*sorted(floors, reverse=True), 0], strict=True):
        grade["min"] = _points(cents, False)

    for kind in data["events"]:
        if isinstance(kind["points"], dict):
            kind["points"] = {key: _points(draw(st.integers(0, 5000)), False) for key in kind["points"]}
        else:
            kind["points"] = _points(draw(st.integers(0, 5000)), False)
    return data


def rubric_document(data: dict[str, Any]) -> Document:
    return Document(RUBRIC_TARGET, dump_yaml(data), data)


def checked_rubric(data: dict[str, Any]) -> Rubric:
    """Validate generated data as the loader does: the model, then everything that must add up."""
    rubric = Rubric.model_validate(data)
    # Writing the YAML costs more than the check: it is written only to name the lines of a problem.
    problems = check_rubric(rubric, Document(RUBRIC_TARGET, "", data))
    if problems:
        problems = check_rubric(rubric, rubric_document(data))
    assert problems == [], [str(problem) for problem in problems]
    return rubric


def rubrics() -> st.SearchStrategy[Rubric]:
    """Random valid rubrics (validated and checked)."""
    return rubric_data().map(checked_rubric)


@st.composite
def rubric_and_entry(draw: st.DrawFn) -> tuple[Rubric, Entry]:
    rubric = draw(rubrics())
    return rubric, draw(entries(rubric))


# --- the rubrics themselves --------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(rubric_data())
def test_random_rubrics_are_valid_and_add_up(data: dict[str, Any]) -> None:
    rubric = checked_rubric(data)
    assert sum((c.points for c in rubric.categories), Decimal(0)) == rubric.total_points
    for item in rubric.items:
        assert item.method == "level" or sum((t.points for t in item.terms), Decimal(0)) == item.points
    floors = [grade.min for grade in rubric.grades]
    assert floors == sorted(floors, reverse=True) and len(set(floors)) == len(floors) and floors[-1] == 0
    graded = [level.ratio for level in rubric.levels if level.id != "none"]
    assert graded == sorted(graded, reverse=True) and all(0 <= ratio <= 1 for ratio in graded)
    assert parse_document(dump_yaml(data).encode("utf-8"), RUBRIC_TARGET).data == data  # the YAML is faithful


RUBRIC_REPO: Repo | None = None


def rubric_repo() -> Repo:
    """One repository for every example: records that only use what any generated rubric keeps."""
    global RUBRIC_REPO
    if RUBRIC_REPO is None:
        RUBRIC_REPO = Repo(Path(tempfile.mkdtemp(prefix="gridscore-rubrics-")) / "repo")
        for relative in (TARGET, "records/2026/02/c1/w1.yaml", "records/2026/annual/c1/w1.yaml"):
            RUBRIC_REPO.write(relative, RUBRIC_RECORDS[relative])  # all levels excellent: allow_none may be off
    return RUBRIC_REPO


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rubric_data())
def test_gridscore_check_accepts_random_rubrics(data: dict[str, Any]) -> None:
    repo = rubric_repo()
    repo.write(RUBRIC_TARGET, dump_yaml(data))
    code, out, err = run_check(repo.root)
    assert (code, err) == (0, ""), err
    assert "2 份月度考评、1 份年度评议" in out


# --- scoring under any rubric ------------------------------------------------------------------------------------


def half_up_cents(value: Fraction) -> int:
    """Round to hundredths, half away from zero, as a resident with a calculator does (value ≥ 0)."""
    return int(value * 100 + Fraction(1, 2))


def expected_item(rubric: Rubric, item: Item, value: Any, deducted: Fraction) -> int:
    """An item's cents straight from the spec: Σ terms (or level × points), minus deductions, ≥ 0, rounded."""
    if item.method == "level":
        exact_value = exact(rubric.level_by_id[value].ratio) * exact(item.points)
    else:
        exact_value = Fraction(0)
        for term in item.terms:
            points = exact(term.points)
            if term.method == "count":
                exact_value += min(exact(term.per or 0) * value[term.count], points)
            elif value[term.whole] == 0 or (term.cap_at_one and value[term.part] > value[term.whole]):
                exact_value += points
            else:
                exact_value += points * Fraction(value[term.part], value[term.whole])
    return half_up_cents(max(Fraction(0), exact_value - deducted))


def deductions_by_item(events: list[EventEntry]) -> dict[str, Fraction]:
    found: dict[str, Fraction] = {}
    for event in events:
        if event.kind.effect == "item_deduction":
            assert event.kind.item is not None
            found[event.kind.item] = found.get(event.kind.item, Fraction(0)) + event.kind.points_for(event.parameter)
    return found


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rubric_and_entry())
def test_items_and_total_stay_in_bounds_under_any_rubric(case: tuple[Rubric, Entry]) -> None:
    rubric, entry = case
    result = score_entry(entry)
    for item in rubric.items:
        score = result.items[item.id].score
        assert 0 <= score <= exact(item.points)
        assert (score * 100).denominator == 1  # rounded to cents
    assert 0 <= result.total <= exact(rubric.total_points) + exact(rubric.bonus_cap)
    assert (result.total * 100).denominator == 1


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rubric_and_entry())
def test_scores_follow_the_rules_under_any_rubric(case: tuple[Rubric, Entry]) -> None:
    """Each item and the total as the spec computes them; categories add their items."""
    rubric, entry = case
    result = score_entry(entry)
    deducted = deductions_by_item(entry.events)
    for item in rubric.items:
        want = expected_item(rubric, item, entry.metrics[item.id], deducted.get(item.id, Fraction(0)))
        assert result.items[item.id].cents == want, item.id
    for category in rubric.categories:
        assert result.categories[category.id] == sum((result.items[i.id].score for i in category.items), Fraction(0))
    bonus = sum((e.kind.points_for(e.parameter) for e in entry.events if e.kind.effect == "bonus"), Fraction(0))
    penalty = sum(
        (e.kind.points_for(e.parameter) for e in entry.events if e.kind.effect == "total_deduction"), Fraction(0)
    )
    items_sum = sum((score.score for score in result.items.values()), Fraction(0))
    assert result.total == max(Fraction(0), items_sum + min(bonus, exact(rubric.bonus_cap)) - penalty)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rubric_and_entry())
def test_the_grade_is_the_highest_floor_reached(case: tuple[Rubric, Entry]) -> None:
    rubric, entry = case
    result = score_entry(entry)
    reached = [grade for grade in rubric.grades if exact(grade.min) <= result.total]
    highest = max(reached, key=lambda grade: grade.min)
    cap = rubric.grade_by_id[rubric.veto_grade_cap]
    vetoed = any(event.kind.veto for event in entry.events)
    assert result.vetoed == vetoed
    if vetoed and highest.min > cap.min:
        assert result.grade == cap
    else:
        assert result.grade == highest


@st.composite
def rubric_entry_and_part(draw: st.DrawFn) -> tuple[Rubric, Entry, str, str]:
    rubric, entry = draw(rubric_and_entry())
    item_id, name = draw(st.sampled_from(raisable_counts(rubric)))
    return rubric, entry, item_id, name


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rubric_entry_and_part())
def test_more_completions_never_lower_a_score_under_any_rubric(case: tuple[Rubric, Entry, str, str]) -> None:
    rubric, entry, item_id, name = case
    better = one_more(rubric, entry, item_id, name)
    assume(better is not None)
    assert better is not None
    before, after = score_entry(entry), score_entry(better)
    assert after.items[item_id].score >= before.items[item_id].score
    assert after.total >= before.total
    assert after.grade.min >= before.grade.min


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rubric_data(), st.data())
def test_scoring_is_deterministic_under_any_rubric(data: dict[str, Any], draw: st.DataObject) -> None:
    """The same record scored twice, and under a second copy of the same rubric, gives the same figures."""
    rubric = checked_rubric(data)
    entry = draw.draw(entries(rubric))
    twin = Rubric.model_validate(copy.deepcopy(data))
    twin_events = [EventEntry(twin.event_by_id[e.kind.id], e.event, e.parameter, e.index) for e in entry.events]
    again = make_entry(twin, entry.worker.id, copy.deepcopy(entry.metrics), twin_events)

    def figures(found: Any) -> tuple[Any, ...]:
        items = {item_id: (score.numerator, score.denominator, score.cents) for item_id, score in found.items.items()}
        return items, found.categories, found.bonus, found.total, found.vetoed, found.grade.id

    first = figures(score_entry(entry))
    assert figures(score_entry(entry)) == first
    assert figures(score_entry(again)) == first
