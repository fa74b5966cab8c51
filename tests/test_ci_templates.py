"""The CI templates a street's repository ships (GitHub Actions, GitLab CI, PR / MR templates).

They parse, trigger where they should, keep one updatable review comment, publish only the
public site, and every ``gridscore ...`` line they run is a real command with real options:
the commands CI calls are the ones the tests run.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from generator.cli import cli

ROOT = Path(__file__).resolve().parents[1]
REVIEW = ROOT / ".github" / "workflows" / "review.yml"
PAGES = ROOT / ".github" / "workflows" / "pages.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
PR_TEMPLATES = [
    ROOT / ".github" / "pull_request_template.md",
    ROOT / ".gitlab" / "merge_request_templates" / "Default.md",
]
MARKER = "<!-- gridscore-diff -->"
INTERNAL_EXAMPLE = ("# ---- 内部版示例开始 ----", "# ---- 内部版示例结束 ----")

# Top-level .gitlab-ci.yml keys that are not jobs.
GITLAB_GLOBALS = {"stages", "workflow", "variables", "default", "include", "image", "services", "cache"}
GITLAB_SCRIPT_KEYS = ("before_script", "script", "after_script")
# GitLab validates artifacts:expose_as with Ruby /\A\w[-\w ]*\z/ (ASCII \w): Chinese names are rejected.
GITLAB_EXPOSE_AS = re.compile(r"[A-Za-z0-9_][-A-Za-z0-9_ ]*")
SHELL_OPERATORS = set("();<>|&")


# ---------------------------------------------------------------- helpers


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: top level should be a mapping"
    return data


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    """GitHub's ``on:`` key; YAML 1.1 (PyYAML) reads a bare ``on`` as the boolean True."""
    on = workflow["on"] if "on" in workflow else workflow.get(True)
    assert isinstance(on, dict), "the workflow has no `on:` mapping"
    return on


