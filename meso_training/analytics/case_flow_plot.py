"""The flow of a case through its steps, drawn: how many reached each step and which way they went.

A left-to-right drawing with plain matplotlib patches (no plotting library in the browser,
no network): boxes for steps and endings with their counts, arrows as wide as the number
of trainees who took them. Matplotlib is imported inside the function only.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING

from meso_training.analytics.case_paths import UNFINISHED, CasePaths, Route

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DEFAULT_PALETTE: Mapping[str, str] = {
    "step": "#1565c0", "remediation": "#ef6c00", "keyed_end": "#2e7d32", "end": "#c62828",
    "unfinished": "#616161", "untaken": "#9e9e9e", "text": "#212121",
}
"""Colours by role; every box also says in words what it is, so colour is never the only cue."""
_GAP_X, _GAP_Y, _W, _H, _INCH = 2.0, 1.0, 1.2, 0.72, 1.25


def _node(route: Route, source: str) -> tuple[str, str]:
    """The box a route leads to: a step, an ending (shared by every step that ends that way), or the step's own exit."""
    return (route.kind, source) if route.kind == "unfinished" else (route.kind, route.target)


def _layout(paths: CasePaths) -> tuple[dict[tuple[str, str], tuple[int, int]], dict[tuple[str, str], str]]:
    """Each box's (column, row) and role: a step by its longest distance from the first, an end after its steps."""
    ids = [s.step_id for s in paths.steps]
    depth = dict.fromkeys(ids, -1)
    depth[ids[0]] = 0
    for _ in ids:  # longest path in a loop-free case: relaxing once per step is enough
        for s in paths.steps:
            for t in [*s.successors, *(r.target for r in s.routes if r.kind == "step")]:
                if depth[s.step_id] >= 0 and t in depth:
                    depth[t] = max(depth[t], min(depth[s.step_id] + 1, len(ids)))
    for i, step_id in enumerate(ids):  # unreachable by the flow: keep the list order
        if depth[step_id] < 0:
            depth[step_id] = max([0, *(depth[x] for x in ids[:i])]) + 1
    column = {("step", i): depth[i] for i in ids}
    role = {("step", s.step_id): "step" if s.keyed else "remediation" for s in paths.steps}
    for s in paths.steps:
        for r in s.routes:
            if r.kind != "step":
                key = _node(r, s.step_id)
                column[key] = max(column.get(key, 0), depth[s.step_id] + 1)
                way = "unfinished" if r.kind == "unfinished" else "keyed_end" if r.keyed and s.keyed else "end"
                role[key] = "keyed_end" if role.get(key) == "keyed_end" else way  # the keyed ending stays green
    rows: dict[int, int] = defaultdict(lambda: 1)
    place = {}
    for key in sorted(column, key=lambda k: k[0] != "step"):  # stable: the steps in case order, then the ends
        c = column[key]
        if role[key] in ("step", "keyed_end"):  # the keyed route runs straight along the top row, one box a column
            place[key] = (c, 0)
        else:
            place[key], rows[c] = (c, rows[c]), rows[c] + 1
    return place, role


def _box_text(paths: CasePaths, key: tuple[str, str], into: Mapping[tuple[str, str], int]) -> str:
    if key[0] == "step":
        s = paths.step(key[1])
        name = s.step_id if len(s.step_id) <= 24 else s.step_id[:23] + "…"
        if not s.reached:
            return f"{name}\nnobody reached"
        facility = f"\nfacility {s.facility:.0f}%" if s.facility is not None else ""
        return f"{name}\n{s.reached} reached{facility}"
    label = UNFINISHED if key[0] == "unfinished" else textwrap.fill(textwrap.shorten(key[1], 48, placeholder="…"), 24)
    return f"{label}\n{into[key]} trainee{'s' if into[key] != 1 else ''}"


def case_flow_figure(paths: CasePaths, palette: Mapping[str, str] | None = None) -> Figure:
    """The case left to right: a box per step with how many reached it, an arrow per route as wide as its count.

    Endings and "left unfinished" are end boxes; a way the case allows but nobody took is a
    thin dashed line, so the figure also shows which branches the cohort never tried.
    """
    from matplotlib.colors import to_rgba
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    colours = {**DEFAULT_PALETTE, **(palette or {})}
    place, role = _layout(paths)
    into: dict[tuple[str, str], int] = defaultdict(int)
    for s in paths.steps:
        for r in s.routes:
            into[_node(r, s.step_id)] += r.trainees
    columns = 1 + max(c for c, _ in place.values())
    rows = 1 + max(r for _, r in place.values())
    width, height = _GAP_X * (columns - 1) + _W + 0.3, _GAP_Y * (rows - 1) + _H + 0.3
    figure = Figure(figsize=(max(4.0, width * _INCH), (height + 0.7) * _INCH))
    ax = figure.add_axes((0.0, 0.3 / (height + 0.7), 1.0, height / (height + 0.7)))
    ax.set_xlim(-(_W + 0.3) / 2, width - (_W + 0.3) / 2)
    ax.set_ylim(-height + (_H + 0.3) / 2, (_H + 0.3) / 2)
    ax.set_axis_off()

    def centre(key: tuple[str, str]) -> tuple[float, float]:
        column, row = place[key]
        return column * _GAP_X, -row * _GAP_Y

    for key in place:
        x, y = centre(key)
        colour = colours[role[key]]
        ax.add_patch(FancyBboxPatch((x - _W / 2, y - _H / 2), _W, _H, boxstyle="round,pad=0.02,rounding_size=0.08",
                                    facecolor=to_rgba(colour, 0.15), edgecolor=colour, linewidth=1.2))
        ax.text(x, y, _box_text(paths, key, into), ha="center", va="center", fontsize=6.5, color=colours["text"])
    most = max(paths.started, 1)
    for s in paths.steps:
        start = centre(("step", s.step_id))
        taken = {r.target for r in s.routes if r.kind == "step"}
        edges = [*s.routes, *(Route("step", t, 0, False) for t in s.successors if t not in taken)]
        for route in edges:
            key, n = _node(route, s.step_id), route.trainees
            end = centre(key)
            skip = not 0 < place[key][0] - place[("step", s.step_id)][0] <= 1
            tail = 2 + 14 * n / most
            style = f"simple,head_length=7,head_width={tail + 6:.1f},tail_width={tail:.1f}" if n else "-|>"
            ax.add_patch(FancyArrowPatch((start[0] + _W / 2, start[1]), (end[0] - _W / 2, end[1]), arrowstyle=style,
                                         mutation_scale=1 if n else 6, connectionstyle=f"arc3,rad={-0.2 * skip}",
                                         linewidth=0 if n else 0.8, linestyle="-" if n else "--", alpha=0.6 if n else 1,
                                         color=colours[role[key]] if n else colours["untaken"]))
            if n:
                ax.text((start[0] + end[0] + _W * 0.1) / 2, (start[1] + end[1]) / 2, str(n), fontsize=6.5,
                        ha="center", va="center", color=colours["text"],
                        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})
    started = f"started by {paths.started}" if paths.started else "nobody started this case"
    figure.suptitle(f"{textwrap.shorten(paths.title, 70, placeholder='…')}: {started}", fontsize=9,
                    y=1 - 0.1 / (height + 0.7))
    figure.text(0.01, 0.02, "arrow width: trainees who went that way · dashed: a way nobody took · "
                "orange: a remediation step · green: the ending right answers reach", fontsize=6,
                color=colours["untaken"])
    return figure
