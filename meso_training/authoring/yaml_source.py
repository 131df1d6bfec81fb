"""Read a YAML file into plain data plus the line of every field.

Instructors' files are written by hand, so every later problem must point at a line.
The reader walks PyYAML's event stream with an explicit stack (no recursion, so deep
nesting cannot blow the stack) and refuses what a quiz file never needs and an attacker
would use: anchors and aliases (exponential expansion), explicit tags, duplicate keys,
and more nodes than any module needs (parsing a hostile 4 MB file must stay quick).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from meso_training.authoring.yaml_mistakes import explain_syntax_error
from meso_training.errors import Problem

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 4_000_000
MAX_DEPTH = 40
MAX_NODES = 100_000  # the largest real module has ~3,000; this bounds the work a hostile file can ask for
PathKey = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_YAML_TAG = "tag:yaml.org,2002:"
_SCALAR_KINDS = {  # what each implicit or ``!!`` scalar type is called in messages
    _YAML_TAG + "null": "empty value", _YAML_TAG + "bool": "true/false value",
    _YAML_TAG + "int": "whole number", _YAML_TAG + "float": "number", _YAML_TAG + "timestamp": "date",
}
_CONTAINER_TAGS = {yaml.MappingStartEvent: _YAML_TAG + "map", yaml.SequenceStartEvent: _YAML_TAG + "seq"}
_RESOLVER = Resolver()
_CONSTRUCTOR = SafeConstructor()


@dataclass
class SourceFile:
    """A parsed file: its data and, for each path into the data, the line it starts on."""

    path: Path
    data: Any = None
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, key: PathKey) -> int:
        """The line of ``key`` or of its nearest enclosing field that has one."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), 1)


class _RejectedError(Exception):
    def __init__(self, line: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


def _line(event: yaml.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark is not None else 1


def _check_tag(event: yaml.NodeEvent, allowed: str | None) -> None:
    """Refuse a tag other than ``allowed`` (None: any standard YAML type, checked by the caller)."""
    tag = getattr(event, "tag", None)
    if tag not in (None, "!", allowed) and not (allowed is None and tag.startswith(_YAML_TAG)):
        raise _RejectedError(_line(event), f"YAML tag {tag!r} is not allowed",
                      "remove the tag; quiz files hold plain text, numbers, dates and lists")


def _scalar(event: yaml.ScalarEvent) -> Any:
    _check_tag(event, None)
    tag = event.tag if event.tag not in (None, "!") else None
    if tag is None:
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    if tag == _STR:
        return event.value
    kind = _SCALAR_KINDS.get(tag)
    if kind is None:  # !!map, !!set, !!binary, ... on a scalar: the constructors would return generators or bytes
        raise _RejectedError(_line(event), f"YAML type {tag!r} is not allowed", "")
    try:
        return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, event.value))
    except (ValueError, KeyError, AttributeError, OverflowError) as exc:  # 2026-13-45, a 5,000-digit int, !!int x
        hint = "write the date as YYYY-MM-DD, a day that exists" if kind == "date" else "put text in quotes"
        raise _RejectedError(_line(event), f"{event.value[:40]!r} is not a valid {kind}", hint) from exc


def _build(events: Iterator[yaml.Event]) -> tuple[Any, dict[PathKey, int]]:
    """Turn events into data; a frame is (container, path, pending key)."""
    lines: dict[PathKey, int] = {}
    stack: list[tuple[Any, PathKey, list[Any]]] = []
    root: Any = None

    def attach(value: Any, line: int) -> PathKey:
        nonlocal root
        if not stack:
            root = value
            lines[()] = line
            return ()
        container, path, pending = stack[-1]
        if isinstance(container, list):
            key: PathKey = (*path, len(container))
            container.append(value)
            lines[key] = line
            return key
        if not pending:
            if not isinstance(value, str | int | float | bool) or value is None:
                raise _RejectedError(line, "a field name must be plain text", "")
            name = str(value)
            if name in container:
                raise _RejectedError(line, f"field {name!r} appears twice in the same block",
                              "keep one of them")
            pending.append((name, line))
            return path
        name, key_line = pending.pop()
        container[name] = value
        lines[(*path, name)] = key_line
        return (*path, name)

    nodes = 0
    for event in events:
        nodes += isinstance(event, yaml.NodeEvent)
        if nodes > MAX_NODES:
            raise _RejectedError(_line(event), f"the file has more than {MAX_NODES:,} YAML nodes",
                          "split the module into smaller files")
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _RejectedError(_line(event), "anchors and aliases (&name, *name) are not supported",
                          "write the repeated content out in full")
        line = _line(event)
        if isinstance(event, yaml.ScalarEvent):
            container_is_map = bool(stack) and isinstance(stack[-1][0], dict)
            if container_is_map and not stack[-1][2]:
                _check_tag(event, _STR)
                attach(event.value, line)
            else:
                attach(_scalar(event), line)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if len(stack) >= MAX_DEPTH:
                raise _RejectedError(line, f"nested more than {MAX_DEPTH} levels deep",
                              "a quiz file never needs this much nesting; check the indentation")
            _check_tag(event, _CONTAINER_TAGS[type(event)])
            container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            path = attach(container, line)
            stack.append((container, path, []))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            stack.pop()
        elif isinstance(event, yaml.DocumentStartEvent) and root is not None:
            raise _RejectedError(line, "the file holds more than one YAML document",
                          "remove the '---' separator: one module per file")
    return root, lines


