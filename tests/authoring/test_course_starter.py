"""An instructor's own course folder: what ``new-course`` and ``new-module`` write, what they refuse,
and a single module file validated against the rest of its course."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import nbformat
import pytest

from meso_training.authoring.course_notebooks import module_notebooks
from meso_training.authoring.course_starter import CourseFolder, find_course_folder, new_course, new_module
from meso_training.authoring.lint import lint_course
from meso_training.authoring.loader import load_course
from meso_training.authoring.notebook_files import preview_notebook
from meso_training.authoring.quiz_files import locate_course
from meso_training.cli import main
from meso_training.errors import CourseFolderError
from meso_training.model import Case, Mode

TODAY = dt.date(2026, 12, 4)
QUESTION_TYPES = {"single_choice", "multiple_response", "numeric", "short_text", "ordering", "matching"}


def make_course(root: Path, *module_ids: str) -> CourseFolder:
    new_course(root)
    folder = CourseFolder(root)
    for module_id in module_ids:
        new_module(folder, module_id, today=TODAY)
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_new_course_writes_the_registry_a_start_page_and_a_readme(tmp_path: Path) -> None:
    written = new_course(tmp_path / "my-course")
    root = tmp_path / "my-course"
    assert written == [root / "quizzes" / "sources.yaml", root / "notebooks" / "00-start-here.ipynb",
                       root / "README.md"]
    registry = (root / "quizzes" / "sources.yaml").read_text(encoding="utf-8")
    assert "EXAMPLES" in registry
    assert "replace" in registry
    readme = (root / "README.md").read_text(encoding="utf-8")
    for command in ("meso-training validate", "meso-training lint", "meso-training new-module",
                    "meso-training preview", "meso-training check-notebooks", "pytest --meso-notebooks"):
        assert command in readme
    start = nbformat.read(root / "notebooks" / "00-start-here.ipynb", as_version=4)
    nbformat.validate(start)
    assert "meso_training.show_progress()" in start.cells[-1].source
    assert locate_course(cwd=root / "notebooks").paths == (root / "quizzes",)


def test_new_module_writes_every_question_type_and_a_branching_case_that_validate_and_lint_clean(
        tmp_path: Path) -> None:
    folder = make_course(tmp_path / "course", "scalp-hair")
    course = load_course([folder.quizzes])
    module = course.module("scalp-hair")
    assert {q.type for _, q in module.questions()} == QUESTION_TYPES
    cases = [item for item in module.items if isinstance(item, Case)]
    assert len(cases) == 1
    endings = [b for step in cases[0].steps for b in step.branches if b.end is not None]
    assert endings
    assert all(b.when for b in endings)
    assert {s for _, q in module.questions() for s in q.sources} <= course.registry.known_ids()
    assert module.order == 10
    assert module.version == "2026.12"
    assert lint_course(course, today=TODAY) == []
    assert "Example" in module.title


def test_new_module_notebook_is_clean_thin_and_linked_from_the_start_page(tmp_path: Path) -> None:
    folder = make_course(tmp_path / "course", "scalp-hair", "peels")
    names = sorted(p.name for p in folder.notebooks.glob("*.ipynb"))
    assert names == ["00-start-here.ipynb", "10-scalp-hair.ipynb", "20-peels.ipynb"]
    nb = nbformat.read(folder.notebooks / "10-scalp-hair.ipynb", as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"] == {"name": "python3", "display_name": "Python 3", "language": "python"}
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.source for c in code] == ['import meso_training\n\nmeso_training.show_module("scalp-hair")']
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert module_notebooks(folder.notebooks) == {("scalp-hair", Mode.PRACTICE): folder.notebooks / names[1],
                                                  ("peels", Mode.PRACTICE): folder.notebooks / names[2]}


def test_new_course_refuses_a_folder_that_is_not_empty_and_leaves_it_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(CourseFolderError, match=re.escape(f"{tmp_path} already exists and is not empty; "
                                                          "nothing was written.")):
        new_course(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_new_course_accepts_an_empty_folder(tmp_path: Path) -> None:
    new_course(tmp_path)
    assert (tmp_path / "quizzes" / "sources.yaml").is_file()


@pytest.mark.parametrize("bad", ["Scalp_Hair", "-lead", "with space", "x" * 51, "../escape", ""])
def test_new_module_refuses_an_id_that_is_not_a_valid_module_id(tmp_path: Path, bad: str) -> None:
    folder = make_course(tmp_path / "course")
    with pytest.raises(CourseFolderError, match=re.escape(f"{bad!r} is not a valid module id")):
        new_module(folder, bad, today=TODAY)
    assert sorted(p.name for p in folder.quizzes.iterdir()) == ["sources.yaml"]


def test_new_module_refuses_an_id_the_course_already_has_even_in_a_file_named_otherwise(tmp_path: Path) -> None:
    folder = make_course(tmp_path / "course", "scalp-hair")
    (folder.quizzes / "scalp-hair.yaml").rename(folder.quizzes / "10-hair.yaml")
    before = (folder.quizzes / "10-hair.yaml").read_text(encoding="utf-8")
    with pytest.raises(CourseFolderError, match=re.escape("the course already has a module 'scalp-hair'")):
        new_module(folder, "scalp-hair", today=TODAY)
    assert (folder.quizzes / "10-hair.yaml").read_text(encoding="utf-8") == before
    assert not (folder.quizzes / "scalp-hair.yaml").exists()


def test_the_course_folder_is_found_from_inside_it_or_refused_with_a_plain_message(tmp_path: Path) -> None:
    folder = make_course(tmp_path / "course")
    assert find_course_folder(folder.notebooks).root == folder.root.absolute()
    with pytest.raises(CourseFolderError, match="is not inside a course folder"):
        find_course_folder(tmp_path)


def test_cli_new_module_inside_the_folder_names_the_course_and_the_files(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str],
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(capsys, "new-course", str(tmp_path / "course"))[0] == 0
    monkeypatch.chdir(tmp_path / "course" / "notebooks")
    code, out, err = run(capsys, "new-module", "scalp-hair")
    assert code == 0
    assert f"Course: {tmp_path / 'course'}" in err
    assert "Wrote quizzes/scalp-hair.yaml" in out
    assert "Wrote notebooks/10-scalp-hair.ipynb" in out
    code, _, err = run(capsys, "new-module", "scalp-hair")
    assert code == 2
    assert "error: the course already has a module 'scalp-hair'" in err


def test_cli_new_course_refuses_a_used_folder_without_a_traceback(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x").write_text("", encoding="utf-8")
    code, out, err = run(capsys, "new-course", str(tmp_path))
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {tmp_path} already exists and is not empty")
    assert "Traceback" not in err


def test_validating_one_file_says_one_module_and_which_course_it_was_checked_against(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_course(tmp_path / "course", "alpha", "beta")
    code, out, err = run(capsys, "validate", str(folder.quizzes / "alpha.yaml"))
    assert code == 0
    assert out == "OK: 1 module, 8 questions, no problems found\n"
    assert f"checked alpha.yaml against the course in {folder.quizzes} (2 modules)" in err


def test_validating_one_file_finds_an_id_another_module_of_the_course_already_uses(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_course(tmp_path / "course", "alpha", "beta")
    beta = folder.quizzes / "beta.yaml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("id: beta-where-written\n", "id: alpha-where-written\n"),
                    encoding="utf-8")
    # alpha.yaml sorts first: read alone, or first in the course, it would not be the one reported
    code, out, _ = run(capsys, "validate", str(folder.quizzes / "alpha.yaml"))
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[-1] == "1 problem found"
    assert lines[0].startswith(f"{folder.quizzes / 'alpha.yaml'}:")
    assert f"duplicate id 'alpha-where-written', first used at {beta}:" in lines[0]


def test_validating_one_file_finds_a_source_missing_from_the_course_registry(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_course(tmp_path / "course", "alpha", "beta")
    alpha = folder.quizzes / "alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("sources: [EX-2]", "sources: [EX-7]", 1),
                     encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(alpha))
    assert code == 1
    assert f"{alpha}:" in out
    assert "unknown source id 'EX-7'" in out
    assert out.splitlines()[-1] == "1 problem found"


def test_validating_one_file_notes_but_does_not_blame_it_for_problems_of_other_files(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_course(tmp_path / "course", "alpha", "beta")
    beta = folder.quizzes / "beta.yaml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("sources: [EX-2]", "sources: [EX-7]", 1),
                    encoding="utf-8")
    code, out, err = run(capsys, "validate", str(folder.quizzes / "alpha.yaml"))
    assert code == 0
    assert out.startswith("OK: 1 module")
    assert "note: other files of the course have 1 problem; run meso-training validate in the course folder" in err


def test_the_preview_notebook_shows_the_file_in_preview_mode_at_the_chosen_question(tmp_path: Path) -> None:
    file = tmp_path / 'odd "name".yaml'
    text = preview_notebook(file, "alpha", start_at="alpha-where-written")
    (tmp_path / "preview.ipynb").write_text(text, encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    nbformat.validate(nb)
    code = nb.cells[-1].source
    assert code.endswith(f'show_module("alpha", quizzes=[{json.dumps(str(file))}], preview=True, '
                         'start_at="alpha-where-written")')
    compile(code, "preview", "exec")
    assert module_notebooks(tmp_path) == {}  # a preview (quizzes= given) is not the home of the course's module
