"""Every validation rule, each proven with a bad file: the file, line, field and message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from quiz_text import HEADER, SINGLE, line_of, module_text

from meso_training.authoring.loader import load_course
from meso_training.errors import Problem, QuizFormatError
from meso_training.model import Case, Course

Problems = Callable[..., list[Problem]]

CASE = """\
  - id: c1
    type: case
    kind: suitability
    title: A case
    vignette: A patient asks for treatment.
    patient: {age: 30, sex: female, pregnant: true, goals: [glow]}
    steps:
      - id: s1
        type: single_choice
        topic: suitability
        difficulty: easy
        points: 1
        prompt: What now?
        options:
          - {id: treat, text: Treat today, critical: true, feedback: Unsafe in pregnancy.}
          - {id: defer, text: Defer, correct: true, feedback: Safe choice.}
        branches:
          - when: [treat]
            end: The case ends with harm.
        rationale: Mesotherapy is not recommended in pregnancy.
        sources: [SUIT-4]
        reviewed: 2026-01-01
        review_by: 2027-01-01
      - id: s2
        type: short_text
        topic: suitability
        difficulty: easy
        points: 1
        prompt: Name one thing to offer instead.
        accepted: [skin care]
        feedback: {correct: Good., incorrect: Consider skin care.}
        rationale: Safer alternatives should be discussed.
        sources: [SUIT-6]
        reviewed: 2026-01-01
        review_by: 2027-01-01
"""


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_valid_module_loads_into_frozen_objects(load_text: Callable[..., Course]) -> None:
    course = load_text(module_text(SINGLE, CASE))
    module = course.module("test-module")
    assert [q.id for _, q in module.questions()] == ["q1", "s1", "s2"]
    assert isinstance(module.items[1], Case)
    with pytest.raises(Exception, match="frozen"):
        module.items[0].prompt = "changed"  # type: ignore[misc]


def test_yaml_syntax_error_names_file_and_line(problems_for: Problems, quiz_dir: Path) -> None:
    text = module_text().replace("    points: 1\n", "    points: [1\n")
    problem = only(problems_for(text))
    assert problem.path == quiz_dir / "module.yaml"
    assert "YAML syntax error" in problem.message
    assert problem.line >= line_of(text, "points: [1")


def test_unknown_field_is_reported_with_a_suggestion(problems_for: Problems) -> None:
    text = module_text().replace("    rationale:", "    rationle: x\n    rationale:")
    problems = problems_for(text)
    unknown = next(p for p in problems if p.message == "unknown field")
    assert unknown.field == "test-module › q1 › rationle"
    assert unknown.line == line_of(text, "rationle")
    assert "rationale" in unknown.hint


def test_missing_field_is_reported_at_its_item(problems_for: Problems) -> None:
    rationale = "    rationale: The technique delivers small doses into the middle layer of the skin.\n"
    text = module_text().replace(rationale, "")
    problem = only(problems_for(text))
    assert (problem.field, problem.message) == ("test-module › q1 › rationale", "required field is missing")
    assert problem.line == line_of(text, "  - id: q1")


def test_yes_read_as_boolean_gets_a_quoting_hint(problems_for: Problems) -> None:
    text = module_text().replace("text: Into the muscle", "text: yes")
    problem = only(problems_for(text))
    assert problem.field == "test-module › q1 › options › b › text"
    assert "quotes" in problem.hint


def test_duplicate_ids_across_files_name_the_first_use(load_text: Callable[..., Course],
                                                        problems_for: Problems, quiz_dir: Path) -> None:
    (quiz_dir / "a.yaml").write_text(module_text().replace("id: test-module", "id: other"), encoding="utf-8")
    problems = problems_for(module_text(), name="b.yaml")
    problem = only(problems)
    assert problem.path == quiz_dir / "b.yaml"
    assert problem.message.startswith("duplicate id 'q1', first used at ")
    assert str(quiz_dir / "a.yaml") in problem.message


@pytest.mark.parametrize(("correct_flags", "found"), [((False, False), 0), ((True, True), 2)])
def test_single_choice_needs_exactly_one_correct_option(problems_for: Problems, correct_flags: tuple[bool, bool],
                                                        found: int) -> None:
    text = module_text().replace("        correct: true\n", "")
    if correct_flags[0]:
        text = text.replace("        feedback: Right", "        correct: true\n        feedback: Right")
        text = text.replace("        feedback: Too deep", "        correct: true\n        feedback: Too deep")
    problem = only(problems_for(text))
    assert problem.message == f"single choice needs exactly one correct option, found {found}"
    assert problem.line == line_of(text, "    options:")


NUMERIC = """\
  - id: n1
    type: numeric
    topic: results
    difficulty: easy
    points: 1
    prompt: How many sessions are usually recommended?
    answer: {ANSWER}
    unit: sessions
    feedback: {correct: Yes., incorrect: Four to six.}
    rationale: A series of four to six sessions is the usual recommendation.
    sources: [RES-2]
    reviewed: 2026-01-01
    review_by: 2027-01-01