_CONTAINERS = ("items", "steps")  # lists whose entries an author knows by their ids


def field_path(loc: PathKey, data: Any = None) -> str:
    """How a field is named in messages: by the ids the author wrote, ``scalp-hair › hair-triage › options › b``.

    An author knows a question by its id, not as ``items[4]``; entries without an id are
    numbered from 1, as an editor numbers them. Without ``data`` the path is spelt from
    ``loc`` alone (``items #4 › options #2``).
    """
    if not loc:
        return ""
    parts: list[str] = []
    if isinstance(data, dict) and isinstance(data.get("id"), str) and data["id"]:
        parts.append(data["id"])
    node: Any = data
    for n, part in enumerate(loc):
        child: Any = None
        if isinstance(part, int):
            if isinstance(node, list) and 0 <= part < len(node):
                child = node[part]
            ident = child.get("id") if isinstance(child, dict) else child if isinstance(child, str) else None
            shown = isinstance(ident, str) and 0 < len(ident) <= 40 and "\n" not in ident
            parts.append(str(ident) if shown else f"#{part + 1}")
        else:
            if isinstance(node, dict):
                child = node.get(part)
            followed_by_entry = n + 1 < len(loc) and isinstance(loc[n + 1], int)
            if not (part in _CONTAINERS and followed_by_entry and parts):
                parts.append(str(part))
        node = child
    return " › ".join(parts)


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))
_NOT_REGULAR_HINT = "give the path of a .yaml file saved by an editor"


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def quiz_bytes(path: Path) -> bytes | Problem:
    """The bytes of one quiz file, or the problem that stops it being read.

    Refuses anything but a regular file and reads at most the size limit.
    A symlink to ``/dev/zero`` would otherwise be read until memory runs out, and a named
    pipe would block forever: the file is opened without blocking and checked through its
    own descriptor (so it cannot be swapped between the check and the read).
    """
    try:
        kind = _not_regular(os.stat(path).st_mode)  # names a socket, which cannot even be opened
        if kind is None:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return Problem(path, 1, "", f"cannot read the file: {exc.strerror}", "check the path")
    if kind is not None:
        return Problem(path, 1, "", f"this is {kind}, not a quiz file", _NOT_REGULAR_HINT)
    with os.fdopen(fd, "rb") as file:
        kind = _not_regular(os.fstat(fd).st_mode)  # swapped between the stat and the open?
        if kind is not None:
            return Problem(path, 1, "", f"this is {kind}, not a quiz file", _NOT_REGULAR_HINT)
        try:
            raw = file.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            return Problem(path, 1, "", f"cannot read the file: {exc.strerror}", "check the path")
    if len(raw) > MAX_FILE_BYTES:
        return Problem(path, 1, "", f"file is over the {MAX_FILE_BYTES:,}-byte limit",
                       "split the module into smaller files")
    return raw


def read_yaml(path: Path) -> tuple[SourceFile, list[Problem]]:
    """Parse ``path``; on failure return the problems instead of raising."""
    source = SourceFile(path)
    raw = quiz_bytes(path)
    if isinstance(raw, Problem):
        return source, [raw]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return source, [Problem(path, line, "", "the file is not valid UTF-8 text",
                                "save it as UTF-8 in your editor")]
    try:
        source.data, source.lines = _build(_events(text))
    except _RejectedError as exc:
        return source, [Problem(path, exc.line, "", exc.message, exc.hint)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, message, hint = explain_syntax_error(text, mark.line + 1 if mark is not None else 1,
                                                   exc.problem or str(exc))
        return source, [Problem(path, line, "", message, hint)]
    except yaml.YAMLError as exc:
        return source, [Problem(path, 1, "", f"YAML error: {exc}", "check the file's characters")]
    if source.data is None:
        return source, [Problem(path, 1, "", "the file is empty", "write a module, see docs/authoring.md")]
    return source, []


def _events(text: str) -> Iterator[yaml.Event]:
    return yaml.parse(text, Loader=_LOADER)
