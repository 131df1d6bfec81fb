"""Hostile and broken quiz files: the loader answers with located problems, quickly, and never crashes.

An instructor's typo and an attacker's file must end the same way: a ``QuizFormatError`` whose
every problem names the file and a real line, within a bounded time and memory. Any other
exception would surface in a notebook as a traceback, a hang would freeze the course.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from quiz_text import QUIZZES, line_of, module_text

from meso_training.authoring.loader import MAX_PROBLEMS_PER_FILE, load_course
from meso_training.authoring.yaml_source import MAX_NODES
from meso_training.errors import Problem, QuizFormatError

# A guard against blow-ups (hostile files once took minutes), not a speed target: a loaded
# CI machine doubles a 1 s load. bench/bench_loader.py measures speed.
MAX_SECONDS = 10.0
MAX_PEAK_MB = 64
BASE = (QUIZZES / "00-orientation.yaml").read_text(encoding="utf-8")  # every question type and a case
BASE_DATA: dict[str, Any] = yaml.safe_load(BASE)

FUZZ = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for all examples of a test (hypothesis forbids function-scoped fixtures)."""
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "sources.yaml").write_bytes((QUIZZES / "sources.yaml").read_bytes())
    return folder


def timed_load(folder: Path, *, trace: bool) -> tuple[list[Problem] | None, str, float, int]:
    """Problems (None if the module loaded), the error's text, seconds taken, peak bytes if traced."""
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        load_course([folder])
        problems, message = None, ""
    except QuizFormatError as exc:
        problems, message = exc.problems, str(exc)
    finally:
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        tracemalloc.stop()
    return problems, message, elapsed, peak


def load_bounded(folder: Path, content: str | bytes, *, big: bool = False) -> list[Problem] | None:
    """Load ``content`` as the only module; check time, memory and every problem's location.

    Returns the problems, or None when the file happened to be a valid module. Tracing memory
    slows loading about fivefold, so a ``big`` file is timed in a second, untraced load.
    """
    raw = content.encode("utf-8") if isinstance(content, str) else content
    path = folder / "module.yaml"
    path.write_bytes(raw)
    problems, message, elapsed, peak = timed_load(folder, trace=True)
    if big:
        elapsed = timed_load(folder, trace=False)[2]
    assert elapsed < MAX_SECONDS, f"took {elapsed:.2f}s"
    assert peak < MAX_PEAK_MB * 1_000_000, f"peak {peak / 1e6:.0f} MB"
    if problems is not None:
        assert message.startswith(f"{len(problems)} problem")
        last_line = len(raw.decode("utf-8", "replace").splitlines()) + 1
        assert problems
        for problem in problems:
            assert problem.path == path, problem
            assert 1 <= problem.line <= last_line, problem
            assert problem.message, problem
    return problems


def must_fail(folder: Path, content: str | bytes, *, big: bool = False) -> list[Problem]:
    problems = load_bounded(folder, content, big=big)
    assert problems is not None, "a broken file loaded"
    return problems


# ---- generators ----------------------------------------------------------------------------

