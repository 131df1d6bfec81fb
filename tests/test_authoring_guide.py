"""Every YAML example in the authoring guide is a real, valid piece of a course, as the guide says.

Instructors copy these examples into quiz files, so each one is built into what it claims
to be (a whole module; one entry of a module's ``items:`` pasted under the guide's own
module; an entry of the source registry) and checked twice: by the loader against the
shipped registry, as ``meso-training validate`` checks it, and against the JSON Schema that
``meso-training schema`` exports for editors, as the guide's editor set-up uses it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from quiz_text import QUIZZES, ROOT

from meso_training.authoring.lint import lint_course
from meso_training.authoring.loader import load_course
from meso_training.cli import main
from meso_training.model import QUESTION_TAGS, Case, Course, SourceRegistry

GUIDE = ROOT / "docs" / "authoring.md"
BLOCKS: list[str] = re.findall(r"^```yaml\n(.*?)^```", GUIDE.read_text(encoding="utf-8"),
                                flags=re.DOTALL | re.MULTILINE)


def _kind(block: str) -> str:
    data = yaml.safe_load(block)
    if isinstance(data, dict) and "items" in data:
        return "module"
    if isinstance(data, list):
        return "items"
    if isinstance(data, dict) and set(data) <= {"facts", "references", "course_title"}:
        return "registry"
    return "unknown"


MODULES: list[str] = [b for b in BLOCKS if _kind(b) == "module"]


def _as_module_file(block: str) -> str:
    """The text a quiz file holds for this example: a module, or the entries pasted under the guide's module."""
    if _kind(block) == "module":
        return block
    header = MODULES[0]
    items_line = header.index("\nitems:")
    return header[: header.index("\n", items_line + 1) + 1] + block


def _as_an_editor_sees_it(text: str) -> Any:
    """The YAML as JSON: dates stay the strings they are in the file."""
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


def _exported_schema(capsys: pytest.CaptureFixture[str], *flags: str) -> Any:
    capsys.readouterr()
    assert main(["schema", *flags]) == 0
    return json.loads(capsys.readouterr().out)


def _registry_with(block: str) -> dict[str, Any]:
    shipped = yaml.safe_load((QUIZZES / "sources.yaml").read_text(encoding="utf-8"))
    for part, entries in yaml.safe_load(block).items():
        if isinstance(entries, dict):
            assert not set(entries) & set(shipped[part]), "the example must add new ids, not reuse the course's"
            shipped[part] = {**shipped[part], **entries}
        else:
            shipped[part] = entries
    return dict(shipped)


def _load(quiz_dir: Path, text: str) -> Course:
    (quiz_dir / "example.yaml").write_text(text, encoding="utf-8")
    return load_course([quiz_dir])


def test_the_guide_has_a_complete_module_first_and_examples_of_every_kind() -> None:
    kinds = [_kind(b) for b in BLOCKS]
    assert kinds[0] == "module"
    assert "unknown" not in kinds, [b[:80] for b in BLOCKS if _kind(b) == "unknown"]
    assert {"module", "items", "registry"} <= set(kinds)
    assert all("\n    ...\n" not in b for b in BLOCKS), "every example is complete, no fields left out"


@pytest.mark.parametrize("block", [b for b in BLOCKS if _kind(b) != "registry"],
                         ids=lambda b: str(yaml.safe_load(b)[0]["id"] if _kind(b) == "items" else "module"))
def test_each_question_and_case_example_validates_with_the_loader_and_the_schema(
        block: str, quiz_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _as_module_file(block)
    course = _load(quiz_dir, text)
    (module,) = course.modules
    if _kind(block) == "items":
        assert {item.id for item in module.items} >= {entry["id"] for entry in yaml.safe_load(block)}
    jsonschema.validate(_as_an_editor_sees_it(text), _exported_schema(capsys))


@pytest.mark.parametrize("block", [b for b in BLOCKS if _kind(b) == "registry"])
def test_each_registry_example_validates_as_part_of_the_shipped_registry(
        block: str, capsys: pytest.CaptureFixture[str]) -> None:
    registry = _registry_with(block)
    model = SourceRegistry.model_validate(registry)
    assert set(yaml.safe_load(block)["references"]) <= set(model.references)
    jsonschema.validate(_as_an_editor_sees_it(json.dumps(registry)), _exported_schema(capsys, "--registry"))


def test_a_question_citing_the_registry_example_validates_once_the_reference_is_added(quiz_dir: Path) -> None:
    (registry_block,) = [b for b in BLOCKS if _kind(b) == "registry"]
    (new_id,) = yaml.safe_load(registry_block)["references"]
    (quiz_dir / "sources.yaml").write_text(yaml.safe_dump(_registry_with(registry_block), allow_unicode=True),
                                           encoding="utf-8")
    text = MODULES[0].replace("sources: [SUIT-4]", f"sources: [SUIT-4, {new_id}]", 1)
    assert text != MODULES[0]
    course = _load(quiz_dir, text)
    (question, *_) = course.modules[0].items
    assert not isinstance(question, Case)
    assert new_id in question.sources


def test_every_question_type_of_the_model_has_an_example_in_the_guide() -> None:
    shown: set[str] = set()
    for block in BLOCKS:
        if _kind(block) == "registry":
            continue
        data = yaml.safe_load(block)
        for item in data["items"] if isinstance(data, dict) else data:
            shown.add(item["type"])
            shown.update(step["type"] for step in item.get("steps", []) if isinstance(step, dict) and "type" in step)
    assert set(QUESTION_TAGS) <= shown, sorted(set(QUESTION_TAGS) - shown)
    assert "case" in shown


def test_the_guide_has_a_case_whose_wrong_answer_leads_to_a_step_with_its_own_ending() -> None:
    cases = [item for b in BLOCKS if _kind(b) == "items" for item in yaml.safe_load(b) if item["type"] == "case"]
    remediation = [
        (case["id"], branch["goto"]) for case in cases for step in case["steps"]
        for branch in step.get("branches", []) if branch.get("when") == "incorrect" and "goto" in branch]
    assert remediation
    steps = {s["id"]: s for case in cases for s in case["steps"]}
    assert any(any("end" in b for b in steps[goto].get("branches", [])) for _, goto in remediation)


def test_the_editor_set_up_says_what_to_write() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("## Editor set-up"):]
    section = section[: section.index("\n## ", 1)]
    assert "redhat.vscode-yaml" in section
    assert "meso-training schema > quizzes/module.schema.json" in section
    assert "# yaml-language-server: $schema=module.schema.json" in section
    assert '"yaml.schemas"' in section
    assert MODULES[0].startswith("# yaml-language-server: $schema=module.schema.json\n")


def test_the_examples_together_are_a_module_lint_finds_nothing_in(quiz_dir: Path) -> None:
    """Instructors copy these as the model of a good question: they must not teach a give-away."""
    text = MODULES[0] + "".join(b for b in BLOCKS if _kind(b) == "items")
    course = _load(quiz_dir, text)
    assert lint_course(course, today=dt.date(2026, 12, 1)) == []
