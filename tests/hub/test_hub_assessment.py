"""An assessment on the hub is graded by the records service: the trainee's kernel never holds its key.

Trainee A opens the assessment in their own kernel through the hub and, before answering,
looks through the kernel's memory as any trainee could (every object the garbage collector
knows and every string they refer to, every loaded module's globals): no rationale, feedback,
accepted answer or numeric value of the module is there. Then every item is answered
through the remote session, each reply says only "recorded", and the summary brings the
feedback; the rows in PostgreSQL carry the service's grades. Refusals go over real HTTP.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest

from meso_training.engine.grading import grade, keyed_answer, wrong_answer
from meso_training.model import Case, Course, Matching, Mode, MultipleResponse, Numeric, ShortText, SingleChoice
from meso_training.storage.hub_wire import assessment_path
from meso_training.storage.interface import ProgressStore

from .hub_server import INSTRUCTOR, QUIZZES, Hub
from .kernels import execute, run_apart

USER = "trainee-a"
MODULE = "orientation"

OPEN = f"""
import json
import meso_training

runner = meso_training.show_module({MODULE!r}, mode="assessment", quizzes=[{str(QUIZZES)!r}])
print(json.dumps({{"session": type(runner.session).__name__, "alert": runner.alert,
                   "items": len(runner.session.items)}}))
"""

# Markers arrive base64-encoded and are searched for as bytes, so this code puts none of them in a str.
LOOK = """
import base64, gc, json, sys
from meso_training.model import Course, Module, NumericAnswer, Option, QuestionBase, ShortText

def _look(encoded):
    markers = [base64.b64decode(m) for m in encoded]
    own = {id(m) for m in markers}
    found, strings = set(), 0
    def check(obj):
        nonlocal strings
        if isinstance(obj, str):
            strings += 1
            data = obj.encode("utf-8", "surrogatepass")
        elif isinstance(obj, bytes | bytearray) and id(obj) not in own:
            data = bytes(obj)
        else:
            return
        found.update(i for i, m in enumerate(markers) if m in data)
    objects = gc.get_objects()
    # Every object reachable from what the collector tracks or a module holds: a container of plain
    # values (an option's __dict__, a tuple of strings) is not tracked itself, so the walk goes down.
    seen, stack = set(), [*objects, *(vars(m) for m in list(sys.modules.values()) if hasattr(m, "__dict__"))]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, str | bytes | bytearray):
            check(obj)
        else:
            stack.extend(gc.get_referents(obj))
    keyed = [o.id for o in objects if isinstance(o, Option) and (o.correct or o.critical or o.feedback)]
    numbers = [o for o in objects
               if isinstance(o, NumericAnswer) and (o.value, o.tolerance, o.min, o.max) != (None,) * 4]
    accepted = [o.id for o in objects if isinstance(o, ShortText) and o.accepted]
    rationales = [o.id for o in objects if isinstance(o, QuestionBase) and o.__dict__.get("rationale")]
    return {"found": sorted(found), "strings": strings, "objects": len(seen), "keyed_options": keyed,
            "numeric_answers": len(numbers), "accepted": accepted, "with_rationale": rationales,
            "courses": sum(isinstance(o, Course) for o in objects),
            "modules": [m.id for m in objects if isinstance(m, Module)]}

print(json.dumps(_look(ENCODED)))
"""

ANSWER = """
import json
store = runner.session.service
sent, replies = store.assessment_answer, []
def _answer(*args):
    replies.append(sent(*args))
    return replies[-1]
store.assessment_answer = _answer
answers = json.loads(ANSWERS)
alerts = []
for index in range(len(runner.session.items)):
    while runner.current_view is not None:
        runner.answer(answers[runner.current_view.question.id])
        alerts.append(runner.alert)
    if index < len(runner.session.items) - 1:
        runner.next()
print(json.dumps({"replies": replies, "alerts": alerts, "summary": runner.summary.value,
                  "offered": runner.certificate_offered}))