HOSTILE_TEXT = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
    "<" + " " * 20_000, "on" * 10_000, "<a " * 6_000, "\u202e\u200b\ufeff", "\x85\u2028\u2029",
    "x" * 25_000, "", "   ", "yes", "2026-13-45", "9" * 5_000, ".nan", "-.inf", "~", "'", '"', "- a",
    "{a: b}", "*alias", "&anchor x", "!!python/object:os.system", "%", "@", "`", "---", "...",
])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**30, max_value=10**60),
    st.floats(allow_nan=True, allow_infinity=True), st.text(st.characters(codec="utf-8"), max_size=60),
    st.dates(), HOSTILE_TEXT,
)
KEYS = st.one_of(st.sampled_from(sorted({*BASE_DATA, *BASE_DATA["items"][0], "type", "steps", "options"})),
                 st.text(st.characters(codec="utf-8"), min_size=1, max_size=20))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=6) | st.dictionaries(KEYS, inner, max_size=6),
                      max_leaves=40)


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def paths_into(data: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value in ``data`` (dict keys and list indexes)."""
    out = [here]
    if isinstance(data, dict):
        for key, value in data.items():
            out += paths_into(value, (*here, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += paths_into(value, (*here, index))
    return out


BASE_PATHS = [p for p in paths_into(BASE_DATA) if p]


def value_at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


TEXT_FIELDS = {"title", "prompt", "rationale", "feedback", "text", "vignette", "correct", "incorrect", "end"}
TEXT_PATHS = [p for p in BASE_PATHS if p[-1] in TEXT_FIELDS and isinstance(value_at(BASE_DATA, p), str)]


def replaced(data: Any, path: tuple[Any, ...], action: Callable[[Any, Any], None]) -> Any:
    """A deep copy of ``data`` with ``action(parent, key)`` applied at ``path``."""
    copy = yaml.safe_load(dump(data))
    parent = copy
    for part in path[:-1]:
        parent = parent[part]
    action(parent, path[-1])
    return copy


@st.composite
def mutated_modules(draw: st.DrawFn) -> str:
    """The real orientation module with one field deleted or given a value of another type."""
    path = draw(st.sampled_from(BASE_PATHS))
    if draw(st.booleans()):
        return dump(replaced(BASE_DATA, path, lambda parent, key: parent.pop(key)))
    value = draw(VALUES)

    def put(parent: Any, key: Any) -> None:
        parent[key] = value

    return dump(replaced(BASE_DATA, path, put))


@st.composite
def edited_texts(draw: st.DrawFn) -> str:
    """The module's text with a line duplicated, deleted or cut, or random characters inserted."""
    lines = BASE.splitlines(keepends=True)
    index = draw(st.integers(0, len(lines) - 1))
    edit = draw(st.sampled_from(["duplicate", "delete", "insert", "cut", "indent"]))
    if edit == "duplicate":  # a duplicated 'key: value' line is a duplicate key
        lines.insert(index, lines[index])
    elif edit == "delete":
        del lines[index]
    elif edit == "insert":
        junk = draw(st.text(st.characters(codec="utf-8"), min_size=1, max_size=30) | HOSTILE_TEXT)
        at = draw(st.integers(0, len(lines[index])))
        lines[index] = lines[index][:at] + junk + lines[index][at:]
    elif edit == "cut":
        lines = lines[:index]
    else:
        lines[index] = " " * draw(st.integers(1, 7)) + lines[index]
    return "".join(lines)


VALUE_LINES = [i for i, line in enumerate(BASE.splitlines()) if re.match(r"^[\s-]*[a-z_]+: \S", line)]
RAW_SCALARS = st.one_of(  # written into the file as they are, so YAML resolves their type itself
    st.sampled_from(["2026-13-45", "2026-02-30", "0000-00-00", "!!timestamp soon", "!!int one", "!!float one",
                     "!!bool maybe", "!!null x", "!!set x", "!!map x", "!!binary '!!'", "!!python/name:os.system x",
                     "!foo x", "&a x", "*a", "~", ".nan", "-.inf", "0x1F", "0o17", "1_000", "1e400", "yes", "[]", "{}",
                     "[a, [b, {c: d}]]", "{a: 1, a: 2}", "|\n  block", ">-", "? x", "'<" + " " * 20_000 + "'",
                     "'" + "on" * 10_000 + "'", "'" + "<a " * 6_000 + "'"]),
    st.from_regex(r"\A-?[0-9]{1,5000}\Z"),
    st.from_regex(r"\A[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}( [0-9]{1,2}:[0-9]{2}:[0-9]{2})?\Z"),
    st.text(st.characters(codec="utf-8", exclude_characters="\n\r"), max_size=40),
)


@st.composite
def raw_value_edits(draw: st.DrawFn) -> str:
    """The module's text with one ``key: value`` line given a raw value of another type or a hostile one."""
    lines = BASE.splitlines(keepends=True)
    index = draw(st.sampled_from(VALUE_LINES))
    key = lines[index].split(":", 1)[0]
    lines[index] = f"{key}: {draw(RAW_SCALARS)}\n"
    return "".join(lines)


# ---- properties ----------------------------------------------------------------------------


@FUZZ
@given(raw=st.binary(max_size=4_000))
def test_random_bytes_get_located_problems_never_a_crash(fuzz_dir: Path, raw: bytes) -> None:
    load_bounded(fuzz_dir, raw)


@FUZZ
@given(text=st.text(st.characters(codec="utf-8"), max_size=2_000))
def test_random_text_with_control_characters_gets_located_problems(fuzz_dir: Path, text: str) -> None:
    load_bounded(fuzz_dir, text)


@FUZZ
@given(data=VALUES)
def test_random_yaml_documents_get_located_problems(fuzz_dir: Path, data: Any) -> None:
    must_fail(fuzz_dir, dump(data))


@FUZZ
@given(text=mutated_modules())
def test_a_module_with_a_field_deleted_or_retyped_loads_or_reports_located_problems(fuzz_dir: Path,
                                                                                  text: str) -> None:
    load_bounded(fuzz_dir, text)


@FUZZ
@given(text=edited_texts())
def test_a_module_with_a_line_duplicated_cut_or_garbled_loads_or_reports_located_problems(fuzz_dir: Path,
                                                                                         text: str) -> None:
    load_bounded(fuzz_dir, text)


@FUZZ
@given(text=raw_value_edits())
def test_a_module_with_a_raw_value_of_another_type_loads_or_reports_located_problems(fuzz_dir: Path,
                                                                                     text: str) -> None:
    load_bounded(fuzz_dir, text)


@settings(FUZZ, max_examples=60)
@given(width=st.integers(2, 10), depth=st.integers(2, 30))
def test_billion_laughs_is_refused_before_anything_expands(fuzz_dir: Path, width: int, depth: int) -> None:
    lines = ['l0: &l0 "lol"']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, depth)]
    problems = must_fail(fuzz_dir, module_text() + "\n".join(lines) + "\n")
    assert [p.message for p in problems] == ["anchors and aliases (&name, *name) are not supported"]


