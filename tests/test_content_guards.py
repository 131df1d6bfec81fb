"""Guards on the shipped course (quizzes/) for what issue 15 found wrong, so it cannot come back.

Each test prints the figures it checks (see them with ``pytest -s``) and names the offending
questions when it fails: no answer-length give-away, no "mesoderm" keyed as the layer injected,
no 4 mm depth taught as a safety ceiling, the size the course promises, remediation steps,
no run of 8 words copied from the seed article, and an item-writing lint with no findings.

The seed article is not shipped (trainees and CI machines have no ``../shared``; the text must
not travel with the course), so tests/data/seed_8grams.txt holds only the sha256 of each run of
8 words of the article, the advertisement at its end left out. Regenerate it with
``.venv/bin/python tests/test_content_guards.py ../shared/content/seed-article.txt``.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from quiz_text import QUIZZES, ROOT

from meso_training.authoring.item_writing import MAX_KEYED_LONGEST_SHARE, MAX_LENGTH_RATIO, answer_length_balance
from meso_training.authoring.lint import lint_course
from meso_training.engine.case_flow import keyed_path, route_to
from meso_training.model import Case, Course, Matching, MultipleResponse, Numeric, QuestionType, ShortText, SingleChoice

SEED_HASHES = ROOT / "tests" / "data" / "seed_8grams.txt"
SEED_ARTICLE = ROOT.parent / "shared" / "content" / "seed-article.txt"
ADVERTISEMENT = "it’s best to consult professionals"
"""Where the article's closing advertisement starts (lower case): it is not course material."""
RUN = 8


def words(text: str) -> list[str]:
    """Lower case, apostrophes dropped ("it's" -> "its"), every other non-alphanumeric a space."""
    return re.sub(r"[^a-z0-9]+", " ", re.sub(r"['’‘]", "", text.lower())).split()


def runs(text: str, n: int = RUN) -> Iterator[str]:
    """Every run of ``n`` consecutive words, per line: the article's lines are its paragraphs."""
    for line in text.splitlines():
        w = words(line)
        for i in range(len(w) - n + 1):
            yield " ".join(w[i:i + n])


def digest(run: str) -> str:
    return hashlib.sha256(run.encode()).hexdigest()


def article_hashes(article: str) -> list[str]:
    """The sorted hashes of the article's 8-word runs, without its advertisement."""
    cut = article.lower().find(ADVERTISEMENT)
    body = article if cut < 0 else article[:cut]
    return sorted({digest(r) for r in runs(body)})


def shipped_hashes() -> set[str]:
    lines = SEED_HASHES.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _questions(course: Course) -> list[QuestionType]:
    return [q for m in course.modules for _, q in m.questions()]


def _keyed_texts(q: QuestionType) -> list[str]:
    """What the course teaches as right in ``q``: correct options, accepted answers, matches, right feedback."""
    texts = [q.rationale]
    if isinstance(q, SingleChoice | MultipleResponse):
        texts += [f"{o.text} {o.feedback}" for o in q.options if o.correct]
    if isinstance(q, ShortText):
        texts += list(q.accepted)
    if isinstance(q, Matching):
        names = {c.id: c.text for c in q.categories}
        texts += [f"{i.text}: {names[i.category]}" for i in q.items]
    feedback = getattr(q, "feedback", None)
    if feedback is not None:
        texts.append(feedback.correct)
    return texts


def test_the_keyed_option_is_the_longest_in_at_most_35_percent_of_single_choice_questions(course: Course) -> None:
    balance = answer_length_balance(course)
    print(f"keyed option strictly longest in {balance.keyed_longest} of {balance.single_choice_count} single-choice "
          f"questions ({balance.keyed_longest_share:.0%}; at most {MAX_KEYED_LONGEST_SHARE:.0%})")
    assert balance.single_choice_count > 0
    assert balance.keyed_longest_share <= MAX_KEYED_LONGEST_SHARE, ", ".join(balance.keyed_longest_ids)


def test_keyed_options_are_at_most_1_15_times_as_long_as_distractors(course: Course) -> None:
    balance = answer_length_balance(course)
    print(f"keyed/distractor mean length ratio {balance.ratio:.3f} over {len(balance.keyed_means)} single-choice and "
          f"multiple-response questions (at most {MAX_LENGTH_RATIO})")
    assert balance.ratio <= MAX_LENGTH_RATIO


def test_no_question_keys_the_mesoderm_as_the_skin_layer_injected(course: Course) -> None:
    # The mesoderm is the embryonic germ layer; the dermis (of mesodermal origin) is injected.
    # A keyed text may name the mesoderm only beside the dermis or the embryo.
    explained = re.compile(r"\bdermis\b|embryo|germ layer", re.IGNORECASE)
    wrong = []
    for q in _questions(course):
        keyed = [o.text for o in q.options if o.correct] if isinstance(q, SingleChoice | MultipleResponse) else []
        if isinstance(q, ShortText):
            keyed = list(q.accepted)
        if isinstance(q, Matching):
            names = {c.id: c.text for c in q.categories}
            keyed = [f"{i.text}: {names[i.category]}" for i in q.items]
        wrong += [f"{q.id}: {text!r}" for text in keyed if "mesoderm" in text.lower() and not explained.search(text)]
    print(f"checked the keyed answers of {len(_questions(course))} questions; "
          f"mesoderm keyed as the layer: {len(wrong)}")
    assert wrong == [], "\n".join(wrong)