"""


def _markers(course: Course) -> list[str]:
    """Texts only the key holds: rationales, feedback, accepted answers, numeric values, later steps and outcomes."""
    module = course.module(MODULE)
    found: list[str] = []
    for _, q in module.questions():
        found.append(q.rationale.strip()[:40])
        if isinstance(q, SingleChoice | MultipleResponse):
            found += [o.feedback.strip()[:40] for o in q.options]
        if isinstance(q, Matching):
            found += [i.feedback.strip()[:40] for i in q.items]
        if isinstance(q, ShortText):
            found += list(q.accepted)
        if isinstance(q, Numeric):
            found.append(f"value: {q.answer.value:g}")
            found.append(q.feedback.correct.strip()[:40])
        found += [b.end.strip()[:40] for b in q.branches if b.end]
    for item in module.items:
        if isinstance(item, Case):
            found += [s.prompt.strip()[:40] for s in item.steps[1:]]  # steps not reached yet
    return sorted(set(found))


@pytest.fixture(scope="module")
def server(hub: Hub) -> Iterator[str]:
    url = hub.start_server(USER)
    try:
        yield url
    finally:
        hub.stop_server(USER)


@pytest.fixture(scope="module")
def tokens(hub: Hub) -> dict[str, str]:
    return {name: hub.token_for(name) for name in ("trainee-a", "trainee-b", INSTRUCTOR)}


def _run(hub: Hub, server: str, kernel: str, code: str) -> Any:
    channels = server.replace("http://", "ws://") + f"api/kernels/{kernel}/channels"
    return json.loads(run_apart(execute(channels, hub.admin_token, code)))


def _call(hub: Hub, token: str, method: str, part: str, body: Any = None, query: str = "") -> tuple[int, Any]:
    return hub.request(method, hub.service_url + assessment_path(MODULE, part) + query, token=token, body=body)


def test_the_kernel_holds_no_key_before_answering_and_the_service_grades_and_releases_the_feedback(
        hub: Hub, server: str, course: Course, cohort: ProgressStore, tokens: dict[str, str]) -> None:
    status, reply = hub.request("POST", server + "api/kernels", token=hub.admin_token, body={"name": "python3"})
    assert status == 201, reply
    kernel = str(reply["id"])
    opened = _run(hub, server, kernel, OPEN)
    assert opened == {"session": "ServiceSession", "alert": None, "items": len(course.module(MODULE).items)}

    markers = _markers(course)
    encoded = [base64.b64encode(m.encode()).decode() for m in markers]
    looked = _run(hub, server, kernel, f"ENCODED = {encoded!r}\n" + LOOK)
    assert looked["strings"] > 10_000  # the walk saw the kernel's memory, not an empty list
    assert [markers[i] for i in looked["found"]] == []
    assert (looked["keyed_options"], looked["numeric_answers"], looked["accepted"]) == ([], 0, [])
    assert (looked["with_rationale"], looked["courses"]) == ([], 0)
    assert looked["modules"] == [MODULE]  # only the sealed module of the paper

    status, early = _call(hub, tokens[USER], "GET", "summary")
    assert status == 409
    assert "still to answer" in early["error"]

    module = course.module(MODULE)
    answers = {q.id: keyed_answer(q) for _, q in module.questions()}
    done = _run(hub, server, kernel, f"ANSWERS = {json.dumps(json.dumps(answers))}\n" + ANSWER)
    assert done["alerts"] == [None] * len(done["replies"])
    assert all(r["recorded"] is True and set(r) <= {"recorded", "next", "step", "steps_left"}
               for r in done["replies"])
    assert "Summary: Passed" in done["summary"]
    assert module.questions()[0][1].rationale.split()[0] in done["summary"]
    assert done["offered"]

    stored = [a for a in cohort.attempts(trainee=USER, module_id=MODULE) if a.mode == Mode.ASSESSMENT]
    by_id = {q.id: q for _, q in module.questions()}
    assert sorted(a.question_id for a in stored) == sorted(answers)
    assert all(a.score == grade(by_id[a.question_id], answers[a.question_id]).score == 1.0 for a in stored)
    [certificate] = [c for c in cohort.certificates(trainee=USER) if c.module_id == MODULE]
    assert set(certificate.attempt_uids) == {a.attempt_uid for a in stored}
    assert certificate.shown_code in done["summary"]

    first = next(iter(answers))
    status, again = _call(hub, tokens[USER], "POST", "answers", {"question_id": first, "answer": answers[first]})
    assert (status, again["recorded"]) == (200, True)  # the same answer again (a lost reply): the same reply
    changed = {"question_id": first, "answer": wrong_answer(by_id[first])}
    status, again = _call(hub, tokens[USER], "POST", "answers", changed)
    assert status == 409
    assert "already answered" in again["error"]
    status, theirs = _call(hub, tokens["trainee-b"], "GET", "summary", query=f"?trainee={USER}")
    assert status == 403
    assert "only their own" in theirs["error"]
    status, read = _call(hub, tokens[INSTRUCTOR], "GET", "summary", query=f"?trainee={USER}")
    assert status == 200
    assert read["summary"]["passed"] is True


def test_the_memory_probe_finds_the_key_in_a_kernel_that_loaded_the_quiz_files(
        hub: Hub, server: str, course: Course) -> None:
    """The control: in practice mode the kernel grades itself, so the same probe must find the key there."""
    status, reply = hub.request("POST", server + "api/kernels", token=hub.admin_token, body={"name": "python3"})
    assert status == 201, reply
    kernel = str(reply["id"])
    _run(hub, server, kernel, OPEN.replace('mode="assessment"', 'mode="practice"'))
    markers = _markers(course)
    encoded = [base64.b64encode(m.encode()).decode() for m in markers]
    looked = _run(hub, server, kernel, f"ENCODED = {encoded!r}\n" + LOOK)
    rationales = {q.rationale.strip()[:40] for _, q in course.module(MODULE).questions()}
    assert rationales <= {markers[i] for i in looked["found"]}
    assert looked["keyed_options"]
    assert looked["numeric_answers"] > 0


def test_over_http_an_answer_gets_only_recorded_and_refusals_are_plain(
        hub: Hub, course: Course, tokens: dict[str, str]) -> None:
    token = tokens["trainee-b"]
    status, paper = _call(hub, token, "GET", "paper")
    assert status == 200
    first = paper["items"][0]["question"]
    assert "rationale" not in json.dumps(paper)
    question = {q.id: q for _, q in course.module(MODULE).questions()}[first["id"]]
    status, reply = _call(hub, token, "POST", "answers", {"question_id": first["id"], "answer": keyed_answer(question)})
    assert (status, reply) == (200, {"recorded": True, "next": None})
    status, again = _call(hub, token, "POST", "answers", {"question_id": first["id"], "answer": keyed_answer(question)})
    assert (status, again) == (200, {"recorded": True, "next": None})  # sent again after a lost reply: no change
    status, again = _call(hub, token, "POST", "answers", {"question_id": first["id"], "answer": wrong_answer(question)})
    assert status == 409
    assert "already answered" in again["error"]
    status, unknown = _call(hub, token, "POST", "answers", {"question_id": "no-such-question", "answer": "x"})
    assert status == 404
    assert "no question" in unknown["error"]
    [case] = [i for i in course.module(MODULE).items if isinstance(i, Case)]
    later = case.steps[1]
    status, early = _call(hub, token, "POST", "answers", {"question_id": later.id, "answer": keyed_answer(later)})
    assert status == 409
    assert "current step" in early["error"]
    status, summary = _call(hub, token, "GET", "summary")
    assert status == 409
    assert "still to answer" in summary["error"]
    status, missing = hub.request("GET", hub.service_url + assessment_path("no-such-module", "paper"), token=token)
    assert status == 404
    assert "no module" in missing["error"]