def steps(workflow: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    return list(workflow["jobs"][job]["steps"])


def step_named(workflow: dict[Any, Any], job: str, step_id: str) -> dict[str, Any]:
    matches = [step for step in steps(workflow, job) if step.get("id") == step_id]
    assert len(matches) == 1, f"job {job} should have exactly one step with id {step_id}"
    return matches[0]


def uses(workflow: dict[Any, Any], job: str, action: str) -> list[dict[str, Any]]:
    return [step for step in steps(workflow, job) if str(step.get("uses", "")).split("@")[0] == action]


def github_scripts(workflow: dict[Any, Any]) -> list[tuple[str, str]]:
    return [
        (f"{job}/{step.get('name') or step.get('id') or step.get('uses')}", step["run"])
        for job, spec in workflow["jobs"].items()
        for step in spec.get("steps", [])
        if "run" in step
    ]


def _flatten(lines: Any) -> list[str]:
    if lines is None:
        return []
    if isinstance(lines, str):
        return [lines]
    return [line for item in lines for line in _flatten(item)]


def gitlab_jobs(config: dict[Any, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: spec
        for name, spec in config.items()
        if name not in GITLAB_GLOBALS and not str(name).startswith(".") and isinstance(spec, dict)
    }


def gitlab_scripts(config: dict[Any, Any]) -> list[tuple[str, str]]:
    sections = {"default": config.get("default", {}), **gitlab_jobs(config)}
    return [
        (f"{name}/{key}", line)
        for name, spec in sections.items()
        for key in GITLAB_SCRIPT_KEYS
        for line in _flatten(spec.get(key))
    ]


def internal_example() -> dict[str, Any]:
    """The commented-out intranet job of pages.yml, uncommented and parsed."""
    text = PAGES.read_text(encoding="utf-8").splitlines()
    start, end = ([line.strip() for line in text].index(marker) for marker in INTERNAL_EXAMPLE)
    lines = text[start + 1 : end]
    assert all(line.startswith("  #") for line in lines), "every line of the example is a comment"
    # Chinese prose first, then the job itself from its "  # name:" line on; uncommented it is indented like a job.
    first = next(index for index, line in enumerate(lines) if re.fullmatch(r"  # [A-Za-z][\w-]*:", line))
    yaml_lines = [line.removeprefix("  # ") for line in lines[first:]]
    job = yaml.safe_load("\n".join(yaml_lines))
    assert isinstance(job, dict) and len(job) == 1, "the internal example should be exactly one job"
    return job


def invocations(script: str) -> list[list[str]]:
    """The arguments of every ``gridscore`` / ``python -m generator`` call in a shell script."""
    found: list[list[str]] = []
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        tokens = list(lexer)
        index = 0
        while index < len(tokens):
            if tokens[index] == "gridscore":
                start = index + 1
            elif tokens[index] in {"python", "python3"} and tokens[index + 1 : index + 3] == ["-m", "generator"]:
                start = index + 3
            else:
                index += 1
                continue
            end = start
            while end < len(tokens) and not _ends_arguments(tokens, end):
                end += 1
            found.append(tokens[start:end])
            index = end
    return found


def _ends_arguments(tokens: list[str], index: int) -> bool:
    token = tokens[index]
    if set(token) <= SHELL_OPERATORS:
        return True
    # "2> file": shlex splits the descriptor from the redirection.
    return token.isdigit() and index + 1 < len(tokens) and tokens[index + 1][0] in "<>"


def mentions(script: str) -> int:
    """How many times a script names the gridscore command outside shell comments."""
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("#"))
    return len(re.findall(r"(?<![\w./$-])gridscore(?![\w.-])", code)) + len(
        re.findall(r"\bpython3? -m generator\b", code)
    )


def check_command(args: list[str], where: str) -> None:
    """Fail unless ``gridscore ARGS`` names a registered command and only its real options."""
    assert args, f"{where}: gridscore without a subcommand"
    name, *rest = args
    assert name in cli.commands, f"{where}: gridscore {name} is not a command (known: {sorted(cli.commands)})"
    command = cli.commands[name]
    known = {opt for param in command.params if isinstance(param, click.Option) for opt in param.opts}
    for token in rest:
        if token.startswith("-"):
            option = token.split("=", 1)[0]
            assert option in known, f"{where}: gridscore {name} has no option {option} (it has {sorted(known)})"
    try:  # values too: choices, required arguments, no stray extra arguments
        command.make_context(name, list(rest))
    except click.ClickException as error:
        pytest.fail(f"{where}: gridscore {' '.join(args)}: {error.format_message()}")


def all_invocations() -> list[tuple[str, list[str]]]:
    scripts = [
        *((f"review.yml {where}", script) for where, script in github_scripts(load(REVIEW))),
        *((f"pages.yml {where}", script) for where, script in github_scripts(load(PAGES))),
        *((f"pages.yml {where}", script) for where, script in github_scripts({"jobs": internal_example()})),
        *((f".gitlab-ci.yml {where}", script) for where, script in gitlab_scripts(load(GITLAB))),
    ]
    found: list[tuple[str, list[str]]] = []
    for where, script in scripts:
        calls = invocations(script)
        assert len(calls) == mentions(script), f"{where}: a gridscore call the parser cannot see:\n{script}"
        found.extend((where, args) for args in calls)
    return found


def option_value(args: list[str], option: str) -> str | None:
    for index, token in enumerate(args):
        if token == option and index + 1 < len(args):
            return args[index + 1]
        if token.startswith(option + "="):
            return token.split("=", 1)[1]
    return None


# ---------------------------------------------------------------- every file


@pytest.mark.parametrize("path", [REVIEW, PAGES, GITLAB], ids=lambda path: path.name)
def test_ci_files_are_valid_yaml(path: Path) -> None:
    assert load(path)


def test_every_gridscore_command_ci_runs_is_real() -> None:
    calls = all_invocations()
    used = {args[0] for _, args in calls}
    assert {"check", "diff", "build"} <= used, used
    for where, args in calls:
        check_command(args, where)


def test_the_command_checker_can_fail() -> None:
    with pytest.raises(AssertionError, match="not a command"):
        check_command(["deploy"], "example")
    with pytest.raises(AssertionError, match="no option --site-directory"):
        check_command(["build", "--site-directory", "_site"], "example")
    with pytest.raises(pytest.fail.Exception):
        check_command(["build", "--audience", "everyone"], "example")
    script = 'code=0\ngridscore check 2> errors.txt || code=$?\n# gridscore comment\nbash -c "gridscore build"\n'
    assert invocations(script) == [["check"]]
    assert mentions(script) == 2  # the quoted call is not seen as a call: all_invocations() refuses such a script
    assert invocations('python -m generator build --site-dir "out dir" > log.txt') == [
        ["build", "--site-dir", "out dir"]
    ]


# ---------------------------------------------------------------- GitHub: review.yml


def test_review_runs_on_pull_requests_to_main_with_least_permissions() -> None:
    workflow = load(REVIEW)
    assert triggers(workflow) == {"pull_request": {"branches": ["main"]}}
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert "github.event.pull_request.number" in workflow["concurrency"]["group"]
    assert workflow["concurrency"]["cancel-in-progress"] is True
    [checkout] = uses(workflow, "review", "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0
    [python] = uses(workflow, "review", "actions/setup-python")
    assert str(python["with"]["python-version"]) == "3.11" and python["with"]["cache"] == "pip"
    runs = [step.get("run", "") for step in steps(workflow, "review")]
    assert INSTALL in runs


def test_review_keeps_the_diff_report_when_the_change_is_invalid() -> None:
    workflow = load(REVIEW)
    order = [step.get("id") for step in steps(workflow, "review")]
    assert order.index("check") < order.index("diff")
    check, diff = step_named(workflow, "review", "check"), step_named(workflow, "review", "diff")
    assert [args[0] for args in invocations(check["run"])] == ["check"]
    assert "|| code=$?" in check["run"] and "$GITHUB_OUTPUT" in check["run"]
    [call] = invocations(diff["run"])
    assert call[0] == "diff" and call[1].startswith("origin/")
    assert option_value(call, "--full") == "gridscore-diff.md"
    assert "base_ref" in (diff["run"] + str(diff.get("env", {})))
    assert re.search(r"gridscore diff \S+ --full gridscore-diff\.md > diff\.md \|\| code=\$\?", diff["run"])
    assert "$GITHUB_OUTPUT" in diff["run"]
    for step in (check, diff):
        assert not step.get("continue-on-error"), "exit codes are captured, not ignored"
    summary = [step for step in steps(workflow, "review") if "$GITHUB_STEP_SUMMARY" in step.get("run", "")]
    assert len(summary) == 1 and "diff.md" in summary[0]["run"] and "always()" in summary[0]["if"]


def test_review_posts_one_comment_and_updates_it() -> None:
    workflow = load(REVIEW)
    [comment] = uses(workflow, "review", "actions/github-script")
    assert comment["uses"] == "actions/github-script@v7"
    assert comment["env"]["MARKER"] == MARKER
    script = comment["with"]["script"]
    assert "process.env.MARKER" in script and MARKER not in script  # one source for the marker
    for call in ("github.rest.issues.listComments", "updateComment", "createComment", "github.paginate"):
        assert call in script, call
    assert script.index("updateComment") < script.index("createComment")
    assert "always()" in comment["if"]


def test_review_uploads_the_full_report_as_an_artifact() -> None:
    """The comment is cut to fit; the report it points to ("gridscore-diff 附件") is uploaded whatever happened."""
    workflow = load(REVIEW)
    [upload] = uses(workflow, "review", "actions/upload-artifact")
    assert upload["uses"] == "actions/upload-artifact@v4"
    from generator.diff_render import ARTIFACT

    assert upload["with"]["name"] == ARTIFACT == "gridscore-diff" and upload["with"]["path"] == "gridscore-diff.md"
    assert "always()" in upload["if"]
    order = [step.get("id") or step.get("uses", "") for step in steps(workflow, "review")]
    assert order.index("diff") < order.index("actions/upload-artifact@v4")


def test_review_fails_last_when_check_or_diff_failed() -> None:
    workflow = load(REVIEW)
    last = steps(workflow, "review")[-1]
    assert last["if"] == "always()"
    assert set(last["env"].values()) == {
        "${{ steps.check.outputs.code }}",
        "${{ steps.diff.outputs.code }}",
        "${{ steps.verify.outputs.code }}",
        "${{ steps.build.outputs.code }}",
    }
    assert "exit 1" in last["run"]


# ---------------------------------------------------------------- GitHub: pages.yml


BEIJING = timezone(timedelta(hours=8))


def assert_sets_beijing_today(line: str, where: str) -> None:
    """``line`` sets GRIDSCORE_TODAY to today's date in Beijing (not the last commit's: a scheduled
    build must see the publicity windows end). It is run here, in a shell, and compared."""
    match = re.search(r'GRIDSCORE_TODAY="?\$\((date [^)]*)\)"?', line)
    assert match, f"{where} does not set GRIDSCORE_TODAY from `date`: {line!r}"
    before = datetime.now(BEIJING).date().isoformat()
    shown = subprocess.run(["bash", "-c", match.group(1)], capture_output=True, text=True, check=True).stdout.strip()
    after = datetime.now(BEIJING).date().isoformat()
    assert shown in {before, after}, f"{where}: `{match.group(1)}` gives {shown}, not today in Beijing ({before})"


# Every CI installs the exact versions of constraints.txt (PRODUCT.md §11: same commit + same constraints ⇒ same site).
INSTALL = "python -m pip install -c constraints.txt -e ."


def test_pages_builds_the_public_site_on_main_and_deploys_it() -> None:
    workflow = load(PAGES)
    on = triggers(workflow)
    assert on["push"] == {"branches": ["main"]} and "workflow_dispatch" in on
    # also daily, shortly after midnight in Beijing (16:xx UTC), so 公示中 turns into 公示期满 on time
    [schedule] = on["schedule"]
    minute, hour, *every_day = schedule["cron"].split()
    assert hour == "16" and 0 <= int(minute) < 60 and every_day == ["*", "*", "*"]
    assert workflow["permissions"] == {"contents": "read"}
    assert set(workflow["jobs"]) == {"build", "deploy"}
    # the build job may sign (attest) but still only reads the repository
    assert workflow["jobs"]["build"]["permissions"] == {
        "contents": "read",
        "id-token": "write",
        "attestations": "write",
    }

    build_steps = steps(workflow, "build")
    runs = [step.get("run", "") for step in build_steps]
    assert INSTALL in runs
    calls = [args for run in runs for args in invocations(run)]
    assert [args[0] for args in calls] == ["check", "verify", "build", "build", "verify"]
    build, again, site_check = calls[2], calls[3], calls[4]
    assert option_value(build, "--audience") in (None, "public") and option_value(again, "--audience") in (
        None,
        "public",
    )
    site_dir = option_value(build, "--site-dir")
    [upload] = uses(workflow, "build", "actions/upload-pages-artifact")
    assert upload["uses"] == "actions/upload-pages-artifact@v3"
    assert upload["with"]["path"] == site_dir == "_site"
    # built twice and compared, then checked against its manifest and a rebuild from git, before the upload
    second = option_value(again, "--site-dir")
    compare = next(run for run in runs if "diff -r" in run)
    assert second and f'diff -r _site "{second}"' in compare
    assert option_value(site_check, "--site") == "_site"
    names = [step.get("uses", step.get("run", "")) for step in build_steps]
    upload_at = names.index("actions/upload-pages-artifact@v3")
    assert next(i for i, run in enumerate(runs) if "verify --site" in run) < upload_at
    [attest] = uses(workflow, "build", "actions/attest-build-provenance")
    assert attest["uses"] == "actions/attest-build-provenance@v2"
    assert "_site/manifest.json" in attest["with"]["subject-path"]
    assert names.index(attest["uses"]) > upload_at

    # one "today" for check and build, set before both: Beijing's date, not the last commit's
    today = [index for index, run in enumerate(runs) if "GRIDSCORE_TODAY" in run]
    checked = next(index for index, run in enumerate(runs) if "gridscore check" in run)
    assert today and today[0] < checked
    assert "$GITHUB_ENV" in runs[today[0]] and "SOURCE_DATE_EPOCH" not in "".join(runs)
    assert_sets_beijing_today(runs[today[0]], "pages.yml")

    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [step["uses"] for step in deploy["steps"]] == ["actions/deploy-pages@v4"]


def test_the_internal_site_is_never_published() -> None:
    for where, args in all_invocations():
        if args[0] == "build" and option_value(args, "--audience") == "internal":
            if option_value(args, "--site-dir") == "$tmp/internal":  # a trial build in a fresh temp folder
                assert where.startswith(("review.yml review/", ".gitlab-ci.yml build-test")), where
                continue
            assert where.startswith("pages.yml build-internal/"), where
    gitlab_trial = load(GITLAB)["build-test"]
    assert "artifacts" not in gitlab_trial and "pages" not in gitlab_trial
    example = internal_example()
    assert "build-internal" not in load(PAGES)["jobs"], "the internal example must stay commented out"
    [(name, job)] = example.items()
    actions = [str(step.get("uses", "")).split("@")[0] for step in job["steps"]]
    assert "actions/upload-artifact" in actions
    assert not {"actions/upload-pages-artifact", "actions/deploy-pages"} & set(actions)
    [build] = [args for _, run in github_scripts({"jobs": example}) for args in invocations(run) if args[0] == "build"]
    assert option_value(build, "--audience") == "internal"
    [upload] = [step for step in job["steps"] if str(step.get("uses", "")).startswith("actions/upload-artifact")]
    assert upload["with"]["path"] == option_value(build, "--site-dir")


# ---------------------------------------------------------------- GitLab


def test_gitlab_stages_image_and_pip_cache() -> None:
    config = load(GITLAB)
    assert config["stages"] == ["check", "review", "deploy"]
    assert config["default"]["image"] == "python:3.11"
    assert config["variables"]["PIP_CACHE_DIR"] == "$CI_PROJECT_DIR/.cache/pip"
    assert config["default"]["cache"]["paths"] == [".cache/pip"]
    assert INSTALL in config["default"]["before_script"]
    assert config["default"]["cache"]["key"]["files"] == ["constraints.txt"]
    assert set(gitlab_jobs(config)) == {"check", "verify", "build-test", "diff", "pages"}
    for name, job in gitlab_jobs(config).items():
        assert job["stage"] in config["stages"], name


def test_gitlab_check_runs_on_merge_requests_and_the_default_branch() -> None:
    job = load(GITLAB)["check"]
    conditions = [rule["if"] for rule in job["rules"]]
    assert '$CI_PIPELINE_SOURCE == "merge_request_event"' in conditions
    assert "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" in conditions
    assert [args for line in job["script"] for args in invocations(line)] == [["check"]]


def test_gitlab_diff_keeps_the_report_and_updates_one_note() -> None:
    job = load(GITLAB)["diff"]
    assert [rule["if"] for rule in job["rules"]] == ['$CI_PIPELINE_SOURCE == "merge_request_event"']
    assert job["stage"] == "review" and job["needs"] == []
    script = job["script"]
    fetch = next(index for index, line in enumerate(script) if line.startswith("git fetch origin"))
    assert "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" in script[fetch]
    run = next(index for index, line in enumerate(script) if invocations(line))
    assert fetch < run
    [call] = invocations(script[run])
    assert call == [
        "diff",
        "${CI_MERGE_REQUEST_DIFF_BASE_SHA:-origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME}",
        "--full",
        "gridscore-diff.md",
    ]
    assert script[run].endswith("> diff.md || status=$?")
    assert script[-1] == 'exit "$status"'

    assert job["variables"]["GRIDSCORE_MARKER"] == MARKER
    [note] = [line for line in script if "$CI_API_V4_URL" in line]
    assert 'if [ -n "${GRIDSCORE_BOT_TOKEN:-}" ]; then' in note  # works without the token
    assert "$GRIDSCORE_MARKER" in note and MARKER not in note
    assert note.index("--request PUT") < note.index("--request POST")
    assert "merge_requests/$CI_MERGE_REQUEST_IID/notes" in note

    artifacts = job["artifacts"]
    assert artifacts["when"] == "always" and artifacts["paths"] == ["gridscore-diff.md", "diff.md"]
    from generator.diff_render import ARTIFACT

    assert artifacts["name"] == ARTIFACT  # the name the cut comment points to
    assert GITLAB_EXPOSE_AS.fullmatch(artifacts["expose_as"]), "GitLab accepts only ASCII letters, digits, -, _, space"


def test_gitlab_pages_publishes_the_public_build() -> None:
    job = load(GITLAB)["pages"]
    assert job["stage"] == "deploy"
    assert [rule["if"] for rule in job["rules"]] == ["$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"]
    calls = [args for line in job["script"] for args in invocations(line)]
    build, again = [args for args in calls if args[0] == "build"]
    assert option_value(build, "--audience") in (None, "public") and option_value(again, "--audience") in (
        None,
        "public",
    )
    # the published folder holds manifest.json: built twice and compared, then checked against a rebuild from git
    assert job["artifacts"]["paths"] == [option_value(build, "--site-dir")] == ["public"]
    assert f'diff -r public "{option_value(again, "--site-dir")}"' in job["script"]
    [site_check] = [args for args in calls if args[0] == "verify"]
    assert option_value(site_check, "--site") == "public" and job["variables"]["GIT_DEPTH"] == "0"
    today = next(index for index, line in enumerate(job["script"]) if "GRIDSCORE_TODAY" in line)
    assert today < next(index for index, line in enumerate(job["script"]) if invocations(line))
    assert_sets_beijing_today(job["script"][today], ".gitlab-ci.yml pages")
    assert "SOURCE_DATE_EPOCH" not in "".join(job["script"])
    # a pipeline schedule is set up in GitLab's web page, not in the file: the file says how
    text = GITLAB.read_text(encoding="utf-8")
    assert "流水线计划" in text and "10 0 * * *" in text and "Beijing" in text


# ---------------------------------------------------------------- PR / MR templates


@pytest.mark.parametrize("path", PR_TEMPLATES, ids=lambda path: path.parent.name)
def test_pull_request_templates_ask_the_right_questions(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for phrase in ("考评期", "社区", "封存", "更正公告", "gridscore check", "gridscore diff", "审核人"):
        assert phrase in text, phrase
    assert text.count("- [ ]") >= 5


def test_review_also_builds_both_sites_into_a_temporary_folder() -> None:
    """check ⊇ build is a promise; the review proves it on every PR, so a broken build cannot go green."""
    build = next(step for step in steps(load(REVIEW), "review") if step.get("id") == "build")
    assert "mktemp -d" in build["run"]
    assert 'gridscore build --audience public --site-dir "$tmp/public" || code=$?' in build["run"]
    assert 'gridscore build --audience internal --site-dir "$tmp/internal" || code=$?' in build["run"]
    gitlab = load(GITLAB)["build-test"]
    assert gitlab["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert 'gridscore build --audience internal --site-dir "$tmp/internal"' in gitlab["script"]
    # and builds the public site twice: a change that makes the site unreproducible cannot go green (§11)
    assert 'gridscore build --audience public --site-dir "$tmp/again" || code=$?' in build["run"]
    assert '! diff -rq "$tmp/public" "$tmp/again"' in build["run"] and "code=1" in build["run"]
    assert gitlab["script"][-1] == 'diff -rq "$tmp/public" "$tmp/again"'


def test_review_prints_data_with_workflow_commands_stopped() -> None:
    for step in steps(load(REVIEW), "review"):
        run = step.get("run", "")
        if "cat check-errors.txt" in run or "cat diff.md" in run and "GITHUB_STEP_SUMMARY" not in run:
            assert 'echo "::stop-commands::$token"' in run and 'echo "::$token::"' in run, step["name"]
