"""The notebook checks catch what breaks a course, and the plugin works on an instructor's own notebook.

Breakage is made in temporary copies (of the quizzes, of the package), never in the real files.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from case_text import HARM_ENDS, SECOND_CHANCE_CASES, case_text, step_text
from quiz_text import HEADER, QUIZZES, REMEDIATION_CASE, ROOT

from meso_training.cli import main
from meso_training.notebook_testing.check import check_notebook

pytestmark = pytest.mark.notebooks
pytest_plugins = ["pytester"]


def write_notebook(folder: Path, code: str, name: str = "mine.ipynb") -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# An instructor's own module"),
                                         nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / name
    nbformat.write(nb, path)
    return path


@pytest.fixture
def quizzes_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "quizzes"
    shutil.copytree(QUIZZES, copy)
    monkeypatch.setenv("MESO_TRAINING_QUIZZES", str(copy))
    return copy


def test_plugin_executes_and_plays_through_a_notebook_written_for_this_test(pytester: pytest.Pytester,
                                                                          quizzes_copy: Path) -> None:
    write_notebook(pytester.path, 'import meso_training\nmeso_training.show_module("orientation")')
    result = pytester.runpytest_subprocess("--meso-notebooks", "mine.ipynb", "-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*mine.ipynb::execute PASSED*", "*mine.ipynb::play-correct PASSED*",
                                 "*mine.ipynb::play-wrong PASSED*", "*mine.ipynb::play-branches PASSED*"])


def test_deleting_a_correct_option_makes_the_checks_fail(tmp_path: Path, quizzes_copy: Path) -> None:
    module = quizzes_copy / "00-orientation.yaml"
    text = module.read_text(encoding="utf-8")
    keyed = "        correct: true\n        feedback: >\n          Right. The dermis is the target."
    broken = text.replace(keyed, "        feedback: >\n          Right. The dermis is the target.", 1)
    assert broken != text
    module.write_text(broken, encoding="utf-8")
    notebook = write_notebook(tmp_path, 'import meso_training\nmeso_training.show_module("orientation")')
    executed = check_notebook(notebook, None)
    assert not executed.ok
    assert "single choice needs exactly one correct option, found 0" in executed.problems[0]
    played = check_notebook(notebook, "correct")
    assert played.problems[0].startswith("the notebook showed the trainee an error")


def test_breaking_an_import_in_the_package_makes_the_checks_fail(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "site" / "meso_training"
    shutil.copytree(ROOT / "meso_training", package, ignore=shutil.ignore_patterns("__pycache__"))
    grading = package / "engine" / "graders" / "short_text.py"
    grading.write_text(re.sub(r"^from meso_training.model.normalise import normalise_answer$",
                              "from meso_training.model.normalise import normalise_answr", grading.read_text(),
                              flags=re.MULTILINE), encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(package.parent))
    notebook = write_notebook(tmp_path, 'import meso_training\nmeso_training.show_module("orientation")')
    result = check_notebook(notebook, None)
    assert not result.ok
    assert "ImportError" in result.problems[0]
    assert "normalise_answr" in result.problems[0]


def test_check_notebooks_command_reports_each_check(tmp_path: Path, quizzes_copy: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    notebook = write_notebook(tmp_path, 'import meso_training\nmeso_training.show_module("orientation")')
    failing = write_notebook(tmp_path, "raise RuntimeError('broken on purpose')", name="broken.ipynb")
    code = main(["check-notebooks", str(notebook), str(failing)])
    out = capsys.readouterr().out
    assert code == 1
    assert f"ok   {notebook} [play-branches]" in out
    assert f"FAIL {failing} [execute]" in out
    assert "RuntimeError: broken on purpose" in out
    assert "1 failed" in out


def test_play_branches_reaches_an_ending_that_only_a_wrong_answer_leads_to(tmp_path: Path,
                                                                           quizzes_copy: Path) -> None:
    """The remediation step's own ending is behind a wrong decision: keyed answers alone never get there."""
    ending = "          - when: [go]\n            end: You went ahead a second time; the case stops here.\n"
    remediation = REMEDIATION_CASE
    fix_at = remediation.index("      - id: fix\n")
    rationale_at = remediation.index("        rationale:", fix_at)
    text = HEADER.replace("id: test-module", "id: second-chance") + (
        remediation[:rationale_at] + "        branches:\n" + ending + remediation[rationale_at:])
    (quizzes_copy / "70-second-chance.yaml").write_text(text, encoding="utf-8")
    notebook = write_notebook(tmp_path, 'import meso_training\nmeso_training.show_module("second-chance")')
    played = check_notebook(notebook, "branches")
    assert played.ok, played.problems


def test_check_notebooks_passes_cases_whose_wrong_answers_lead_to_steps_with_their_own_endings(
        tmp_path: Path, quizzes_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (quizzes_copy / "70-second-chance.yaml").write_text(
        HEADER.replace("id: test-module", "id: second-chance") + SECOND_CHANCE_CASES, encoding="utf-8")
    assert main(["validate", str(quizzes_copy)]) == 0
    notebook = write_notebook(tmp_path, 'import meso_training\nmeso_training.show_module("second-chance")')
    code = main(["check-notebooks", str(notebook)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"ok   {notebook} [play-branches]" in out
    assert "all notebooks passed" in out


def test_an_ending_branch_no_answer_can_take_fails_play_branches_in_one_sentence(tmp_path: Path,
                                                                                quizzes_copy: Path) -> None:
    """'when: incorrect' comes first and catches the harmful answer too: its ending is dead, the file valid."""
    shadowed = case_text("dead-case", step_text("d1", "        branches:\n          - when: incorrect\n"
                                             "            goto: d2\n" + HARM_ENDS) + step_text("d2"))
    (quizzes_copy / "70-dead-end.yaml").write_text(HEADER.replace("id: test-module", "id: dead-end") + shadowed,
                                                   encoding="utf-8")
    notebook = write_notebook(tmp_path, 'import meso_training\nmeso_training.show_module("dead-end")')
    played = check_notebook(notebook, "branches")
    assert played.problems == (
        "dead-end (branches): Case 'dead-case', step 'd1': the ending branch for choosing option 'go' is never "
        "taken, because an earlier branch of the step catches the same answers",)
