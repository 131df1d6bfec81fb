"""The server half of the JupyterLab extension: the course API under ``/meso-training/api/``.

Like the CLI, it only wires the layers together: the course from authoring, the trainee's
standing from reports, the records through the storage interface.
"""

from __future__ import annotations
