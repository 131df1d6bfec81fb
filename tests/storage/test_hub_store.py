"""The kernel's hub store without a hub: which store a URL opens, and how each kind of failure reaches the trainee.

A small real HTTP server on 127.0.0.1 plays the proxy and hub answering in the ways they
do (a 503 page while the service restarts, a login redirect, a JSON refusal); what the
real hub and service answer is tested in ``tests/hub``.
"""

from __future__ import annotations

import http.server
import re
import secrets
import threading
from collections.abc import Iterator

import pytest
from attempt_factory import make_attempt

from meso_training.errors import StoreRefusedError, StoreUnreachableError
from meso_training.storage import PendingAttempts, default_db_path, open_store
from meso_training.storage.hub_store import HubRecordsStore

FAKE_TOKEN = secrets.token_hex(8)  # any token: these servers never check it
REPLIES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/restarting/api/attempts": (503, {"Content-Type": "text/html"}, b"<h1>Service Unavailable</h1>"),
    "/login/api/attempts": (302, {"Location": "/hub/login"}, b""),
    "/refusing/api/attempts": (403, {"Content-Type": "application/json"}, b'{"error": "Ann may not do that"}'),
    "/garbled/api/attempts": (200, {"Content-Type": "text/html"}, b"<html>not json</html>"),
}


class _Handler(http.server.BaseHTTPRequestHandler):
    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, headers, body = REPLIES.get(self.path.split("?")[0], (404, {}, b""))
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer  # noqa: N815 - the names http.server calls

    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_service_url_opens_the_hub_store_and_keeps_certificates_in_a_local_file(
        monkeypatch: pytest.MonkeyPatch) -> None:
    url = "http://127.0.0.1:8000/services/meso-records/"
    monkeypatch.setenv("MESO_TRAINING_DB", url)
    store = open_store()
    assert isinstance(store, HubRecordsStore)
    assert store.location == url
    assert "http" not in str(default_db_path())


def test_without_a_hub_token_saving_is_refused_for_good_with_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    hint = "(JUPYTERHUB_API_TOKEN is not set). Open the notebook from your JupyterHub"
    with pytest.raises(StoreRefusedError, match=re.escape(hint)) as refused:
        HubRecordsStore("http://127.0.0.1:8000/services/meso-records").record(make_attempt())
    assert not refused.value.retryable


def test_a_service_nobody_answers_for_keeps_the_answers_pending() -> None:
    store = HubRecordsStore("http://127.0.0.1:9/services/meso-records/", token=FAKE_TOKEN)  # 9: nobody listens
    pending, attempt = PendingAttempts(), make_attempt()
    with pytest.raises(StoreUnreachableError) as down:
        pending.save(store, attempt)
    assert down.value.retryable
    assert "Cannot reach the progress database server http://127.0.0.1:9/services/meso-records/" in str(down.value)
    assert pending.attempts() == [attempt]


def test_a_restarting_service_is_a_retryable_outage(base: str) -> None:
    with pytest.raises(StoreUnreachableError, match=r"\(HTTP 503 Service Unavailable\)") as down:
        HubRecordsStore(f"{base}/restarting", token=FAKE_TOKEN).record(make_attempt())
    assert down.value.retryable


def test_a_login_redirect_is_a_refusal_not_a_page_to_follow(base: str) -> None:
    with pytest.raises(StoreRefusedError, match="the hub asked for a login instead of accepting this kernel's token"):
        HubRecordsStore(f"{base}/login", token=FAKE_TOKEN).attempts()


def test_the_services_own_reason_reaches_the_trainee(base: str) -> None:
    with pytest.raises(StoreRefusedError) as refused:
        HubRecordsStore(f"{base}/refusing", token=FAKE_TOKEN).record(make_attempt())
    assert (refused.value.status, refused.value.reason) == (403, "Ann may not do that")
    assert str(refused.value) == f"The course's records service {base}/refusing/ refused this: Ann may not do that"


def test_a_reply_that_is_not_json_is_an_outage_not_a_crash(base: str) -> None:
    with pytest.raises(StoreUnreachableError):
        HubRecordsStore(f"{base}/garbled", token=FAKE_TOKEN).attempts()


def test_only_http_addresses_are_accepted() -> None:
    with pytest.raises(StoreRefusedError, match="must start with http:// or https://"):
        HubRecordsStore("file:///etc/passwd", token=FAKE_TOKEN)
