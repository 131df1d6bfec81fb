"""An assessment on JupyterHub, graded by the records service: the runner over a ``ServiceSession``.

What ``show_module`` shows when the store is the records service and the mode is assessment:
the course's quiz files are not read at all in this kernel (the service sends the key-free
paper), and nothing is recorded from here (the service records each answer as it grades it).
"""

from __future__ import annotations

from pathlib import Path

from meso_training.engine.service_session import ServiceSession
from meso_training.storage.hub_store import HubRecordsStore
from meso_training.storage.trainee import current_trainee
from meso_training.views.module_runner import ModuleRunner, utc_now
from meso_training.views.recorder import RecordedByService


def served_runner(service_url: str, module_id: str, certificate_dir: Path,
                  start_at: str | None = None) -> ModuleRunner:
    """The runner of ``module_id``'s assessment on the service at ``service_url``; ``StoreError`` if it cannot be had.

    ``KeyError`` (with the message to show) for a ``start_at`` the module does not hold.
    """
    store = HubRecordsStore(service_url)
    name, ask_name = current_trainee(store, None)
    session = ServiceSession(store, module_id, trainee=name, now=utc_now())
    if start_at is not None:
        session.go_to(_position_of(session, start_at), utc_now())
    return ModuleRunner(session, session.registry, RecordedByService(store), certificate_dir=certificate_dir,
                        ask_name=ask_name)


def _position_of(session: ServiceSession, question_id: str) -> int:
    for index, item in enumerate(session.items):
        if item.item_id == question_id or question_id in item.steps:
            return index
    msg = f"module {session.module.id!r} has no question {question_id!r} you can open here"
    raise KeyError(msg)
