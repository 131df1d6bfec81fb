"""Who the trainee is: one rule for the notebooks and the JupyterLab extension alike.

On JupyterHub the hub's user is the trainee, whatever was typed; elsewhere the name the
trainee entered once (kept as a setting in their store), else the login name. Kept in
storage because the remembered name is a store setting, and so that a server process
(which shows no widgets) can ask the same question a notebook does.
"""

from __future__ import annotations

import getpass
import os

from meso_training.storage.interface import ProgressStore

NAME_SETTING = "trainee"


def os_user() -> str:
    """The login name; a container with no passwd entry for its user still gets a name."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "trainee"


def current_trainee(store: ProgressStore, entered: str | None = None) -> tuple[str, bool]:
    """The trainee's name, and whether it still has to be asked for; reads the store at most once.

    Once, because a store under someone else's lock makes every read wait its timeout.
    """
    hub = os.environ.get("JUPYTERHUB_USER", "").strip()
    if hub:
        return hub, False
    if entered and entered.strip():
        store.set_setting(NAME_SETTING, entered.strip())
        return entered.strip(), False
    stored = store.get_setting(NAME_SETTING)
    return stored or os_user(), stored is None
