"""What the records service refuses in a request before it grades or stores anything."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from attempt_factory import make_attempt

from meso_training.errors import RecordsRequestError
from meso_training.records_service.validation import (
    MAX_BATCH,
    MAX_BODY_BYTES,
    attempts_from,
    json_body,
    setting_value,
)


def _refusal(call: Callable[..., object], *args: object) -> RecordsRequestError:
    with pytest.raises(RecordsRequestError) as refused:
        call(*args)
    return refused.value


def test_a_body_over_the_limit_is_refused_with_413() -> None:
    refused = _refusal(json_body, b" " * (MAX_BODY_BYTES + 1))
    assert refused.status == 413
    assert str(refused) == f"the request is larger than {MAX_BODY_BYTES:,} bytes; send fewer answers at a time"


@pytest.mark.parametrize("body", [b"{not json", b"[" * 100_000])
def test_text_that_is_not_json_is_refused_with_400(body: bytes) -> None:
    refused = _refusal(json_body, body)
    assert (refused.status, str(refused)) == (400, "the request body is not JSON")


@pytest.mark.parametrize("data", [None, [], {"attempts": "all of them"}, {"answers": []}])
def test_a_body_that_is_not_a_batch_is_refused(data: object) -> None:
    refused = _refusal(attempts_from, data, "Ann")
    assert (refused.status, str(refused)) == (400, 'the request must be a JSON object {"attempts": [...]}')


def test_too_many_attempts_in_one_batch_are_refused() -> None:
    refused = _refusal(attempts_from, {"attempts": [{}] * (MAX_BATCH + 1)}, "Ann")
    assert refused.status == 413


def test_every_bad_attempt_of_a_batch_is_named_at_once() -> None:
    good = make_attempt().to_dict()
    batch = {"attempts": [good, 3, {**good, "score": 2}]}
    refused = _refusal(attempts_from, batch, "Ann")
    assert refused.status == 400
    assert str(refused) == ("attempt 2: not a JSON object; attempt 3 (question 'q1'): attempt not valid: score must "
                            "be between 0 and 1, got 2")


def test_attempts_of_someone_else_are_refused_with_403() -> None:
    batch = {"attempts": [make_attempt(trainee="Ann").to_dict(), make_attempt(trainee="Bob").to_dict()]}
    refused = _refusal(attempts_from, batch, "Ann")
    assert (refused.status, str(refused)) == (403, "Ann may record only their own answers, not those of Bob")


def test_a_batch_of_the_senders_own_attempts_is_read_back_unchanged() -> None:
    attempts = [make_attempt(trainee="Ann"), make_attempt(trainee="Ann")]
    body = json.dumps({"attempts": [a.to_dict() for a in attempts]}).encode()
    assert attempts_from(json_body(body), "Ann") == attempts


@pytest.mark.parametrize("data", [{"value": 3}, {"value": "x" * 2001}, "dark"])
def test_a_setting_must_be_a_short_text(data: object) -> None:
    assert _refusal(setting_value, data).status == 400
