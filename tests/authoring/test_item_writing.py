"""The item-writing lint: each rule fires on the flaw and stays quiet on a sound item; waivers; the CLI.

Modules are written here as small YAML texts (as tests/quiz_text.py does), loaded against the
course's real source registry, so a rule is tested on what an instructor would write.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from quiz_text import HEADER

from meso_training.authoring.item_writing import answer_length_balance, module_flaws, question_flaws
from meso_training.authoring.lint import lint_course
from meso_training.cli import main
from meso_training.model import Course, QuestionType

TODAY = dt.date(2026, 12, 3)
Options = tuple[tuple[str, str, bool], ...]
SOUND: Options = (("a", "Delay the session by two weeks", False),
                  ("b", "Refer her to her prescriber first", True),
                  ("c", "Treat today at a lower volume", False),
                  ("d", "Stop the anticoagulant for a week", False))
"""Options of similar length and form, no absolute words: no rule fires on them."""


def question(qid: str, prompt: str, options: Options, *, kind: str = "single_choice", extra: str = "") -> str:
    """A question as it appears in a quiz file; texts are JSON strings, which YAML reads as they are."""
    lines = [f"  - id: {qid}", f"    type: {kind}", "    topic: suitability", "    difficulty: easy", "    points: 1",
             f"    prompt: {json.dumps(prompt)}", "    options:"]
    for oid, text, correct in options:
        lines += [f"      - id: {oid}", f"        text: {json.dumps(text)}",
                  f"        feedback: {json.dumps(f'Why option {oid} of {qid} is right or wrong.')}"]
        if correct:
            lines.append("        correct: true")
    lines += ["    rationale: A sound plan weighs the bleeding risk against the wish for treatment today.",
              "    sources: [NAT-1]", "    reviewed: 2026-12-01", "    review_by: 2027-12-01"]
    return "\n".join(lines) + "\n" + extra


def module(*questions: str) -> str:
    return HEADER + "".join(questions)


Loader = Callable[..., Course]


def flaws_of(load_text: Loader, prompt: str, options: Options, *, kind: str = "single_choice",
             extra: str = "") -> dict[str, str]:
    """Rule -> message for one question."""
    course = load_text(module(question("q1", prompt, options, kind=kind, extra=extra)))
    q: QuestionType = course.module("test-module").questions()[0][1]
    return {f.rule: f.message for f in question_flaws(q)}


def test_a_sound_item_has_no_flaws_and_no_findings(load_text: Loader) -> None:
    course = load_text(module(question("q1", "What do you do about her new anticoagulant?", SOUND)))
    assert lint_course(course, today=TODAY) == []


def test_keyed_longest_fires_when_the_key_is_much_longer(load_text: Loader) -> None:
    options = (*SOUND[:1], ("b", "Refer her to her prescriber to weigh the bleeding risk before any session", True),
               *SOUND[2:])
    found = flaws_of(load_text, "What do you do?", options)
    assert "by far the longest (73 characters, the longest wrong one 33)" in found["keyed-longest"]


def test_keyed_longest_spares_a_key_a_little_longer(load_text: Loader) -> None:
    options = (*SOUND[:1], ("b", "Refer her to her prescriber first, today", True), *SOUND[2:])  # 40 vs 33: < 1.25x
    assert "keyed-longest" not in flaws_of(load_text, "What do you do?", options)


def test_keyed_longest_compares_means_in_a_multiple_response_question(load_text: Loader) -> None:
    long_keys = (("a", "Ask about anticoagulants, antiplatelets and supplements", True),
                 ("b", "Ask about previous bruising after injections or dental work", True),
                 ("c", "Her star sign", False), ("d", "Her favourite colour", False))
    assert "keyed-longest" in flaws_of(load_text, "What do you ask?", long_keys, kind="multiple_response")
    even = (("a", "Ask about anticoagulants", True), ("b", "Ask about past bruising", True),
            ("c", "Ask about her holidays", False), ("d", "Ask about her diet plan", False))
    assert "keyed-longest" not in flaws_of(load_text, "What do you ask?", even, kind="multiple_response")


@pytest.mark.parametrize("text", ["All of the above", "None of the above", "none of the  above options"])
def test_all_or_none_of_the_above_fires(load_text: Loader, text: str) -> None:
    found = flaws_of(load_text, "What do you do?", (*SOUND[:3], ("d", text, False)))
    assert "option d reads 'all/none of the above'" in found["all-none-of-the-above"]


def test_above_in_other_words_does_not_fire(load_text: Loader) -> None:
    options = (*SOUND[:3], ("d", "Mark the site above the brow", False))
    assert "all-none-of-the-above" not in flaws_of(load_text, "What do you do?", options)


def test_absolute_terms_only_in_distractors_fire(load_text: Loader) -> None:
    options = (("a", "It is always safe to treat today", False), ("b", "Refer her to her prescriber first", True),
               ("c", "Never treat anyone on warfarin", False), ("d", "Stop the anticoagulant for a week", False))
    found = flaws_of(load_text, "What do you do?", options)
    assert found["absolute-terms"].startswith("'always', 'never', 'safe' appear only in wrong options")


def test_absolute_terms_in_the_key_as_well_do_not_fire(load_text: Loader) -> None:
    options = (("a", "Always treat today at a lower volume", False), ("b", "Always refer her to her prescriber", True),
               *SOUND[2:])
    assert "absolute-terms" not in flaws_of(load_text, "What do you do?", options)


def test_words_that_contain_an_absolute_term_do_not_fire(load_text: Loader) -> None:
    options = (("a", "Discuss safety and usually treat", False), *SOUND[1:])  # safety, usually: not absolute
    assert "absolute-terms" not in flaws_of(load_text, "What do you do?", options)


def test_clang_association_fires_on_a_prompt_word_echoed_only_in_the_key(load_text: Loader) -> None:
    options = (*SOUND[:1], ("b", "Refer her to her prescriber about the warfarin", True), *SOUND[2:])
    found = flaws_of(load_text, "She takes warfarin. What do you do?", options)
    assert found["clang-association"].startswith("'warfarin' from the prompt recurs in the correct option")


def test_clang_association_is_quiet_when_a_distractor_shares_the_word(load_text: Loader) -> None:
    options = (*SOUND[:1], ("b", "Refer her to her prescriber about the warfarin", True),
               ("c", "Treat today and stop the warfarin", False), SOUND[3])
    assert "clang-association" not in flaws_of(load_text, "She takes warfarin. What do you do?", options)


def test_clang_association_ignores_short_and_function_words(load_text: Loader) -> None:
    options = (*SOUND[:1], ("b", "Refer her to her GP which is best", True), *SOUND[2:])  # her, GP, which, best
    assert "clang-association" not in flaws_of(load_text, "Which is best for her GP?", options)


def test_clang_association_counts_a_plural_as_the_same_word(load_text: Loader) -> None:
    options = (*SOUND[:1], ("b", "Space the injections and refer", True), *SOUND[2:])
    assert "clang-association" in flaws_of(load_text, "How do you plan the injection?", options)


def test_mixed_form_fires_on_full_stops_in_some_options_only(load_text: Loader) -> None:
    options = (*SOUND[:1], ("b", "Refer her to her prescriber first.", True), *SOUND[2:])
    assert "some options end with a full stop (b)" in flaws_of(load_text, "What do you do?", options)["mixed-form"]


def test_mixed_form_fires_on_instructions_mixed_with_things(load_text: Loader) -> None:
    options = (*SOUND[:2], ("c", "A lower volume today", False), ("d", "The anticoagulant stopped", False))
    found = flaws_of(load_text, "What do you do?", options)
    assert found["mixed-form"].startswith("options a, b start with an instruction (a verb) and c, d with a thing")


def test_mixed_form_is_quiet_when_the_form_is_unclear_or_uniform(load_text: Loader) -> None:
    unclear = (("a", "Bruising that fades in days", True), ("b", "Hypersensitivity to lidocaine", False),
               ("c", "Vascular occlusion", False), ("d", "Infection with mycobacteria", False))
    assert "mixed-form" not in flaws_of(load_text, "What is it most likely?", unclear)
    assert "mixed-form" not in flaws_of(load_text, "What do you do?", SOUND)


@pytest.mark.parametrize("prompt", ["Which of these is not a contraindication?",
                                    "All of these apply except one. Which one?",
                                    "Which patient is the least suitable today?",
                                    "Which patient cannot be treated today?"])
def test_a_negative_stem_without_emphasis_fires(load_text: Loader, prompt: str) -> None:
    assert "negative-stem" in flaws_of(load_text, prompt, SOUND)


@pytest.mark.parametrize("prompt", ["Which of these is NOT a contraindication?",
                                    "Which of these is **not** a contraindication?",
                                    "She has not eaten today. What do you do?",
                                    "At least how many weeks do you wait?"])
def test_an_emphasised_or_positive_question_does_not_fire(load_text: Loader, prompt: str) -> None:
    assert "negative-stem" not in flaws_of(load_text, prompt, SOUND)


def test_an_ordering_from_most_to_least_is_not_a_negative_stem(load_text: Loader) -> None:
    text = module("""\
  - id: q1
    type: ordering
    topic: foundations
    difficulty: easy
    points: 1
    prompt: Order these uses from the best-supported to the least supported.
    steps:
      - {id: pain, text: Pain}
      - {id: glow, text: Glow}
    feedback: {correct: Right order., incorrect: Pain has the most trials.}
    rationale: Pooled randomised trials support pain; glow rests on small studies.
    sources: [NAT-1]
    reviewed: 2026-12-01
    review_by: 2027-12-01
