"""The one result→row projection: its fast path gives what the explanation gives, and outputs agree."""

from __future__ import annotations

import json

from generator.numbers import fmt
from generator.results import Results
from generator.rows import annual_rows, monthly_rows
from generator.validate import load_dataset

from .conftest import PROJECT, run_cli


def test_a_monthly_row_is_its_explained_result_without_building_the_explanation() -> None:
    results = Results(load_dataset(PROJECT))
    with_events = 0
    for month in results.dataset.months():
        month_results = results.month(month)
        rows = monthly_rows(month_results)
        for result, row in zip(month_results, rows, strict=True):
            # The row of a record without events comes from the loader's integers alone.
            assert (result._details is None) == (not result.entry.events), result.worker_id
            with_events += bool(result.entry.events)
            assert row.total == fmt(result.total)
            assert row.categories == {key: fmt(value) for key, value in result.categories.items()}
            assert row.items == {key: fmt(item.score) for key, item in result.items.items()}
            assert (row.bonus, row.deductions) == (fmt(result.bonus), fmt(result.deductions))
            assert (row.grade, row.grade_id, row.vetoed) == (result.grade.name, result.grade.id, result.vetoed)
    assert with_events, "the sample has records with events, so the slow path is compared too"


def test_an_annual_row_names_every_figure_a_year_page_needs() -> None:
    summary = Results(load_dataset(PROJECT)).year(2025)
    rows = annual_rows(summary)
    assert [row.worker for row in rows] == [r.worker_id for r in summary.results]
    for result, row in zip(summary.results, rows, strict=True):
        assert list(row.category_means) == [c.id for c in summary.rubric.categories]
        assert row.category_means == {key: fmt(mean) for key, mean in result.category_means.items()}
        assert row.honors == [honor.name for honor in result.honors]
        assert (row.review_score is None) == (result.review is None)


def test_score_json_and_the_seal_write_the_same_figures() -> None:
    """A sealed and corrected month: what ``score --json`` shows is what the seal stores, figure for figure."""
    run = run_cli("score", "2026-03", "--json", "--root", str(PROJECT))
    assert run.code == 0, run.err
    shown = {r["worker"]: r for r in json.loads(run.out)["results"]}
    seal = load_dataset(PROJECT).seals["2026-03"].seal
    assert seal.corrections, "the seal's original figures are read through its corrections"
    kept = seal.current()
    assert set(kept) == set(shown) and len(kept) > 30
    for worker, figures in kept.items():
        for key in ("total", "grade", "rank", "community_rank", "bonus", "deductions", "vetoed", "categories", "items"):
            assert shown[worker][key] == figures[key], (worker, key)
