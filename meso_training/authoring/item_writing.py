"""Item-writing flaws: the cues that let a test-wise trainee score without knowing the medicine.

The rules follow the technical flaws of the NBME item-writing guide (issue 15 §2): a keyed
option longer than the rest, "all/none of the above", absolute words only in wrong options,
a stem word echoed only in the key (clang association), options of mixed form, negative
stems without emphasis, and, across a module, where the key sits and how long it is.
Each rule has an id an instructor can name in a question's ``lint_waivers`` (with a reason)
when it does not fit; the module measures live in ``answer_length_balance`` so the lint, the
content tests and an author's own checks count the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import mean
from typing import NamedTuple

from meso_training.model import Course, Module, MultipleResponse, Ordering, QuestionType, ShortText, SingleChoice

KEYED_MARGIN = 1.25
"""A single key (or the keys' mean) this many times the distractors' is flagged on its question."""
MAX_KEYED_LONGEST_SHARE = 0.35
"""Keys strictly longest in more single-choice questions than this share of a module: a cue."""
MAX_LENGTH_RATIO = 1.15
"""Mean keyed length over mean distractor length above this, across a module: a cue."""
MAX_POSITION_SHARE = 0.5
"""More single-choice keys than this share in one position of a module: a cue."""

RULES: dict[str, str] = {
    "keyed-longest": "the correct option is much longer than the wrong ones",
    "all-none-of-the-above": "an option reads 'all of the above' or 'none of the above'",
    "absolute-terms": "absolute words (always, never, only, safe, ...) appear only in wrong options",
    "clang-association": "a word of the prompt is repeated in the correct option and in no wrong one",
    "mixed-form": "options are written in different grammatical forms",
    "negative-stem": "the question is worded negatively (not, except, least) without emphasis",
    "id-gives-answer": "a short-text question's id holds a word of its accepted answers",
    "key-position": "a module puts most single-choice keys in the same position",
    "length-balance": "a module's correct options are longer than its wrong ones overall",
}
"""Every rule id, with what it flags; question rules can be waived, module rules (the last two) cannot."""
MODULE_RULES = frozenset({"key-position", "length-balance"})

ABSOLUTE_TERMS = ("always", "never", "all", "none", "only", "proven", "guaranteed", "completely", "entirely", "safe")
_ABSOLUTE = re.compile(r"\b(" + "|".join(ABSOLUTE_TERMS) + r")\b", re.IGNORECASE)
_ABOVE = re.compile(r"\b(?:all|none|both|neither)\s+of\s+the\s+(?:above|options)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+")
_EMPHASIS = re.compile(r"\*\*.+?\*\*|__.+?__|\*[^*\s][^*]*\*|\b_[^_\s][^_]*_\b", re.DOTALL)
_NEGATIVE = re.compile(r"\b(?:not|cannot|except|(?<!\bat )least)\b(?!-)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?]['\"”’)]*$")


def _word_list(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FUNCTION_WORDS = _word_list(
    "which what where when while would could should their there these those about after before other first "
    "being under until since whose every above below between through during without within following most "
    "likely best next given whether"
)
_IMPERATIVES = _word_list(
    "ask check stop refer give start apply inject treat proceed wait defer document explain advise offer use "
    "avoid continue postpone tell reassure prescribe call book repeat massage aspirate record inform examine "
    "test measure take remove switch reduce increase add send review arrange admit discontinue withhold perform "
    "obtain seek consult cancel decline recommend warn place cool clean dilute mix choose select monitor follow "
    "observe keep lay raise elevate administer dissolve flush cover photograph re-treat retreat delay discuss "
    "confirm assess reschedule lower"
)
_NOUN_STARTS = _word_list("a an the one two three four five six seven eight nine ten")


class ItemFlaw(NamedTuple):
    """One flaw: the rule's id (what a waiver names) and what to change, in an instructor's words."""

    rule: str
    message: str


@dataclass(frozen=True)
class LengthBalance:
    """How much option length gives the key away, over single-choice and multiple-response questions.

    ``ratio`` is the mean over questions of the keyed options' mean length divided by the mean
    over questions of the distractors' mean length (as /tmp/h/lengths.py and issue 15 count it).
    """

    single_choice_count: int
    keyed_longest: int
    keyed_longest_ids: tuple[str, ...]
    keyed_means: tuple[float, ...]
    distractor_means: tuple[float, ...]

    @property
    def keyed_longest_share(self) -> float:
        return self.keyed_longest / self.single_choice_count if self.single_choice_count else 0.0

    @property
    def ratio(self) -> float:
        if not self.distractor_means:
            return 1.0
        return mean(self.keyed_means) / mean(self.distractor_means)


def answer_length_balance(source: Module | Course | Iterable[QuestionType]) -> LengthBalance:
    """Keyed-longest count (key strictly longer than every distractor) and the length ratio."""
    if isinstance(source, Course):
        questions: Iterable[QuestionType] = [q for m in source.modules for _, q in m.questions()]
    elif isinstance(source, Module):
        questions = [q for _, q in source.questions()]
    else:
        questions = source
    count = 0
    longest: list[str] = []
    keyed: list[float] = []
    other: list[float] = []
    for q in questions:
        if not isinstance(q, SingleChoice | MultipleResponse):
            continue
        k = [len(o.text) for o in q.options if o.correct]
        d = [len(o.text) for o in q.options if not o.correct]
        if not k or not d:
            continue
        keyed.append(mean(k))
        other.append(mean(d))
        if isinstance(q, SingleChoice):
            count += 1
            if max(k) > max(d):
                longest.append(q.id)
    return LengthBalance(count, len(longest), tuple(longest), tuple(keyed), tuple(other))


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'").replace("'s", ""))


def _stem(word: str) -> str:
    """A crude singular, so 'injections' in an option echoes 'injection' in the prompt."""
    return word[:-1] if len(word) > 5 and word.endswith("s") and not word.endswith("ss") else word


def _keyed_longest(q: SingleChoice | MultipleResponse) -> list[ItemFlaw]:
    """Authors qualify the right answer and not the wrong ones; the margin spares keys only a little longer."""
    keyed = [len(o.text) for o in q.options if o.correct]
    wrong = [len(o.text) for o in q.options if not o.correct]
    if isinstance(q, SingleChoice):
        key, top = keyed[0], max(wrong)
        if key > top and key > KEYED_MARGIN * top:
            return [ItemFlaw("keyed-longest", f"the correct option is by far the longest ({key} characters, the "
                             f"longest wrong one {top}): a trainee can pick it by its length; make the wrong options "
                             "as specific as the key (a plausible wrong drug, dose, timing or order) or trim the key")]
        return []
    if mean(keyed) > KEYED_MARGIN * mean(wrong):
        return [ItemFlaw("keyed-longest", f"the correct options are much longer than the wrong ones ({mean(keyed):.0f} "
                         f"characters on average, the wrong ones {mean(wrong):.0f}): make the wrong options as "
                         "specific as the right ones, or trim the right ones")]
    return []


def _above(q: SingleChoice | MultipleResponse) -> list[ItemFlaw]:
    """Spotting two true options, or one false one, answers these without weighing the rest."""
    named = [o.id for o in q.options if _ABOVE.search(o.text)]
    if not named:
        return []
    return [ItemFlaw("all-none-of-the-above", f"option {', '.join(named)} reads 'all/none of the above': it tests "
                     "recognising one false or true option, not the decision; write a specific option instead")]


def _absolute_terms(q: SingleChoice | MultipleResponse) -> list[ItemFlaw]:
    """Medicine rarely says always or never, so test-wise trainees discard options that do."""
    def terms(correct: bool) -> set[str]:
        return {m.lower() for o in q.options if o.correct == correct for m in _ABSOLUTE.findall(o.text)}

    only_wrong = sorted(terms(False) - terms(True))
    if not only_wrong:
        return []
    quoted = ", ".join(f"'{t}'" for t in only_wrong)
    return [ItemFlaw("absolute-terms", f"{quoted} appear{'s' if len(only_wrong) == 1 else ''} only in wrong options: "
                     "test-wise trainees rule out absolute answers; reword those options in measured terms, or let "
                     "the key be as firm where the evidence is")]


def _clang(q: SingleChoice | MultipleResponse) -> list[ItemFlaw]:
    """A prompt word echoed only in the key points to it; short and function words are too common to count."""
    stem = {_stem(w) for w in _words(q.prompt) if len(w) >= 5 and w not in _FUNCTION_WORDS}
    keyed = [{_stem(w) for w in _words(o.text)} for o in q.options if o.correct]
    wrong = set[str]().union(*({_stem(w) for w in _words(o.text)} for o in q.options if not o.correct))
    echoed = sorted(stem.intersection(*keyed) - wrong)
    if not echoed:
        return []
    quoted = ", ".join(f"'{w}'" for w in echoed)
    return [ItemFlaw("clang-association", f"{quoted} from the prompt recur{'s' if len(echoed) == 1 else ''} in the "
                     "correct option and in no wrong one: the echo points to the key; use the word in a wrong "
                     "option too, or reword the key")]


def _form(text: str) -> str | None:
    """'verb' for an instruction, 'noun' for a phrase that starts like a noun, None when unsure."""
    words = text.lower().split()
    first = words[0].strip("(\"'“‘*") if words else ""
    if first in _IMPERATIVES:
        return "verb"
    if first in _NOUN_STARTS or first[:1].isdigit():
        return "noun"
    return None


def _mixed_form(q: SingleChoice | MultipleResponse) -> list[ItemFlaw]:
    """The option written differently (often the key, rewritten last) stands out.

    Conservative on purpose: only a full stop against none, or a known instruction verb
    against an article or number, counts; anything else is left to the reviewer.
    """
    out: list[ItemFlaw] = []
    sentences = [o.id for o in q.options if _SENTENCE_END.search(o.text.strip())]
    if sentences and len(sentences) < len(q.options):
        out.append(ItemFlaw("mixed-form", f"some options end with a full stop ({', '.join(sentences)}) and others "
                            "do not: write all options as sentences or all as phrases, so none stands out"))
    forms = {o.id: _form(o.text) for o in q.options}
    verbs = [i for i, f in forms.items() if f == "verb"]
    nouns = [i for i, f in forms.items() if f == "noun"]
    if verbs and nouns:
        out.append(ItemFlaw("mixed-form", f"options {', '.join(verbs)} start with an instruction (a verb) and "
                            f"{', '.join(nouns)} with a thing or a number: write every option in the same form "
                            "(all actions, or all findings)"))
    return out


def _negative_stem(q: QuestionType) -> list[ItemFlaw]:
    """A reader skims past a lower-case "not"; only the asking sentence counts, so a "not" in the history does not."""
    sentences = re.split(r"(?<=[.?!])\s+", _EMPHASIS.sub(" ", q.prompt).strip())
    asking = [i for i, s in enumerate(sentences) if "?" in s] or [len(sentences) - 1]
    # "... except one. Which?": a bare question word asks through the sentence before it
    asked = [sentences[j] for i in asking for j in ([i - 1, i] if i and len(sentences[i].split()) < 4 else [i])]
    plain = [m.group() for s in asked for m in _NEGATIVE.finditer(s) if m.group() != m.group().upper()]
    if not plain:
        return []
    return [ItemFlaw("negative-stem", f"the question asks negatively ('{plain[0]}') without emphasis: trainees "
                     f"miss the negation; ask positively, or write it as **{plain[0]}** or {plain[0].upper()}")]


def _id_gives_answer(q: ShortText) -> list[ItemFlaw]:
    """Ids travel with the question (to the page, to a hub assessment's paper): an answer in one is a cue."""
    parts = set(re.split(r"[-_.]+", q.id.lower()))
    given = sorted({w for a in q.accepted for w in _words(a) if len(w) > 3 and w not in _FUNCTION_WORDS} & parts)
    if not given:
        return []
    return [ItemFlaw("id-gives-answer", f"the question's id {q.id!r} holds {given[0]!r}, a word of its accepted "
                     "answers, and ids are seen before the answer is in; choose an id that names the topic only")]


def question_flaws(q: QuestionType) -> list[ItemFlaw]:
    """The item-writing flaws of one question, leaving out the rules its ``lint_waivers`` name."""
    found = [] if isinstance(q, Ordering) else _negative_stem(q)
    if isinstance(q, SingleChoice | MultipleResponse):
        for rule in (_keyed_longest, _above, _absolute_terms, _clang, _mixed_form):
            found += rule(q)
    if isinstance(q, ShortText):
        found += _id_gives_answer(q)
    waived = {w.rule for w in q.lint_waivers}
    found = [f for f in found if f.rule not in waived]
    for w in q.lint_waivers:
        if w.rule not in RULES:
            found.append(ItemFlaw("waiver", f"the waiver names no lint rule {w.rule!r}; use one of: "
                                  f"{', '.join(r for r in RULES if r not in MODULE_RULES)}"))
        elif w.rule in MODULE_RULES:
            found.append(ItemFlaw("waiver", f"{w.rule!r} is a module rule and cannot be waived on one question; "
                                  "fix the module's balance instead"))
    return found


def module_flaws(module: Module) -> list[ItemFlaw]:
    """Cues across a module: the key's usual position and the keys' length."""
    out: list[ItemFlaw] = []
    positions = [next(i for i, o in enumerate(q.options) if o.correct)
                 for _, q in module.questions() if isinstance(q, SingleChoice)]
    if len(positions) >= 4:
        most, count = Counter(positions).most_common(1)[0]
        if count / len(positions) > MAX_POSITION_SHARE:
            out.append(ItemFlaw("key-position", f"the correct option is option {most + 1} in {count} of "
                                f"{len(positions)} single-choice questions; vary its position"))
    balance = answer_length_balance(module)
    if balance.keyed_longest_share > MAX_KEYED_LONGEST_SHARE:
        shown = ", ".join(balance.keyed_longest_ids[:8]) + (", ..." if balance.keyed_longest > 8 else "")
        out.append(ItemFlaw("length-balance", f"the correct option is the longest in {balance.keyed_longest} of "
                            f"{balance.single_choice_count} single-choice questions "
                            f"({balance.keyed_longest_share:.0%}; at most {MAX_KEYED_LONGEST_SHARE:.0%}): {shown}; "
                            "make wrong options as specific as the key, or trim the key"))
    if balance.ratio > MAX_LENGTH_RATIO:
        out.append(ItemFlaw("length-balance", f"correct options are {balance.ratio:.2f} times as long as wrong ones "
                            f"on average (at most {MAX_LENGTH_RATIO}); make wrong options as specific and "
                            "plausible as the keys rather than padding them"))
    return out
