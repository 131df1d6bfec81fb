"""Hypothesis strategies for any valid ``Attempt``, shared by the record tests and the store contract."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from meso_training.model import Attempt

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
names = st.text(min_size=1, max_size=30).filter(str.strip)
moments = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),
    max_value=dt.datetime(2100, 1, 1),
    timezones=st.builds(
        dt.timezone, st.timedeltas(min_value=dt.timedelta(hours=-23), max_value=dt.timedelta(hours=23))
    ),
)
attempts = st.builds(
    Attempt,
    trainee=names,
    module_id=names,
    item_id=names,
    question_id=names,
    content_hash=names,
    answer=json_values,
    score=st.floats(min_value=0, max_value=1),
    points=st.floats(min_value=0, max_value=100),
    max_points=st.floats(min_value=0, max_value=100),
    correct=st.booleans(),
    critical=st.booleans(),
    mode=st.sampled_from(["practice", "assessment"]),
    seed=st.none() | st.integers(min_value=-(2**63), max_value=2**63 - 1),
    shown_at=moments,
    submitted_at=moments,
    attempt_uid=st.uuids().map(lambda u: u.hex),
)
