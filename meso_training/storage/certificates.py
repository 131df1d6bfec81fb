"""A certificate as the store keeps it, and its verification code.

A certificate is only worth keeping if someone else can check it: the code printed on it
finds this record again (``meso-training verify-certificate CODE``), and the record names
the stored attempts its score came from, so a forged page or an edited score shows up.

Codes are 12 characters of Crockford's base32 (digits and capitals without I, L, O, U),
60 random bits from ``secrets``, shown as ``MESO-7KQ2-9XRT-4DFA``. People copy them off
paper: ``parse_code`` ignores case, dashes and spaces, and reads O as 0 and I or L as 1.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from meso_training.errors import CertificateCodeError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
PREFIX = "MESO"
_SLIPS = str.maketrans("OIL", "011")
_PREFIX_READ = PREFIX.translate(_SLIPS)  # MES0: how the prefix reads once O is taken for 0
_SEPARATORS = re.compile(r"[\s\-_.·–—]+")


def new_code() -> str:
    """A fresh random code, in its stored form (12 characters, no prefix, no dashes).

    Never one that starts like the prefix (``MES0``), so a code typed without it cannot be
    mistaken for a code cut short.
    """
    while (code := "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))).startswith(_PREFIX_READ):
        pass
    return code


def display_code(code: str) -> str:
    """``7KQ29XRT4DFA`` as printed: ``MESO-7KQ2-9XRT-4DFA``."""
    return "-".join([PREFIX, *(code[i:i + 4] for i in range(0, len(code), 4))])


def parse_code(text: str) -> str:
    """A code as typed (any case, with or without dashes and the MESO prefix) in its stored form.

    Raises ``CertificateCodeError`` for text that cannot be a code, so a person is told to
    copy it again rather than that no such certificate exists.
    """
    raw = _SEPARATORS.sub("", text).upper().translate(_SLIPS)
    if raw.startswith(_PREFIX_READ):
        raw = raw[len(PREFIX):]
    if len(raw) != CODE_LENGTH or any(c not in ALPHABET for c in raw):
        raise CertificateCodeError(text.strip())
    return raw


def attempts_key(uids: Iterable[str]) -> str:
    """The attempts a certificate rests on as one text (sorted JSON): issuing for the same ones again finds it."""
    return json.dumps(sorted(set(uids)))


@dataclass(frozen=True)
class Certificate:
    """One issued certificate: who passed which module (and which version), when, with what score.

    ``score`` and ``pass_mark`` are fractions (0.8 is 80%); ``issued_at`` is UTC.
    ``attempt_uids`` are the stored attempts the score was computed from.
    """

    code: str
    trainee: str
    course_title: str
    module_id: str
    module_title: str
    content_version: str
    score: float
    points: float
    max_points: float
    pass_mark: float
    issued_at: dt.datetime
    attempt_uids: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "attempt_uids", tuple(sorted(set(self.attempt_uids))))
        object.__setattr__(self, "issued_at", self.issued_at.astimezone(dt.UTC))

    @property
    def shown_code(self) -> str:
        """The code as printed on the certificate."""
        return display_code(self.code)

    def to_row(self) -> tuple[Any, ...]:
        """The values of a ``certificates`` row, in ``COLUMNS`` order."""
        return (self.code, self.trainee, self.course_title, self.module_id, self.module_title,
                self.content_version, self.score, self.points, self.max_points, self.pass_mark,
                self.issued_at.isoformat(timespec="seconds"), attempts_key(self.attempt_uids))

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Certificate:
        (code, trainee, course, module_id, module_title, version, score, points, max_points, pass_mark,
         issued, uids) = row
        return cls(str(code), str(trainee), str(course), str(module_id), str(module_title), str(version),
                   float(score), float(points), float(max_points), float(pass_mark),
                   dt.datetime.fromisoformat(str(issued)), tuple(json.loads(str(uids))))


COLUMNS = ("code, trainee, course_title, module_id, module_title, content_version, score, points, "
           "max_points, pass_mark, issued_at, attempt_uids")
"""The columns of the ``certificates`` table, in ``Certificate.to_row`` order."""
PLACEHOLDERS = ", ".join("?" * len(COLUMNS.split(",")))
