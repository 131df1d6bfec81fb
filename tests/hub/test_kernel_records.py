"""A trainee's kernel on the hub records through the records service with the user's own token, and resumes."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from meso_training.storage.interface import ProgressStore

from .hub_server import QUIZZES, Hub
from .kernels import execute, run_apart

USER = "trainee-a"

RECORD = f"""
import json, os
import meso_training
from meso_training.engine.grading import keyed_answer

runner = meso_training.show_module("foundations", quizzes=[{str(QUIZZES)!r}])
runner.answer(keyed_answer(runner.current_view.question))
print(json.dumps({{"store": type(runner.recorder.store).__name__, "location": runner.recorder.store.location,
                   "pending": len(runner.recorder.pending), "score": runner.session.score(),
                   "environment": dict(os.environ)}}))
"""

RESUME = f"""
import json
import meso_training

runner = meso_training.show_module("foundations", quizzes=[{str(QUIZZES)!r}])
print(json.dumps({{"score": runner.session.score(), "alert": runner.alert}}))
"""


@pytest.fixture(scope="module")
def server(hub: Hub) -> Iterator[str]:
    """trainee-a's single-user server, started through the hub's REST API; its URL."""
    url = hub.start_server(USER)
    try:
        yield url
    finally:
        hub.stop_server(USER)


def _kernel(hub: Hub, server: str) -> str:
    status, reply = hub.request("POST", server + "api/kernels", token=hub.admin_token, body={"name": "python3"})
    assert status == 201, reply
    return str(reply["id"])


def _run(hub: Hub, server: str, kernel: str, code: str) -> str:
    channels = server.replace("http://", "ws://") + f"api/kernels/{kernel}/channels"
    return run_apart(execute(channels, hub.admin_token, code))


def test_a_module_answered_in_a_kernel_on_the_hub_is_saved_through_the_service_and_resumes_after_a_restart(
        hub: Hub, server: str, cohort: ProgressStore, cohort_db: str) -> None:
    before = len(cohort.attempts(trainee=USER, module_id="foundations"))
    kernel = _kernel(hub, server)
    recorded = json.loads(_run(hub, server, kernel, RECORD))

    assert recorded["store"] == "HubRecordsStore"
    assert recorded["location"] == hub.service_url
    assert recorded["pending"] == 0  # saved, not kept in memory
    earned, _ = recorded["score"]
    assert earned > 0
    environment = recorded["environment"]
    assert environment["MESO_TRAINING_DB"] == hub.service_url
    assert environment.get("JUPYTERHUB_API_TOKEN")  # the user's own token is all the kernel holds
    database = cohort_db.rsplit("@", maxsplit=1)[-1]  # host, port and name: no credentials for it either
    assert not [name for name, value in environment.items() if database in value]
    assert len(cohort.attempts(trainee=USER, module_id="foundations")) == before + 1

    status, _ = hub.request("POST", server + f"api/kernels/{kernel}/restart", token=hub.admin_token)
    assert status == 200
    resumed = json.loads(_run(hub, server, kernel, RESUME))

    assert resumed == {"score": recorded["score"], "alert": None}  # read back from the service, no warning
