"""A certificate of completion the trainee can keep: a self-contained HTML page.

It names the trainee, module, score, date and the content version the assessment used,
so a later edit of the module cannot be confused with what was passed.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from pathlib import Path

from meso_training.engine.session import ModuleSummary
from meso_training.model import Module

log = logging.getLogger(__name__)


def certificate_html(trainee: str, module: Module, summary: ModuleSummary, when: dt.datetime) -> str:
    e = html.escape
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Certificate: {e(module.title)}</title>
<style>body{{font-family:Georgia,serif;max-width:40em;margin:3em auto;text-align:center;border:4px double #446;
padding:2em}} h1{{font-size:1.6em}} .small{{color:#555;font-size:.9em}}</style></head>
<body>
<h1>Certificate of completion</h1>
<p>This certifies that</p>
<p class="name"><strong>{e(trainee)}</strong></p>
<p>passed the assessment of the module</p>
<p><strong>{e(module.title)}</strong></p>
<p>with a score of {summary.points:g} of {summary.max_points:g} points ({summary.score:.0%}),
pass mark {summary.pass_mark:.0%}, and no critical (patient-safety) errors,</p>
<p>on {when.date().isoformat()}.</p>
<p class="small">Module id {e(module.id)}, content version {e(module.version)}. meso-training trains
healthcare professionals; this certificate records course completion, not a licence to practise.</p>
</body></html>
"""


def save_certificate(document: str, folder: Path | None, trainee: str, module_id: str) -> Path | None:
    """Write the certificate beside the progress database; a failure only loses the file copy."""
    if folder is None:
        return None
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{trainee}-{module_id}")
    path = folder / "certificates" / f"{safe}-{dt.date.today().isoformat()}.html"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document, encoding="utf-8")
    except OSError as exc:
        log.warning("certificate not saved to %s: %s", path, exc)
        return None
    return path
