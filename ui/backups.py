"""Backups on the Data page (a coordinator's Settings): the latest one, "Back up now", its zip, how many to keep.

The backups themselves are ``store/backup.py``. The page also writes the daily backup here
(``maybe_daily``): a coordinator's visit to the Data page, where returns are uploaded, is the
cheapest place the app passes after a change, and ``store.backup.daily_due`` reads only the
backups folder, so the check costs no connection until a backup is due.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from common.errors import DatabaseBusy
from store import backup, db, settings, users
from ui import access, cached, records

QUICK_WAIT = 1.0  # seconds the daily backup waits for a busy database; the next visit tries again


def latest_backup_panel() -> None:
    """The latest backup's date and folder, a "Back up now" button and the latest backup as a zip."""
    path = db.database_path()
    maybe_daily()
    st.markdown("**Backups**")
    last = backup.latest(path)
    if last is None:
        st.caption(f"No backup yet. Backups go to `{_shown(backup.folder_for(path))}`.")
    else:
        st.caption(
            f"Latest backup: **{last.made_at:%d %B %Y %H:%M}** ({last.manifest.get('reason', '')}), "
            f"in `{_shown(last.folder)}`. One Voice backs up by itself before an upgrade and once a day after "
            "changes; restore one with `python -m loaders restore-backup FOLDER` (docs/loading.md)."
        )
    left, right = st.columns(2)
    if left.button("Back up now", key="backup_now", icon=":material/backup:"):
        _back_up_now(path)
    if last is not None:
        right.download_button(
            "Download the latest backup (zip)",
            lambda: _download(last.folder),
            file_name=f"{last.folder.name}.zip",
            mime="application/zip",
            on_click="ignore",
            key="backup_download",
            icon=":material/download:",
            help="Every table, the original returns included: keep it as safe as the database itself.",
        )
    _kept_form()


def maybe_daily() -> None:
    """The daily backup, when the data changed since the latest backup and that is a day old."""
    path = db.database_path()
    if not backup.daily_due(path, cached.version()):
        return
    try:
        with db.connect(path, wait=QUICK_WAIT) as con:
            backup.maybe_daily(con, path)
    except DatabaseBusy:
        return  # another program is writing: the next visit tries again
    except OSError as error:
        st.warning(f"The daily backup could not be written: {error}", icon=":material/warning:")


def _back_up_now(path: Path) -> None:
    try:
        with db.connect(path) as con:
            made = backup.write(con, path)
            users.record(con, "backed up", _shown(made.folder), access.person().by)
    except OSError as error:
        st.error(f"The backup could not be written: {error}", icon=":material/block:")
        return
    records.done(f"Backed up the whole database to {_shown(made.folder)}.")


def _shown(folder: Path) -> str:
    """A folder as a coordinator is told it: from the project's folder when it is inside it."""
    try:
        return str(folder.resolve().relative_to(db.PROJECT_ROOT))
    except ValueError:
        return str(folder)


def _download(folder: Path) -> bytes:
    """The zip, made when the button is clicked, and a line in the audit of who took a copy of everything."""
    content = backup.zip_bytes(folder)
    with db.connect() as con:
        users.record(con, "downloaded a backup", folder.name, access.person().by)
    return content


def _kept_form() -> None:
    try:
        kept = max(int(cached.setting(backup.KEPT)), 1)
    except ValueError:
        kept = int(settings.DEFAULTS[backup.KEPT])
    with st.form("backups_kept_form", border=False):
        new = st.number_input(
            "Automatic backups to keep (the newest; backups a person made are never deleted)",
            min_value=1,
            max_value=365,
            value=kept,
            step=1,
        )
        if not st.form_submit_button("Save") or int(new) == kept:
            return
    with db.connect() as con:
        with db.transaction(con):
            settings.put(con, backup.KEPT, str(int(new)), by=access.person().by)
        backup.prune(con, db.database_path())
    records.done(f"The newest {int(new)} automatic backups are kept.")
