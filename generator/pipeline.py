"""The one chain every command runs: load → validate → score → verify the seals → what the site needs.

``check``, ``build``, ``diff`` and ``import`` all ask this module whether a
repository is sound, so they can never disagree about it (a change ``check``
accepts is one ``build`` builds and ``diff`` calls valid).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import InvalidInput, Problem
from .load import Repository, load_repository
from .results import Results
from .today import today
from .validate import Dataset, notices_without_seals, validate, without_cycle_collection


@dataclass
class Checked:
    """A repository run through the whole chain: its dataset and results when it validated, and every problem."""

    dataset: Dataset | None
    results: Results | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.dataset is not None and not self.problems


def check(root: Path) -> Checked:
    """Load ``root`` and run it through the chain; problems are returned, not raised."""
    with without_cycle_collection():
        return check_loaded(load_repository(root))


def check_loaded(repo: Repository) -> Checked:
    """The chain from a loaded repository on (``import`` checks one with the planned records in it)."""
    from .seal import verify_seals

    try:
        dataset = validate(repo, notices_need_seals=False)
    except InvalidInput as error:
        return Checked(None, None, error.problems)
    results = Results(dataset)
    problems = notices_without_seals(dataset) + verify_seals(dataset, results)
    if not problems:  # the site is gathered only from valid data
        problems = _site_problems(repo.root, dataset, results)
    return Checked(dataset, results, sorted(set(problems)))


def checked(root: Path) -> tuple[Dataset, Results]:
    """The dataset and results of a sound repository; ``InvalidInput`` listing every problem otherwise."""
    result = check(root)
    if result.problems or result.dataset is None or result.results is None:
        raise InvalidInput(result.problems)
    return result.dataset, result.results


def _site_problems(root: Path, dataset: Dataset, results: Results) -> list[Problem]:
    """What would stop the build: notice links to no page, and the repository's own templates."""
    from .build import project_dir
    from .render import template_problems
    from .site import notice_link_problems

    problems = notice_link_problems(dataset, results, today())
    if project_dir(root) == root:  # gridscore's own templates are tested with it
        problems += template_problems(root)
    return problems
