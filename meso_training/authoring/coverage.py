"""Which questions teach each fact of the source registry, and what the course is made of.

The seed article's facts must all be taught; this is how an instructor proves it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from meso_training.model import Case, Course


@dataclass(frozen=True)
class CourseCensus:
    """Counts an instructor (and the content tests) check against the course's targets."""

    questions: int
    cases: int
    cases_by_kind: Counter[str]
    branching_cases: int
    ending_cases: int
    by_topic: Counter[str]
    by_type: Counter[str]
    citations: dict[str, list[str]] = field(default_factory=dict)

    @property
    def uncited_facts(self) -> list[str]:
        return [fact for fact, cited_by in self.citations.items() if not cited_by]


def census(course: Course) -> CourseCensus:
    citations: dict[str, list[str]] = {fact_id: [] for fact_id in course.registry.facts}
    by_topic: Counter[str] = Counter()
    by_type: Counter[str] = Counter()
    cases_by_kind: Counter[str] = Counter()
    questions = cases = branching = ending = 0
    for module in course.modules:
        for item in module.items:
            if isinstance(item, Case):
                cases += 1
                cases_by_kind[item.kind.value] += 1
                branches = [b for s in item.steps for b in s.branches]
                branching += bool(branches)
                ending += any(b.end is not None for b in branches)
        for _, q in module.questions():
            questions += 1
            by_topic[q.topic.value] += 1
            by_type[q.type] += 1
            for source in q.sources:
                if source in citations:
                    citations[source].append(q.id)
    return CourseCensus(questions, cases, cases_by_kind, branching, ending, by_topic, by_type,
                        citations)


def coverage_report(c: CourseCensus) -> str:
    lines = ["Seed facts and the questions that cite them:"]
    for fact, cited_by in c.citations.items():
        lines.append(f"  {fact:8} {len(cited_by):3}  {', '.join(cited_by) if cited_by else 'UNCITED'}")
    lines.append(f"\n{c.questions} questions, {c.cases} cases ({c.branching_cases} branching, "
                 f"{c.ending_cases} where a wrong decision ends the case)")
    lines.append("Cases by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(c.cases_by_kind.items())))
    lines.append("By topic: " + ", ".join(f"{k} {n}" for k, n in sorted(c.by_topic.items())))
    lines.append("By type: " + ", ".join(f"{k} {n}" for k, n in sorted(c.by_type.items())))
    if c.uncited_facts:
        lines.append(f"\nUncited facts: {', '.join(c.uncited_facts)}: write a question that teaches each.")
    return "\n".join(lines)