@settings(FUZZ, max_examples=60)
@given(depth=st.integers(41, 5_000), flow=st.booleans())
def test_deep_nesting_is_refused_at_a_line(fuzz_dir: Path, depth: int, flow: bool) -> None:
    if flow or depth > 600:  # block nesting grows the file with depth squared
        text = "id: " + "[" * depth + "]" * depth
    else:
        text = "".join(f"{'  ' * i}k{i}:\n" for i in range(depth)) + "  " * depth + "end\n"
    (problem,) = must_fail(fuzz_dir, text)
    assert "nest" in problem.message


@settings(FUZZ, max_examples=30)
@given(size=st.integers(20_001, 3_000_000), field=st.sampled_from(["prompt", "rationale", "id", "feedback"]))
def test_huge_strings_are_refused_quickly(fuzz_dir: Path, size: int, field: str) -> None:
    text = re.sub(rf"(\n[\s-]*{field}: ).*", lambda m: m.group(1) + "x" * size, module_text(), count=1)
    (problem,) = must_fail(fuzz_dir, text)
    assert "at most" in problem.message


@FUZZ
@given(path=st.sampled_from(TEXT_PATHS),
       payload=st.sampled_from(["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</div >",
                                "[x](javascript:alert(1))", "<a href='x'>", 'see <b onclick="x">']))
def test_html_and_script_in_any_text_field_is_reported_at_that_field(fuzz_dir: Path, path: tuple[Any, ...],
                                                                     payload: str) -> None:
    def put(parent: Any, key: Any) -> None:
        parent[key] = f"Read this {payload} first"

    problems = must_fail(fuzz_dir, dump(replaced(BASE_DATA, path, put)))
    assert {p.message for p in problems} == {"raw HTML or script is not allowed in text"}


# ---- regressions: each of these raised, hung or blew up before the fix ----------------------


