"""``python -m meso_training``: the same as the ``meso-training`` command."""

from meso_training.cli import main

raise SystemExit(main())
