"""The one chain every command runs: load → validate → score → verify the seals → what the site needs.

``check``, ``build``, ``diff``, ``import``, ``seal``, ``score`` and ``explain``
all ask this module whether a repository is sound, so they can never disagree
about it (a change ``check`` accepts is one ``build`` builds and ``diff`` calls
valid). ``new`` runs only the first stage (``load.load_repository``): it
scaffolds records into a repository that is, by nature, not filled in yet.

Some problems are *awaiting a seal*: a notice for a period not sealed yet, a
correction whose amendment is not recorded yet. ``gridscore seal`` is what
resolves them, so it (and ``score``/``explain``, which show what sealing
would record) run despite them; ``check`` and ``build`` do not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import InvalidInput, Problem
from .ledger import followup_problems
from .load import Repository, load_repository
from .results import Results
from .seal import verify_seals
from .sealing_rules import open_problems
from .today import today
from .validate import Dataset, notices_without_seals, validate, without_cycle_collection


@dataclass
class Checked:
    """A repository run through the whole chain: its dataset and results when it validated, and every problem."""

    dataset: Dataset | None
    results: Results | None
    problems: list[Problem] = field(default_factory=list)
    awaiting: list[Problem] = field(default_factory=list)  # among ``problems``: what ``gridscore seal`` resolves

    @property
    def valid(self) -> bool:
        return self.dataset is not None and not self.problems

    @property
    def blocking(self) -> list[Problem]:
        """The problems that stop even ``seal``: everything not awaiting a seal."""
        waiting = set(self.awaiting)
        return [p for p in self.problems if p not in waiting]


def check(root: Path) -> Checked:
    """Load ``root`` and run it through the chain; problems are returned, not raised."""
    with without_cycle_collection():
        return check_loaded(load_repository(root))


def check_loaded(repo: Repository) -> Checked:
    """The chain from a loaded repository on (``import`` checks one with the planned records in it)."""
    try:
        dataset = validate(repo, notices_need_seals=False)
    except InvalidInput as error:
        return Checked(None, None, error.problems)
    results = Results(dataset)
    unsealed = notices_without_seals(dataset)
    seal_problems, amendments = verify_seals(dataset, results)
    problems = unsealed + seal_problems + open_problems(dataset) + followup_problems(dataset, results)
    if not problems:  # the site is gathered only from valid data
        problems = _site_problems(repo.root, dataset, results)
    return Checked(dataset, results, sorted(set(problems)), sorted(set(unsealed + amendments)))


def checked(root: Path, *, awaiting_seal: bool = False) -> tuple[Dataset, Results]:
    """The dataset and results of a sound repository; ``InvalidInput`` listing every problem otherwise.

    ``awaiting_seal``: also accept a repository whose only problems are what ``gridscore seal`` resolves.
    """
    result = check(root)
    stopping = result.blocking if awaiting_seal else result.problems
    if stopping or result.dataset is None or result.results is None:
        raise InvalidInput(stopping or result.problems)
    return result.dataset, result.results


def _site_problems(root: Path, dataset: Dataset, results: Results) -> list[Problem]:
    """What would stop the build: notice links to no page, and the repository's own templates."""
    from .build import project_dir
    from .render import template_problems
    from .site_sections import notice_link_problems

    problems = notice_link_problems(dataset, results, today())
    if project_dir(root) == root:  # gridscore's own templates are tested with it
        problems += template_problems(root)
    return problems