@pytest.mark.parametrize(("needle", "replacement", "message"), [
    ("reviewed: 2026-01-01", "reviewed: 2026-13-45", "'2026-13-45' is not a valid date"),
    ("reviewed: 2026-01-01", "reviewed: 2026-02-30", "'2026-02-30' is not a valid date"),
    ("reviewed: 2026-01-01", "reviewed: !!timestamp soon", "'soon' is not a valid date"),
    ("points: 1", "points: " + "9" * 5_000, f"{'9' * 40!r} is not a valid whole number"),
    ("points: 1", "points: !!int one", "'one' is not a valid whole number"),
    ("points: 1", "points: !!float one", "'one' is not a valid number"),
    ("points: 1", "points: !!bool maybe", "'maybe' is not a valid true/false value"),
    ("points: 1", "points: !!set one", "YAML type 'tag:yaml.org,2002:set' is not allowed"),
    ("points: 1", "points: !!binary aGk=", "YAML type 'tag:yaml.org,2002:binary' is not allowed"),
    ("id: test-module", "!!python/object:os.system\nid: test-module",
     "YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed"),
    ("    points: 1", "    !!python/name:os.system points: 1",
     "YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed"),
])
def test_unreadable_scalars_and_tags_are_problems_not_crashes(fuzz_dir: Path, needle: str, replacement: str,
                                                              message: str) -> None:
    text = module_text().replace(needle, replacement, 1)
    (problem,) = must_fail(fuzz_dir, text)
    assert problem.message == message
    assert problem.line == line_of(text, replacement.splitlines()[0])


@pytest.mark.parametrize("prompt", ["<" + " " * 3_000_000, "on" * 9_999, "<a " * 6_600])
def test_text_that_made_the_html_check_backtrack_is_checked_in_linear_time(fuzz_dir: Path, prompt: str) -> None:
    load_bounded(fuzz_dir, module_text().replace("Where does mesotherapy inject?", f"'{prompt}'"), big=True)


def test_a_file_with_too_many_nodes_is_refused_before_it_is_all_parsed(fuzz_dir: Path) -> None:
    text = "items: [" + "1, " * 1_000_000 + "1]\n"
    (problem,) = must_fail(fuzz_dir, text, big=True)
    assert problem.message == f"the file has more than {MAX_NODES:,} YAML nodes"


def test_a_file_broken_throughout_lists_the_first_problems_and_counts_the_rest(fuzz_dir: Path) -> None:
    text = module_text() + "  - {type: numeric, zz: 1}\n" * 5_000
    problems = must_fail(fuzz_dir, text, big=True)
    assert len(problems) == MAX_PROBLEMS_PER_FILE + 1
    (summary,) = [p for p in problems if p.message.endswith("more problems not shown")]
    assert re.fullmatch(r"[\d,]+ more problems not shown", summary.message)


def test_the_base_module_is_valid_so_mutations_start_from_a_loading_file(fuzz_dir: Path) -> None:
    assert load_bounded(fuzz_dir, BASE) is None
    assert load_bounded(fuzz_dir, dump(BASE_DATA)) is None
    assert isinstance(BASE_DATA["items"][0]["reviewed"], dt.date)


@pytest.mark.parametrize(("line", "field", "shown"), [
    ("      value: .nan", "value", "nan"), ("      value: -.inf", "value", "-inf"),
    ("      tolerance: .inf", "tolerance", "inf"),
])
def test_a_numeric_answer_no_one_could_match_is_refused(fuzz_dir: Path, line: str, field: str, shown: str) -> None:
    """Found by the grading fuzz: ``value: .nan`` loaded, and then even the keyed answer was refused."""
    old = "      value: 1950\n      tolerance: 0\n"
    text = BASE.replace(old, old.replace(f"      {field}: {1950 if field == 'value' else 0}", line), 1)
    (problem,) = must_fail(fuzz_dir, text)
    assert problem.field == f"orientation › ori-decade › answer › {field}"
    assert problem.message == f"{field} must be a finite number, got {shown}"
    assert problem.line == line_of(text, line)
