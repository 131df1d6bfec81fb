"""The YAML slips quiz authors make, in plain words: tabs, curly quotes, lines that line up with nothing."""

from __future__ import annotations

import re

_CURLY = "“”‘’„‟«»"
_SPACES = re.compile(r"( *)")


def _indent(line: str) -> int:
    match = _SPACES.match(line)
    return len(match[1]) if match else 0


def explain_syntax_error(text: str, line: int, problem: str) -> tuple[int, str, str]:
    """The line, the mistake in plain words and what to do, for a file the YAML reader rejected.

    The reader's own words ("mapping values are not allowed here") name its grammar, not
    the slip an author made; the slips authors make are few: a tab, curly quotes pasted from
    a word processor, a line indented to match nothing above it. Anything else keeps the
    reader's words with the usual advice.
    """
    lines = text.splitlines()
    for number, content in enumerate(lines[:line], start=1):
        if "\t" in content[: len(content) - len(content.lstrip())]:
            return (number, "this line is indented with a tab; YAML indents with spaces only",
                    "replace the tab with spaces, and set your editor to insert spaces for the Tab key")
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    near = [(n, lines[n - 1]) for n in (line, line - 1) if 0 < n <= len(lines)]
    curly = next(((n, c) for n, c in near if any(q in c for q in _CURLY)), None)
    if curly is not None:
        return (curly[0], "this line has curly quotes (“ ” or ‘ ’), as a word processor types them; YAML reads "
                          "only straight quotes (\" or ') as quotes",
                "retype the quotes as straight ones, or turn off smart quotes where you wrote the text")
    if any(words in problem for words in ("expected <block end>", "did not find expected '-' indicator",
                                          "did not find expected key")):
        above = sorted({_indent(c) for c in lines[: line - 1] if c.strip() and not c.lstrip().startswith("#")})
        width = _indent(here)
        if width not in above:
            shorter = [w for w in above if w < width]
            longer = [w for w in above if w > width]
            choices = " or ".join(str(w) for w in ([shorter[-1]] if shorter else []) + ([longer[0]] if longer else []))
            return (line, f"this line is indented by {width} spaces, which lines up with no line above it",
                    f"line it up with the field or list it belongs to: {choices} spaces, as the lines above")
        return (line, "this line is indented as if it continued the line above, but does not",
                "check that it lines up with the fields of the same question or option")
    if "mapping values are not allowed" in problem:
        return (line, "a colon followed by a space inside text that is not in quotes",
                "put the whole text in double quotes, or use > on the line before it (see docs/authoring.md)")
    return line, f"YAML syntax error: {problem}", "check indentation and that text with ':' or '#' is quoted"