def test_no_depth_safety_ceiling_of_4_mm(course: Course) -> None:
    # The review's 4 mm is an efficacy limit, not a safety ceiling (issue 15 §1); depth goes by layer and site.
    four_mm = re.compile(r"\b4(?:\.0)?\s*(?:mm|millimet)", re.IGNORECASE)
    ceiling = re.compile(r"\b(?:safe|safely|safety|ceiling|maximum|max|no deeper|never deeper|limit)\b", re.IGNORECASE)
    corrected = re.compile(r"\b(?:not|efficacy|rather than|isn't|is no)\b", re.IGNORECASE)
    numeric = [q.id for q in _questions(course) if isinstance(q, Numeric) and words(q.unit) in (["mm"], ["millimetres"])
               and 4 in (q.answer.value, q.answer.max)]
    taught = [f"{q.id}: {sentence!r}" for q in _questions(course) for text in _keyed_texts(q)
              for sentence in re.split(r"(?<=[.;!?])\s+", text)
              if four_mm.search(sentence) and ceiling.search(sentence) and not corrected.search(sentence)]
    print(f"numeric questions keyed 4 mm: {numeric}; keyed sentences teaching 4 mm as a limit: {len(taught)}")
    assert numeric == [], f"numeric questions keyed 4 mm: {numeric}"
    assert taught == [], "\n".join(taught)


def test_the_course_has_at_least_150_questions(course: Course) -> None:
    count = len(_questions(course))
    print(f"{count} questions (at least 150)")
    assert count >= 150


def test_the_course_has_at_least_40_cases(course: Course) -> None:
    count = sum(isinstance(item, Case) for m in course.modules for item in m.items)
    print(f"{count} cases (at least 40)")
    assert count >= 40


def _remediation_steps(case: Case) -> list[str]:
    """Branch targets off the keyed route that some answer reaches: where a wrong decision is managed."""
    keyed = set(keyed_path(case))
    targets = {b.goto for s in case.steps for b in s.branches if b.goto is not None and b.goto not in keyed}
    return sorted(t for t in targets if route_to(case, t) is not None)


def test_at_least_8_cases_have_a_remediation_step(course: Course) -> None:
    cases = {item.id: _remediation_steps(item) for m in course.modules for item in m.items if isinstance(item, Case)}
    with_steps = {case_id: steps for case_id, steps in cases.items() if steps}
    print(f"{len(with_steps)} of {len(cases)} cases have a remediation step (at least 8): {with_steps}")
    assert len(with_steps) >= 8


def test_the_seed_hashes_are_sorted_sha256_lines() -> None:
    lines = [line for line in SEED_HASHES.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    print(f"{len(lines)} hashes in {SEED_HASHES.relative_to(ROOT)}")
    assert len(lines) > 100
    assert lines == sorted(set(lines))
    assert all(re.fullmatch(r"[0-9a-f]{64}", line) for line in lines)


@pytest.mark.skipif(not SEED_ARTICLE.exists(), reason="the seed article is only in the authors' ../shared")
def test_the_seed_hashes_are_those_of_the_article() -> None:
    assert shipped_hashes() == set(article_hashes(SEED_ARTICLE.read_text(encoding="utf-8")))


def test_no_run_of_8_words_from_the_seed_article_in_the_quiz_files() -> None:
    seed = shipped_hashes()
    copied: dict[str, set[str]] = {}
    files = sorted(QUIZZES.glob("*.yaml"))
    for path in files:
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            found = {r for r in runs(text) if digest(r) in seed}
            if found:
                copied.setdefault(path.name, set()).update(found)
    total = sum(len(found) for found in copied.values())
    print(f"runs of {RUN} words copied from the seed article in {len(files)} files: {total}")
    assert copied == {}, "\n".join(f"{name}: {run!r}" for name, found in copied.items() for run in sorted(found))


def test_the_item_writing_lint_finds_nothing_in_the_shipped_course(course: Course) -> None:
    findings = [f for f in lint_course(course) if f.rule is not None]
    print(f"{len(findings)} item-writing findings")
    assert findings == [], "\n".join(map(str, findings))


if __name__ == "__main__":  # regenerate tests/data/seed_8grams.txt from the article (path as argument)
    source = Path(sys.argv[1])
    header = (f"# sha256 of every run of {RUN} words (lower case, punctuation stripped, per paragraph) of the seed "
              "article without its advertisement; made by: .venv/bin/python tests/test_content_guards.py "
              "../shared/content/seed-article.txt")
    SEED_HASHES.parent.mkdir(exist_ok=True)
    SEED_HASHES.write_text("\n".join([header, *article_hashes(source.read_text(encoding="utf-8"))]) + "\n",
                           encoding="utf-8")
