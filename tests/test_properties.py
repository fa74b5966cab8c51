"""Scoring invariants over generated records (hypothesis).

The generators take the rubric as an argument: test_rubric_properties.py runs them over random rubrics.
"""

from __future__ import annotations

import datetime
from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.datafiles import Entry, EventEntry, RecordFile
from generator.models import Event, MonthlyRecord, Worker
from generator.numbers import exact, round2, rounded_mean
from generator.periods import Month
from generator.rubric import Rubric
from generator.score import score_entry, score_month
from generator.yamlio import Document, read_document

from .conftest import PROJECT

RUBRIC = Rubric.model_validate(read_document(PROJECT / "rubric/2026.yaml", "rubric/2026.yaml").data)
MONTH = Month(2026, 3)


@st.composite
def item_metrics(draw: st.DrawFn, rubric: Rubric, item_id: str) -> object:
    """A valid value of one item's metrics: a level, or counts with every part within its whole."""
    item = rubric.item_by_id[item_id]
    if item.method == "level":
        choices = [level.id for level in rubric.levels if item.allow_none or level.id != "none"]
        return draw(st.sampled_from(choices))
    counts: dict[str, int] = {}
    for term in item.terms:
        if term.method == "count":
            assert term.count is not None
            counts[term.count] = draw(st.integers(0, 30))
    for term in item.terms:
        if term.method == "ratio":
            assert term.part is not None and term.whole is not None
            whole = counts.setdefault(term.whole, draw(st.integers(0, 60)))
            limit = 3 * whole + 3 if term.cap_at_one else whole
            counts[term.part] = draw(st.integers(0, limit))
    return counts


@st.composite
def events(draw: st.DrawFn, rubric: Rubric) -> list[EventEntry]:
    found = []
    for index in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(rubric.events))
        parameter = draw(st.sampled_from([v.id for v in rubric.scales[kind.by]])) if kind.by else None
        event = Event(kind=kind.id, date=datetime.date(2026, 3, 5), summary="测试")
        found.append(EventEntry(kind, event, parameter, index))
    return found


@st.composite
def entries(draw: st.DrawFn, rubric: Rubric, worker_id: str = "w1") -> Entry:
    metrics = {item.id: draw(item_metrics(rubric, item.id)) for item in rubric.items}
    return make_entry(rubric, worker_id, metrics, draw(events(rubric)))


def make_entry(
    rubric: Rubric, worker_id: str, metrics: dict, event_list: list[EventEntry], community: str = "c1"
) -> Entry:
    worker = Worker(id=worker_id, name="测试", community=community, grid="g01", role="full_time", joined="2025-01")
    record = MonthlyRecord(
        worker=worker_id, period="2026-03", assessed_by="a1", assessed_on="2026-04-02", metrics=metrics
    )
    doc = Document(f"records/2026/03/{community}/{worker_id}.yaml", "", None)
    return Entry(RecordFile(doc, record, MONTH, community), rubric, worker, metrics, event_list)


def raisable_counts(rubric: Rubric) -> list[tuple[str, str]]:
    """(item, metric) for every part of a ratio and every count: more of them is better work."""
    return [
        (item.id, name)
        for item in rubric.items
        for term in item.terms
        for name in ([term.part] if term.method == "ratio" else [term.count])
        if name is not None
    ]


def one_more(rubric: Rubric, entry: Entry, item_id: str, name: str) -> Entry | None:
    """The same record with one more of ``name``; None when that would make a part exceed its whole."""
    item = rubric.item_by_id[item_id]
    counts = dict(entry.metrics[item_id])
    wholes = {term.part: term.whole for term in item.terms if term.method == "ratio" and not term.cap_at_one}
    whole = wholes.get(name)
    if whole is not None and counts[name] >= counts[whole]:
        return None  # a part may not exceed its whole; nothing to add
    counts[name] += 1
    return make_entry(rubric, entry.worker.id, {**entry.metrics, item_id: counts}, entry.events)


@given(entries(RUBRIC))
def test_total_stays_between_zero_and_110(entry: Entry) -> None:
    result = score_entry(entry)
    assert 0 <= result.total <= exact(RUBRIC.total_points) + exact(RUBRIC.bonus_cap)
    for item in result.items.values():
        assert 0 <= item.score <= exact(item.item.points)
        assert (item.score * 100).denominator == 1  # rounded to two decimals


@st.composite
def entry_and_part(draw: st.DrawFn) -> tuple[Entry, str, str]:
    entry = draw(entries(RUBRIC))
    item_id, name = draw(st.sampled_from(raisable_counts(RUBRIC)))
    return entry, item_id, name


@given(entry_and_part())
def test_more_completions_or_dissuasions_never_lower_a_score(case: tuple[Entry, str, str]) -> None:
    entry, item_id, name = case
    better = one_more(RUBRIC, entry, item_id, name)
    assume(better is not None)
    assert better is not None
    before, after = score_entry(entry), score_entry(better)
    assert after.items[item_id].score >= before.items[item_id].score
    assert after.total >= before.total


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=50)
@given(st.lists(entries(RUBRIC), min_size=2, max_size=8), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_order(drawn: list[Entry], random) -> None:
    numbered = [
        make_entry(RUBRIC, f"w{index:02d}", entry.metrics, entry.events, community=f"c{index % 2}")
        for index, entry in enumerate(drawn)
    ]
    shuffled = list(numbered)
    random.shuffle(shuffled)

    def summary(entries: list[Entry]) -> list[tuple[str, Fraction, int, int]]:
        return [(r.worker_id, r.total, r.rank, r.community_rank) for r in score_month(entries)]

    assert summary(numbered) == summary(shuffled)


def test_results_do_not_depend_on_file_creation_order(tmp_path: Path) -> None:
    from .conftest import Repo
    from .test_scoring import metrics

    texts = {
        "w1": metrics(case="good"),
        "w2": metrics(method="good"),
    }
    outputs = []
    for order in (["w1", "w2"], ["w2", "w1"]):
        repo = Repo(tmp_path / "-".join(order))
        for worker in order:
            repo.record(worker, "2026-03", metrics=texts[worker])
        outputs.append(repo.run("score", "2026-03", "--json").out)
    assert outputs[0] == outputs[1]


# --- rounding in integers --------------------------------------------------------

fractions = st.fractions(min_value=-10_000, max_value=10_000, max_denominator=10_000)


def decimal_half_up(value: Fraction) -> Fraction:
    """Half-up to hundredths the textbook way, with decimal's ROUND_HALF_UP (independent of the code)."""
    import decimal

    context = decimal.Context(prec=60)
    quotient = context.divide(decimal.Decimal(value.numerator), decimal.Decimal(value.denominator))
    return Fraction(quotient.quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP))


@given(fractions)
def test_round2_is_half_up(value: Fraction) -> None:
    assert round2(value) == decimal_half_up(value)


@given(st.lists(fractions, max_size=13))
def test_rounded_mean_is_the_mean_rounded_half_up(values: list[Fraction]) -> None:
    expected = decimal_half_up(sum(values, Fraction(0)) / len(values)) if values else Fraction(0)
    assert rounded_mean(values) == expected