"""


@pytest.mark.parametrize(("answer", "message"), [
    ("{value: 5, tolerance: -1}", "tolerance must not be negative, got -1.0"),
    ("{min: 6, max: 4}", "empty range: min 6.0 is not below max 4.0"),
    ("{min: 4}", "numeric answer needs value (with tolerance) or both min and max"),
])
def test_numeric_answer_rules(problems_for: Problems, answer: str, message: str) -> None:
    text = module_text(NUMERIC.replace("{ANSWER}", answer))
    problem = only(problems_for(text))
    assert problem.message == message
    assert problem.line == line_of(text, "answer:")


def test_ordering_with_duplicate_steps_is_rejected(problems_for: Problems) -> None:
    item = """\
  - id: o1
    type: ordering
    topic: suitability
    difficulty: easy
    points: 1
    prompt: Put these in order.
    steps:
      - {id: evaluate, text: Evaluate}
      - {id: consent, text: Consent}
      - {id: evaluate, text: Evaluate again}
    feedback: {correct: Yes., incorrect: Evaluate first.}
    rationale: Evaluation precedes consent because it finds contraindications.
    sources: [SUIT-1]
    reviewed: 2026-01-01
    review_by: 2027-01-01
"""
    text = module_text(item)
    problem = only(problems_for(text))
    assert (problem.field, problem.message) == ("test-module › o1 › evaluate", "duplicate step id 'evaluate'")
    assert problem.line == line_of(text, "Evaluate again")


def test_branch_to_unknown_step_is_rejected(problems_for: Problems) -> None:
    text = module_text(CASE.replace("            end: The case ends with harm.", "            goto: s9"))
    problem = only(problems_for(text))
    assert problem.message == "branch goes to unknown step 's9'"
    assert problem.field == "test-module › c1 › s1 › branches › #1 › goto"
    assert problem.line == line_of(text, "goto: s9")


def test_case_that_can_loop_forever_is_rejected(problems_for: Problems) -> None:
    looping = CASE.replace("        sources: [SUIT-6]", "        next: s1\n        sources: [SUIT-6]")
    text = module_text(looping)
    problem = only(problems_for(text))
    assert problem.message == "the case can loop forever: s1 -> s2 -> s1"
    assert problem.line == line_of(text, "    steps:")


def test_unreachable_step_is_rejected(problems_for: Problems) -> None:
    text = module_text(CASE.replace("        branches:", "        next: s1x\n        branches:")
                       .replace("next: s1x", "next: s1"))
    problems = problems_for(text)
    messages = {p.message for p in problems}
    assert "step 's2' can never be reached" in messages
    unreachable = next(p for p in problems if p.message == "step 's2' can never be reached")
    assert unreachable.line == line_of(text, "      - id: s2")


def test_unknown_source_id_suggests_the_close_one(problems_for: Problems) -> None:
    text = module_text().replace("sources: [NAT-1]", "sources: [NAT1]")
    problem = only(problems_for(text))
    assert problem.message == "unknown source id 'NAT1'"
    assert problem.hint == "did you mean 'NAT-1'?"
    assert problem.line == line_of(text, "sources:")


@pytest.mark.parametrize("field_name", ["prompt", "rationale"])
def test_empty_prompt_or_rationale_is_rejected(problems_for: Problems, field_name: str) -> None:
    lines = [f"    {field_name}: '   '" if line.startswith(f"    {field_name}:") else line
             for line in module_text().splitlines()]
    text = "\n".join(lines) + "\n"
    problem = only(problems_for(text))
    assert problem.field == f"test-module › q1 › {field_name}"
    assert problem.hint == "this must not be empty"
    assert problem.line == line_of(text, f"{field_name}: '   '")


@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                                     "[click](javascript:alert(1))"])
def test_raw_html_or_script_in_text_is_rejected(problems_for: Problems, payload: str) -> None:
    text = module_text().replace("prompt: Where does mesotherapy inject?", f"prompt: '{payload}'")
    problem = only(problems_for(text))
    assert problem.message == "raw HTML or script is not allowed in text"
    assert problem.field == "test-module › q1 › prompt"
    assert problem.line == line_of(text, "prompt:")


def test_all_problems_of_a_run_are_reported_together(problems_for: Problems, quiz_dir: Path) -> None:
    (quiz_dir / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    text = module_text().replace("sources: [NAT-1]", "sources: [NOPE]").replace("difficulty: easy", "difficulty: 9")
    problems = problems_for(text)
    assert {p.path.name for p in problems} == {"broken.yaml", "module.yaml"}
    assert len(problems) == 2  # schema error stops that file's deeper checks; the syntax error is the other


def test_anchors_and_aliases_are_refused(problems_for: Problems) -> None:
    text = HEADER.replace("objectives:\n", "objectives: &objs\n") + SINGLE + "extra: *objs\n"
    problem = only(problems_for(text))
    assert problem.message == "anchors and aliases (&name, *name) are not supported"
    assert problem.line == line_of(text, "&objs")


def test_invalid_utf8_names_its_line(quiz_dir: Path, problems_for: Problems) -> None:
    text = module_text()
    (quiz_dir / "module.yaml").write_bytes(text.encode().replace(b"Into the muscle", b"Into the m\xffscle"))
    with pytest.raises(QuizFormatError) as info:
        load_course([quiz_dir])
    problem = only(info.value.problems)
    assert problem.message == "the file is not valid UTF-8 text"
    assert problem.line == line_of(text, "Into the muscle")


def test_review_by_must_follow_reviewed(problems_for: Problems) -> None:
    text = module_text().replace("review_by: 2027-01-01", "review_by: 2025-01-01")
    assert only(problems_for(text)).message == "review_by must come after reviewed"


def test_critical_option_cannot_be_correct(problems_for: Problems) -> None:
    text = module_text().replace("        correct: true\n", "        correct: true\n        critical: true\n")
    problem = only(problems_for(text))
    assert problem.message == "a critical (harmful) option cannot be correct"
    assert problem.field == "test-module › q1 › options › a › critical"


def test_content_hash_changes_with_content_not_with_review_dates(load_text: Callable[..., Course]) -> None:
    first = load_text(module_text()).module("test-module").items[0]
    redated = load_text(module_text().replace("reviewed: 2026-01-01", "reviewed: 2026-02-01"))
    edited = load_text(module_text().replace("Too deep for", "Much too deep for"))
    assert isinstance(first, Case) is False
    assert first.content_hash() == redated.module("test-module").items[0].content_hash()  # type: ignore[union-attr]
    assert first.content_hash() != edited.module("test-module").items[0].content_hash()  # type: ignore[union-attr]


def test_the_real_course_loads(course: Course) -> None:
    assert course.module("orientation").questions()
