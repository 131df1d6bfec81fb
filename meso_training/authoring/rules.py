"""Checks that need more than one field: correct-answer counts, case flow, ids, sources.

Each rule adds a located ``Problem`` and carries on, so one run reports everything.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from meso_training.authoring.case_reach import edges_to, reachable_steps
from meso_training.authoring.yaml_source import PathKey, SourceFile, field_path
from meso_training.errors import Problem
from meso_training.model import Case, Module, QuestionType

# Possessive quantifiers, a tag body that stops at the next '<' and a word boundary before
# 'on...=' keep the scan linear: the backtracking form took seconds on a 20,000-space prompt.
_HTML = re.compile(r"<\s*+/?\s*+[A-Za-z][A-Za-z0-9-]*+(?:[\s/][^<>]*+)?>|javascript\s*+:|\bon[a-z]++\s*+=\s*+[\"']",
                   re.IGNORECASE)


class _Collector:
    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, path: PathKey, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.source.path, self.source.line_of(path), field_path(path, self.source.data),
                                     message, hint))


def _strings(data: Any, path: PathKey = ()) -> Iterator[tuple[PathKey, str]]:
    stack: list[tuple[PathKey, Any]] = [(path, data)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, str):
            yield here, node
        elif isinstance(node, dict):
            stack.extend(((*here, k), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend(((*here, i), v) for i, v in enumerate(node))


def _check_html(out: _Collector) -> None:
    for path, text in _strings(out.source.data):
        if _HTML.search(text):
            out.add(path, "raw HTML or script is not allowed in text",
                    "write plain text or markdown (**bold**, *italic*, lists)")


def _source_key(source_id: str) -> tuple[str, int | None, str]:
    """``REF-06a`` -> ("REF", 6, "a"): the kind of source, its number and any letter after it."""
    match = re.fullmatch(r"([A-Za-z]+)-0*(\d+)([a-z]?)", source_id.strip())
    if match is None:
        return source_id.strip().upper(), None, ""
    return match[1].upper(), int(match[2]), match[3].lower()


def similar_source(source_id: str, known: Iterable[str]) -> str | None:
    """A registry id the author probably meant, or None.

    Only a slip in the spelling counts: case, a leading zero, a letter typed for another in
    the kind (``NTA-1`` for ``NAT-1``). A different number is a different paper, so
    ``REF-60`` never gets ``REF-6`` or ``REF-160`` suggested.
    """
    kind, number, letter = _source_key(source_id)
    same_number = [k for k in known if _source_key(k)[1:] == (number, letter)]
    if number is None:
        return next(iter(difflib.get_close_matches(source_id, list(known), n=1, cutoff=0.8)), None)
    exact = [k for k in same_number if _source_key(k)[0] == kind]
    if exact:
        return exact[0]
    close = difflib.get_close_matches(kind, [_source_key(k)[0] for k in same_number], n=1, cutoff=0.6)
    return next((k for k in same_number if close and _source_key(k)[0] == close[0]), None)


def _check_question(out: _Collector, q: QuestionType, path: PathKey, objectives: set[str],
                    sources: frozenset[str] | None, in_case: bool) -> None:
    if q.review_by <= q.reviewed:
        out.add((*path, "review_by"), "review_by must come after reviewed", "set the date of the next review")
    for i, objective in enumerate(q.objectives):
        if objective not in objectives:
            out.add((*path, "objectives", i), f"unknown learning objective {objective!r}",
                    f"use one of the module's objectives: {', '.join(sorted(objectives))}")
    if sources is not None:
        for i, source_id in enumerate(q.sources):
            if source_id not in sources:
                close = similar_source(source_id, sources)
                hint = (f"did you mean {close!r}?" if close else
                        "add the reference to quizzes/sources.yaml (see docs/authoring.md, the source registry), "
                        "or cite one that is there")
                out.add((*path, "sources", i), f"unknown source id {source_id!r}", hint)
    if not in_case and (q.branches or q.next):
        out.add((*path, "branches" if q.branches else "next"), "only a case step can branch",
                "move the question into a case, or remove the flow fields")
    for where, message, hint in q.invariant_problems():
        out.add((*path, *where), message, hint)


def _check_case(out: _Collector, case: Case, path: PathKey) -> None:
    step_ids = [s.id for s in case.steps]
    edges: dict[str, list[str]] = {}
    for j, step in enumerate(case.steps):
        here = (*path, "steps", j)
        targets: list[str] = []
        if step.next is not None:
            if step.next not in step_ids:
                out.add((*here, "next"), f"next step {step.next!r} is not in this case",
                        f"use one of: {', '.join(step_ids)}")
            else:
                targets.append(step.next)
        option_ids = step.branch_option_ids()
        for b, branch in enumerate(step.branches):
            where = (*here, "branches", b)
            if (branch.goto is None) == (branch.end is None):
                out.add(where, "a branch needs exactly one of 'goto' or 'end'", "")
            if branch.goto is not None:
                if branch.goto not in step_ids:
                    out.add((*where, "goto"), f"branch goes to unknown step {branch.goto!r}",
                            f"use one of: {', '.join(step_ids)}")
                else:
                    targets.append(branch.goto)
            if isinstance(branch.when, tuple):
                if option_ids is None:
                    out.add((*where, "when"), "this question type has no options to branch on",
                            "use 'when: correct' or 'when: incorrect'")
                else:
                    for k, option in enumerate(branch.when):
                        if option not in option_ids:
                            out.add((*where, "when", k), f"unknown option {option!r}",
                                    f"use one of: {', '.join(sorted(option_ids))}")
        if step.next is None and j + 1 < len(case.steps):
            targets.append(step_ids[j + 1])
        edges[step.id] = targets
    _check_answers_reach(out, case, path, _check_flow(out, path, step_ids, edges))


def _check_answers_reach(out: _Collector, case: Case, path: PathKey, listed: set[str]) -> None:
    """A step the flow fields point at can still be unreachable: the branches before it catch every answer."""
    reachable = reachable_steps(case)
    for j, step in enumerate(case.steps):
        if step.id in listed and step.id not in reachable:
            before = [s.id for s in case.steps if s.id in reachable and s.id in edges_to(case, step.id)]
            at = ", ".join(repr(b) for b in before) or "the steps before it"
            out.add((*path, "steps", j),
                    f"step {step.id!r} of case {case.id!r} can never be reached: every answer at {at} "
                    "is sent elsewhere by a branch",
                    f"the first branch whose 'when' matches decides; point one at this step (for example "
                    f"'- when: incorrect' with 'goto: {step.id}') or delete the step")


def _check_flow(out: _Collector, path: PathKey, step_ids: list[str], edges: dict[str, list[str]]) -> set[str]:
    """Reject loops (a case must always end) and steps no flow field leads to; the steps that one does."""
    state: dict[str, int] = {}
    reported_loop = False
    stack: list[tuple[str, Iterator[str]]] = [(step_ids[0], iter(edges.get(step_ids[0], [])))]
    trail = [step_ids[0]]
    state[step_ids[0]] = 1
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            state[node] = 2
            stack.pop()
            trail.pop()
        elif state.get(child) == 1 and not reported_loop:
            loop = " -> ".join([*trail[trail.index(child):], child])
            out.add((*path, "steps"), f"the case can loop forever: {loop}",
                    "every path through a case must reach an end; remove the goto or next that goes back")
            reported_loop = True
        elif child not in state:
            state[child] = 1
            trail.append(child)
            stack.append((child, iter(edges.get(child, []))))
    for j, step_id in enumerate(step_ids):
        if step_id not in state:
            out.add((*path, "steps", j), f"step {step_id!r} can never be reached",
                    "point a 'next' or branch 'goto' at it, or delete it")
    return set(state)


def check_modules(modules: list[tuple[SourceFile, Module]], sources: frozenset[str] | None) -> list[Problem]:
    """Every rule over every module, including ids that must be unique across files."""
    problems: list[Problem] = []
    first_seen: dict[str, str] = {}
    for source, module in modules:
        out = _Collector(source)
        _check_html(out)
        objectives = {o.id for o in module.objectives}
        ids: list[tuple[PathKey, str]] = [(("id",), module.id)]
        for i, item in enumerate(module.items):
            path: PathKey = ("items", i)
            ids.append(((*path, "id"), item.id))
            if isinstance(item, Case):
                _check_case(out, item, path)
                for j, step in enumerate(item.steps):
                    if step.id != item.id:
                        ids.append(((*path, "steps", j, "id"), step.id))
                    _check_question(out, step, (*path, "steps", j), objectives, sources, True)
            else:
                _check_question(out, item, path, objectives, sources, False)
        for where, id_ in ids:
            location = f"{source.path}:{source.line_of(where)}"
            if id_ in first_seen:
                out.add(where, f"duplicate id {id_!r}, first used at {first_seen[id_]}",
                        "ids must be unique across all quiz files; rename one")
            else:
                first_seen[id_] = location
        problems.extend(out.problems)
    return problems
