"""How a typed short answer is compared with the accepted answers.

Trainees type on phones, with accents or without, in any case: none of that should
cost them the mark, so answers are compared after folding those differences away.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalise_answer(text: str) -> str:
    """Case-fold, drop accents and punctuation, and collapse whitespace."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = _NOT_WORD.sub(" ", without_accents.casefold()).replace("_", " ")
    return " ".join(words.split())