""")
    q = load_text(text).module("test-module").questions()[0][1]
    assert question_flaws(q) == []


def _keyed_at(position: int, qid: str) -> str:
    options = [(o, t, False) for o, t, _ in SOUND]
    options[position] = (options[position][0], options[position][1], True)
    return question(qid, "What do you do?", tuple(options))


def test_key_position_fires_when_most_keys_sit_in_one_place(load_text: Loader) -> None:
    course = load_text(module(*(_keyed_at(0, f"q{i}") for i in range(3)), _keyed_at(2, "q3")))
    flaws = {f.rule: f.message for f in module_flaws(course.module("test-module"))}
    assert flaws["key-position"] == ("the correct option is option 1 in 3 of 4 single-choice questions; "
                                     "vary its position")


def test_key_position_is_quiet_when_keys_vary(load_text: Loader) -> None:
    course = load_text(module(*(_keyed_at(i, f"q{i}") for i in range(4))))
    assert [f for f in module_flaws(course.module("test-module")) if f.rule == "key-position"] == []


def _lengths(qid: str, key: str, *wrong: str, kind: str = "single_choice") -> str:
    options = (("k", key, True), *((f"w{i}", text, False) for i, text in enumerate(wrong)))
    return question(qid, "What do you do?", options, kind=kind)


def test_answer_length_balance_counts_as_lengths_py_does(load_text: Loader) -> None:
    course = load_text(module(_lengths("q1", "x" * 10, "y" * 20, "y" * 30),
                              _lengths("q2", "x" * 40, "y" * 20, "y" * 30),
                              _lengths("q3", "x" * 30, "y" * 30),  # a tie is not "longest"
                              _lengths("q4", "x" * 20, "y" * 10, kind="multiple_response")))
    balance = answer_length_balance(course.module("test-module"))
    assert (balance.single_choice_count, balance.keyed_longest, balance.keyed_longest_ids) == (3, 1, ("q2",))
    assert balance.keyed_means == (10, 40, 30, 20)
    assert balance.distractor_means == (25, 25, 30, 10)
    assert balance.ratio == pytest.approx(100 / 90)
    assert answer_length_balance(course) == balance


def test_length_balance_fires_over_35_percent_or_a_ratio_over_1_15(load_text: Loader) -> None:
    course = load_text(module(_lengths("q1", "k" * 22, "w" * 20), _lengths("q2", "k" * 22, "w" * 20),
                              _lengths("q3", "k" * 18, "w" * 20), _lengths("q4", "k" * 18, "w" * 20)))
    messages = [f.message for f in module_flaws(course.module("test-module")) if f.rule == "length-balance"]
    assert messages == ["the correct option is the longest in 2 of 4 single-choice questions (50%; at most 35%): "
                        "q1, q2; make wrong options as specific as the key, or trim the key"]
    course = load_text(module(_lengths("q1", "k" * 24, "w" * 20), _lengths("q2", "k" * 20, "w" * 21, "w" * 22),
                              _lengths("q3", "k" * 30, "w" * 31), _lengths("q4", "k" * 30, "w" * 20, "w" * 40)))
    messages = [f.message for f in module_flaws(course.module("test-module")) if f.rule == "length-balance"]
    assert messages == []
    course = load_text(module(*(_lengths(f"q{i}", "k" * 20, "w" * 10, "w" * 21) for i in range(3))))
    messages = [f.message for f in module_flaws(course.module("test-module")) if f.rule == "length-balance"]
    assert messages == ["correct options are 1.29 times as long as wrong ones on average (at most 1.15); make "
                        "wrong options as specific and plausible as the keys rather than padding them"]


ALWAYS: Options = (("a", "Always treat today at a lower volume", False), *SOUND[1:])


def waivers(*lines: str) -> str:
    return "    lint_waivers:\n" + "".join(f"      - {line}\n" for line in lines)


def test_a_waived_rule_is_not_reported_and_other_rules_still_are(load_text: Loader) -> None:
    extra = waivers('{rule: absolute-terms, reason: "the misconception being tested says always"}')
    options = (*ALWAYS[:3], ("d", "None of the above", False))
    found = flaws_of(load_text, "What do you do?", options, extra=extra)
    assert "absolute-terms" not in found
    assert "all-none-of-the-above" in found
    assert "absolute-terms" in flaws_of(load_text, "What do you do?", options)


def test_a_waiver_does_not_change_the_content_hash(load_text: Loader) -> None:
    def hashed(extra: str) -> str:
        return load_text(module(question("q1", "What?", ALWAYS, extra=extra))).module("test-module").questions()[0][1] \
            .content_hash()

    assert hashed(waivers("{rule: absolute-terms, reason: tested misconception}")) == hashed("")


@pytest.mark.parametrize(("waiver", "message"), [("{rule: absolute-terms}", "required field is missing"),
                                                 ('{rule: absolute-terms, reason: ""}', "at least 1 character")])
def test_a_waiver_without_a_reason_does_not_validate(problems_for: Callable[..., list[object]], waiver: str,
                                                     message: str) -> None:
    problems = problems_for(module(question("q1", "What do you do?", ALWAYS, extra=waivers(waiver))))
    assert [str(p) for p in problems if message in str(p) and "lint_waivers › #1 › reason" in str(p)]


def test_a_waiver_of_an_unknown_or_module_rule_is_reported(load_text: Loader) -> None:
    extra = waivers("{rule: absolute-term, reason: typo}", "{rule: key-position, reason: varied by hand}")
    assert list(flaws_of(load_text, "What do you do?", SOUND, extra=extra)) == ["waiver"]
    course = load_text(module(question("q1", "What?", SOUND, extra=extra)))
    messages = [f.message for f in lint_course(course, today=TODAY)]
    assert messages[0].startswith("the waiver names no lint rule 'absolute-term'; use one of: keyed-longest, ")
    assert messages[1] == ("'key-position' is a module rule and cannot be waived on one question; "
                           "fix the module's balance instead")


def test_the_cli_names_module_question_change_and_rule(capsys: pytest.CaptureFixture[str], quiz_dir: object,
                                                       load_text: Loader) -> None:
    load_text(module(question("q1", "What do you do?", ALWAYS)))
    code = main(["lint", str(quiz_dir), "--today", TODAY.isoformat()])
    out = capsys.readouterr().out
    assert code == 1
    assert out == ("test-module: q1: 'always' appears only in wrong options: test-wise trainees rule out absolute "
                   "answers; reword those options in measured terms, or let the key be as firm where the evidence is "
                   "[absolute-terms]\n1 finding\n")


def test_the_cli_is_clean_on_a_sound_module(capsys: pytest.CaptureFixture[str], quiz_dir: object,
                                            load_text: Loader) -> None:
    load_text(module(question("q1", "What do you do?", SOUND)))
    assert main(["lint", str(quiz_dir), "--today", TODAY.isoformat()]) == 0
    assert capsys.readouterr().out == "0 findings\n"


def short_text(qid: str, accepted: list[str]) -> str:
    lines = [f"  - id: {qid}", "    type: short_text", "    topic: safety", "    difficulty: easy", "    points: 1",
             '    prompt: "Which liquid is drawn into the syringe to dissolve the powder in the vial?"',
             f"    accepted: {json.dumps(accepted)}",
             "    feedback: " + json.dumps({"correct": "Right: the maker's diluent.",
                                       "incorrect": "Use the diluent the maker names."}),
             "    rationale: The maker's diluent keeps the product sterile and at the strength it was tested at.",
             "    sources: [NAT-1]", "    reviewed: 2026-12-01", "    review_by: 2027-12-01"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("qid", "fires"), [("vial-water", True), ("sterile-vial-check", True),
                                            ("vial-diluent", False), ("vial-reconstitution", False)])
def test_a_short_text_id_holding_a_word_of_its_answers_fires(load_text: Loader, qid: str, fires: bool) -> None:
    course = load_text(module(short_text(qid, ["sterile water", "water for injection"])))
    q = course.module("test-module").questions()[0][1]
    found = {f.rule: f.message for f in question_flaws(q)}
    assert ("id-gives-answer" in found) is fires
    if fires:
        assert "ids are seen before the answer is in" in found["id-gives-answer"]


def test_no_short_text_question_of_the_course_gives_its_answer_away_in_its_id(course: Course) -> None:
    flagged = [q.id for m in course.modules for _, q in m.questions()
               if any(f.rule == "id-gives-answer" for f in question_flaws(q))]
    assert flagged == []
