"""A whole backup restores into an empty database with nothing lost, history and users included."""

import gzip
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.db import models
from rest_framework.authtoken.models import Token

from tests.accounts import make_user
from tests.factories import make_claim, make_event, make_party, make_person, make_source
from tracker import roles
from tracker.backups import BACKED_UP, ENDINGS
from tracker.models import DataVersion, Party
from tracker.models.freshness import data_version

pytestmark = pytest.mark.django_db(transaction=True)

USER_KEYS = {"entered_by_id", "history_user_id", "user_id"}
BACKUP = "tracker" + ENDINGS[1]  # compressed, as backups are kept


def everything() -> dict:
    """Every row of every backed-up table, field by field, with users and groups by name."""
    # Users are restored by name, so compare who a row names rather than the number a database gave them.
    usernames = dict(User.objects.values_list("pk", "username"))

    def by_name(row: dict) -> str:
        return repr({key: usernames.get(value) if key in USER_KEYS else value for key, value in row.items()})

    tables = {}
    for model in apps.get_app_config("tracker").get_models():
        if model is DataVersion:  # no data: counted up by the restore's own writes
            continue
        tables[model._meta.label] = sorted(map(by_name, model.objects.order_by("pk").values()))
    tables["users"] = sorted(
        (user.username, user.is_staff, user.password, tuple(sorted(user.groups.values_list("name", flat=True))))
        for user in User.objects.all()
    )
    tables["groups"] = sorted(
        (group.name, tuple(sorted(group.permissions.values_list("codename", flat=True))))
        for group in Group.objects.all()
    )
    tables["tokens"] = sorted(Token.objects.values_list("key", "user__username"))
    parts = apps.get_model("tracker", "ContainmentDiscrepancy").parts.through.objects
    tables["containment parts"] = sorted(parts.values_list("containmentdiscrepancy_id", "claim_id"))
    return tables


def rich_data():
    editor = make_user("editor")
    roles.role_assign(user=editor, roles=[roles.EDITOR], confidential=True)
    Token.objects.create(user=editor)
    ministry = make_party(name="Russian Ministry of Defence", short_name="MoD", kind="state_military", country="RU",
                          aliases="Минобороны России\nRussian MoD", notes="Briefings via TASS")  # fmt: skip
    monitor = make_party(name="MSF Test")
    make_party(name="MSF Test (Syria)")  # names that differ only in case are one party (tests/test_identity.py)
    event = make_event(ref="SYR-2017-09-DEZ-01", description="Strike near Deir ez-Zor", start_date=date(2017, 9, 5),
                       latitude="35.336000", longitude="40.140000")  # fmt: skip
    event.alleged_perpetrators.add(ministry)
    make_event(ref="SYR-2019-EMPTY", description="No claims yet")
    secret = make_source(title="Informant", excerpt="He saw nine bodies", language="ar",
                         archive_url="https://archive.example.org/x", confidential=True)  # fmt: skip
    public = make_source(title="TASS", url="https://tass.example.org/1", excerpt="about 40 militants")
    claim = make_claim(event, ministry, count=("approximate", None, 40, None), category="combatant",
                       wording="around 40 militants", source=public, entered_by=editor)  # fmt: skip
    claim.notes = "four field commanders among them"
    claim.save()
    make_claim(event, monitor, count=0, category="combatant", source=secret, notes="told by a nurse")
    # A claim restated differs in more than its notes (tests/test_identity.py): here, its date.
    make_claim(event, monitor, count=0, category="combatant", source=secret, notes="the same, said again",
               claimed_on=date(2018, 1, 3))  # fmt: skip
    # A part of the monitor's "no combatants" whole: a containment discrepancy, with the claims it adds up.
    make_claim(event, ministry, count=4, category="combatant", victim_side=make_party(name="Islamic State"),
               source=public)  # fmt: skip


