"""A whole backup of the tracker's data in one portable file, and its restore into an empty database.

Everything staff made is in it: parties (aliases, notes), events (descriptions, perpetrators, events
without claims), sources (excerpts, languages, archive links, confidential flags), claims, the stored
summaries, every record's history with who changed what, users with their roles and API tokens,
and the admin's log of actions. It is Django's own serialisation as JSON Lines, with times to the
microsecond (the order in which claims were entered decides which is current) and every text as it
is stored, whatever characters an older version or the shell let in (tracker/jsonlines.py);
compressed by the file's ending (.jsonl.gz, .jsonl.xz, .jsonl.bz2). A backup taken on SQLite restores
on PostgreSQL and the other way, and the XML backups of earlier versions still restore. Sessions
and sign-in lockouts are left out: not data.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from tracker.models import Claim, Event, Party, Person, Source

BACKED_UP = ["tracker", "auth.user", "auth.group", "authtoken.token", "admin.logentry"]
# The data version is no data: a restored database counts its own up as the records load.
NOT_BACKED_UP = ["tracker.DataVersion"]
ENDINGS = (".jsonl", ".jsonl.gz", ".jsonl.xz", ".jsonl.bz2")


class NotEmpty(Exception):
    """The database already holds records that a restore would mix with the backup's."""


def records_present() -> bool:
    """Whether the database holds any party, event, source, claim or person."""
    return any(model.objects.exists() for model in (Party, Event, Source, Claim, Person))


def backup_write(*, path: Path) -> None:
    """Write every record of the tracker, its history and its users to a file, whole or not at all.

    The file is written under another name in the same folder, readable by its owner only (it holds
    the confidential sources), and takes its name only once complete: a backup that fails leaves
    no file behind, nor one that would restore part of the data.
    """
    ending = next((ending for ending in ENDINGS if path.name.endswith(ending)), None)
    if ending is None:
        raise ValueError(f"a backup file's name ends in {', '.join(ENDINGS)}")
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=ending)
    os.close(handle)
    try:
        # Users, groups and permissions by name, so the file restores into a database whose
        # permissions and content types were numbered by another migrate.
        call_command(
            "dumpdata", *BACKED_UP, format="jsonl", natural_foreign=True, natural_primary=True, output=partial,
            exclude=NOT_BACKED_UP, verbosity=0,
        )  # fmt: skip
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def backup_restore(*, path: Path) -> None:
    """Load a backup into a database that holds no records yet, whole or not at all."""
    if records_present():
        raise NotEmpty("the database already holds records; restore into an empty one (migrated, nothing else)")
    # The backup holds the history as it was: loading must not add to it (the perpetrators of an
    # event, set again as it loads, would otherwise make a history row of their own).
    with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        call_command("loaddata", str(path), verbosity=0)
