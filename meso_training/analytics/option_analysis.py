"""Which options a cohort chose, by thirds of the cohort, and which harmful choices were made.

Distractor analysis as item analysis textbooks give it: the cohort is split into thirds by
total score on the module (top, middle, bottom), and each option's share of each third is
compared. A distractor nobody chooses does no work; one the top third chooses more often
than the bottom third attracts the trainees who know most, which usually means it is
defensible or the key is wrong. The same counts over the options marked ``critical`` (and
matching placements listed in an item's ``critical``) are the harm analysis: how many
trainees made each harmful choice, and in which third. The share of a case's trainees failed
for safety comes from ``case_paths``, which also decides who started a case.

Only answers to the version the course has today are read: an older version's option ids
may name other options. Long-form tables carry no answers and give no option figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from meso_training.analytics.responses import Response
from meso_training.model import Matching, Module, MultipleResponse, QuestionType, SingleChoice

THIRDS = ("top", "middle", "bottom")


@dataclass(frozen=True)
class OptionRow:
    choice: str
    """An option id, or ``item=category`` for a matching placement."""
    text: str
    correct: bool
    critical: bool
    chosen: int
    by_third: tuple[float, float, float]
    """Share (0 to 1) of the top, middle and bottom thirds who chose it."""
    flags: tuple[str, ...]


@dataclass(frozen=True)
class QuestionOptions:
    question_id: str
    prompt: str
    answered: int
    rows: tuple[OptionRow, ...]


def thirds(totals: dict[str, float]) -> dict[str, int]:
    """Trainee -> 0 (top), 1 (middle) or 2 (bottom) third by total, ties broken by name for a stable split."""
    ranked = sorted(totals, key=lambda t: (-totals[t], t))
    n = len(ranked)
    return {t: min(2, 3 * i // n) for i, t in enumerate(ranked)} if n else {}


def _choices(q: QuestionType, answer: Any) -> set[str]:
    if isinstance(q, SingleChoice):
        return {answer} if isinstance(answer, str) else set()
    if isinstance(q, MultipleResponse):
        return {a for a in answer if isinstance(a, str)} if isinstance(answer, list) else set()
    if isinstance(q, Matching) and isinstance(answer, dict):
        return {f"{item}={category}" for item, category in answer.items()}
    return set()


def _rows(q: QuestionType) -> list[tuple[str, str, bool, bool]]:
    """(choice, text, correct, critical) for each choice the question offers."""
    if isinstance(q, SingleChoice | MultipleResponse):
        return [(o.id, o.text, o.correct, o.critical) for o in q.options]
    if isinstance(q, Matching):
        return [(f"{i.id}={c.id}", f"{i.text}: {c.text}", i.category == c.id, c.id in i.critical)
                for i in q.items for c in q.categories]
    return []


def _flags(correct: bool, chosen: int, by_third: tuple[float, float, float]) -> tuple[str, ...]:
    top, _, bottom = by_third
    if correct:
        return ("the top third chose the key less often than the bottom third: check the key",) if top < bottom else ()
    if chosen == 0:
        return ("no one chose this distractor: replace it with a mistake trainees really make",)
    if top > bottom:
        return ("the top third chose this distractor more often than the bottom third: is it defensible?",)
    return ()


def option_analysis(module: Module, responses: Sequence[Response]) -> list[QuestionOptions]:
    """Per choice question of ``module`` answered in its current version, in module order."""
    mine = [r for r in responses if r.module_id == module.id]
    totals: dict[str, float] = defaultdict(float)
    by_question: dict[str, list[Response]] = defaultdict(list)
    for r in mine:
        totals[r.trainee] += r.points
        by_question[r.question_id].append(r)
    third_of = thirds(dict(totals))
    size = [sum(1 for v in third_of.values() if v == k) for k in range(3)]
    out = []
    for _, q in module.questions():
        rows = _rows(q)
        current = q.content_hash()
        answers = [r for r in by_question.get(q.id, ()) if r.version == current]
        if not rows or not answers:
            continue
        picked: dict[str, list[int]] = {choice: [0, 0, 0] for choice, *_ in rows}
        for r in answers:
            for choice in _choices(q, r.answer) & picked.keys():
                picked[choice][third_of[r.trainee]] += 1
        option_rows = []
        for choice, text, correct, critical in rows:
            counts = picked[choice]
            by_third = (counts[0] / size[0] if size[0] else 0.0, counts[1] / size[1] if size[1] else 0.0,
                        counts[2] / size[2] if size[2] else 0.0)
            option_rows.append(OptionRow(choice, text, correct, critical, sum(counts), by_third,
                                         _flags(correct, sum(counts), by_third)))
        out.append(QuestionOptions(q.id, q.prompt, len(answers), tuple(option_rows)))
    return out


def harmful_choices(options: Sequence[QuestionOptions]) -> list[tuple[QuestionOptions, OptionRow]]:
    """Every critical choice with how often it was made, most often first."""
    found = [(q, row) for q in options for row in q.rows if row.critical]
    return sorted(found, key=lambda pair: (-pair[1].chosen, pair[0].question_id, pair[1].choice))
