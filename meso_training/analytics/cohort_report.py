"""The whole cohort report from first responses: what the CLI writes and the instructor notebook shows."""

from __future__ import annotations

from collections.abc import Sequence

from meso_training.analytics.case_paths import case_paths
from meso_training.analytics.item_analysis import ModuleAnalysis, analyse
from meso_training.analytics.option_analysis import option_analysis
from meso_training.analytics.report_html import ModuleReport, report_html
from meso_training.analytics.responses import Response
from meso_training.model import Course


def cohort_report(course: Course, responses: Sequence[Response], *, sources: Sequence[str], mode: str,
                  module_id: str | None = None) -> tuple[str, list[ModuleAnalysis]]:
    """The report's HTML and the modules it covers (none: no answers to ``module_id``)."""
    analyses = analyse(responses, course, module_id=module_id)
    known = {m.id: m for m in course.modules}
    reports = []
    for a in analyses:
        module = known.get(a.module_id)
        if module is None:
            reports.append(ModuleReport(a))
            continue
        reports.append(ModuleReport(a, option_analysis(module, responses), case_paths(module, responses)))
    return report_html(course.title, reports, sources=sources, mode=mode), analyses
