"""Run code in a kernel of a user's single-user server, through the hub's proxy, as a notebook front end would.

A minimal client of Jupyter's kernel websocket: one ``execute_request``, the ``stream``
output it prints, its ``error`` if it raised. Async (tornado's websocket client); tests run it
on a loop of its own in a thread (``run_apart``), as Playwright may hold this worker's loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import json
import uuid
from collections.abc import Coroutine
from typing import Any, TypeVar

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

_T = TypeVar("_T")


class KernelCodeError(AssertionError):
    """The code sent raised in the kernel; the message holds its traceback."""


def run_apart(coroutine: Coroutine[Any, Any, _T]) -> _T:
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _request(code: str, session: str) -> dict[str, Any]:
    return {
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": "execute_request", "username": "hub-tests",
                   "session": session, "version": "5.3", "date": dt.datetime.now(dt.UTC).isoformat()},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True},
    }


async def execute(channels_url: str, token: str, code: str) -> str:
    """What ``code`` printed in the kernel at ``channels_url`` (``ws://.../api/kernels/<id>/channels``)."""
    connection = await websocket_connect(HTTPRequest(channels_url, headers={"Authorization": f"token {token}"}))
    try:
        request = _request(code, uuid.uuid4().hex)
        await connection.write_message(json.dumps(request))
        printed: list[str] = []
        while True:
            raw = await connection.read_message()
            if raw is None:
                raise KernelCodeError("the kernel's websocket closed before the code finished")
            message = json.loads(raw)
            if message.get("parent_header", {}).get("msg_id") != request["header"]["msg_id"]:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                printed.append(content["text"])
            elif kind == "error":
                raise KernelCodeError("\n".join(content["traceback"]))
            elif kind == "status" and content["execution_state"] == "idle":
                return "".join(printed)
    finally:
        connection.close()
        while await connection.read_message() is not None:  # until the server's close frame: the socket is shut
            pass