def test_backup_then_restore_into_an_empty_database_loses_nothing(tmp_path):
    rich_data()
    before = everything()
    assert before["containment parts"]  # the stored containment results are in the round trip too
    backup = tmp_path / BACKUP
    call_command("backup", str(backup), stdout=None)

    call_command("flush", interactive=False, verbosity=0)  # an empty database, migrated
    assert everything()["tracker.Claim"] == []
    call_command("restore", str(backup), stdout=None)
    assert everything() == before


def test_a_backup_leaves_the_data_version_out_and_a_restore_counts_its_own(tmp_path):
    rich_data()
    assert data_version() > 0
    backup = tmp_path / BACKUP
    call_command("backup", str(backup), stdout=None)
    assert '"tracker.dataversion"' not in gzip.decompress(backup.read_bytes()).decode()

    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(backup), stdout=None)
    assert data_version() > 0  # the restored records changed what the pages show


def test_restore_refuses_a_database_that_holds_only_people(tmp_path):
    backup = tmp_path / BACKUP
    call_command("backup", str(backup), stdout=None)
    make_person(name="Gulmurod Khalimov")
    with pytest.raises(CommandError, match="already holds records"):
        call_command("restore", str(backup))


def test_restore_refuses_a_database_that_holds_records(tmp_path):
    rich_data()
    backup = tmp_path / BACKUP
    call_command("backup", str(backup), stdout=None)
    with pytest.raises(CommandError, match="already holds records"):
        call_command("restore", str(backup))


# Stored text backs up as it is, whatever characters an older version or the shell let in; a
# backup is written whole or not at all.


def test_text_the_forms_refuse_but_the_database_holds_backs_up_and_restores_as_it_was(tmp_path):
    rich_data()
    party = make_party(name="Monitor\x0c", notes="a\x0cb", aliases="\u2028line\x85next\x1f")
    event = make_event(ref="SYR-FF", description="\x1b[31mred\x1b[0m", location_name=" Idlib \r\n")
    source = make_source(title="form\x0cfeed\x01", excerpt="  kept spaces  ")
    make_claim(event, party, source=source, notes="one\r\ntwo\x0b", wording="\tabout 40 ")
    before = everything()
    backup = tmp_path / BACKUP
    call_command("backup", str(backup), stdout=None)

    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(backup), stdout=None)
    assert everything() == before
    assert Party.objects.get(notes__startswith="a").notes == "a\x0cb"


FAILING = "the notes that cannot be written"


@pytest.fixture
def failing_backup(monkeypatch):
    """A backup that fails halfway through, as on data it cannot write."""
    written = models.TextField.value_to_string

    def value_to_string(field, obj):
        text = written(field, obj)
        if text == FAILING:
            raise ValueError("cannot be written")
        return text

    monkeypatch.setattr(models.TextField, "value_to_string", value_to_string)


def test_a_backup_that_fails_leaves_no_file_behind_and_the_last_one_as_it_was(tmp_path, failing_backup):
    rich_data()
    backup = tmp_path / BACKUP
    call_command("backup", str(backup), stdout=None)
    last = backup.read_bytes()
    make_party(name="Zeta Monitor", notes=FAILING)  # written after the records that come before it

    with pytest.raises(CommandError):
        call_command("backup", str(backup), stdout=None)
    with pytest.raises(CommandError):
        call_command("backup", str(tmp_path / ("new" + ENDINGS[1])), stdout=None)
    assert [path.name for path in tmp_path.iterdir()] == [BACKUP]
    assert backup.read_bytes() == last


def test_a_backup_file_is_named_by_its_format(tmp_path):
    with pytest.raises(CommandError, match=r"a backup file's name ends in \.jsonl, \.jsonl\.gz, "):
        call_command("backup", str(tmp_path / "tracker.xml.gz"))
    assert list(tmp_path.iterdir()) == []


def test_a_backup_written_as_xml_by_an_earlier_version_still_restores(tmp_path):
    rich_data()
    before = everything()
    backup = tmp_path / "tracker.xml.gz"
    call_command(
        "dumpdata", *BACKED_UP, format="xml", natural_foreign=True, natural_primary=True, output=str(backup),
        verbosity=0,
    )  # fmt: skip

    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(backup), stdout=None)
    assert everything() == before
