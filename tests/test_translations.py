"""The Arabic translation is complete, counts in Arabic's plural forms, and what runs is what the .po file says."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.accounts import make_reader
from tests.factories import make_claim, make_event
from tests.helpers import claim_row, csv_bytes

PROJECT = Path(__file__).resolve().parent.parent
MESSAGES = PROJECT / "tracker" / "locale" / "ar" / "LC_MESSAGES"


def po_entries(path: Path = MESSAGES / "django.po"):
    """Yield (msgid, [msgstr...], flags, context) from a .po file (a small reader for its plain layout)."""
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n")[1:]:
        lines = [line for line in block.splitlines() if not line.startswith("#|")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields, current = {}, None
        for line in lines:
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" in fields:
            translations = [value for key, value in fields.items() if key.startswith("msgstr")]
            yield fields["msgid"], translations, flags, fields.get("msgctxt")


def test_every_message_is_translated_and_none_is_fuzzy():
    missing = [
        msgid for msgid, translations, flags, _context in po_entries() if not all(translations) or "fuzzy" in flags
    ]
    assert missing == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs gettext's xgettext")
def test_every_text_of_the_code_and_templates_is_in_the_catalogue(tmp_path):
    """A text added in the code but not to the catalogue would show in English on an Arabic page."""
    for part in ("tracker", "templates", "manage.py"):
        copy = shutil.copytree if (PROJECT / part).is_dir() else shutil.copy
        copy(PROJECT / part, tmp_path / part)
    # In a copy, so that the catalogue read is the committed one, never one rewritten by the test.
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ar", "--no-location", "--no-obsolete"],
        cwd=tmp_path, check=True, capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tracker.settings", "DATABASE_URL": "sqlite:///:memory:"},
    )  # fmt: skip
    catalogued = {(context, msgid) for msgid, _translations, _flags, context in po_entries()}
    found = po_entries(tmp_path / "tracker" / "locale" / "ar" / "LC_MESSAGES" / "django.po")
    missing = sorted(msgid for msgid, _translations, _flags, context in found if (context, msgid) not in catalogued)
    assert missing == []


def test_the_compiled_catalogue_matches_the_po_file():
    with (MESSAGES / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = [
        msgid
        for msgid, translations, _flags, context in po_entries()
        if "\\" not in msgid
        and len(translations) == 1
        and (catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)) != translations[0]
    ]
    assert stale == []


# Arabic counts in six forms: zero, one, two, three to ten, eleven to ninety-nine, and a hundred and
# above (the last hundred of a number decides: 103 takes the form of 3).
ARABIC_PLURAL_FORMS = (
    "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 && n%100<=99 ? 4 : 5;"
)
# Entries that write no count, only a noun for "more than two" (the links to the other events).
COUNT_NOT_WRITTEN = {
    "Another event starts the same day at the same place: %(events)s. If it is the same incident, enter the "
    "claims there and delete this event."
}


def po_header() -> str:
    text = (MESSAGES / "django.po").read_text(encoding="utf-8")
    return "".join(re.findall(r'^"(.*)"$', text.split("\n\n")[0], re.MULTILINE)).replace("\\n", "\n")


def plural_entries():
    """Yield (msgid, [msgstr[0] … msgstr[n]]) for every entry counted with ngettext."""
    text = (MESSAGES / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n")[1:]:
        if "msgid_plural" not in block:
            continue
        fields = dict(re.findall(r'^(msgid|msgstr\[\d\])((?: ?"[^\n]*"\n?)+)', block, re.MULTILINE))
        text_of = lambda value: "".join(re.findall(r'"(.*)"', value))  # noqa: E731
        forms = [text_of(fields[f"msgstr[{index}]"]) for index in range(10) if f"msgstr[{index}]" in fields]
        yield text_of(fields["msgid"]), forms


def test_the_catalogue_counts_in_arabics_six_plural_forms():
    assert f"Plural-Forms: {ARABIC_PLURAL_FORMS}" in po_header()
    with (MESSAGES / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    assert [catalogue.plural(n) for n in (0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 111)] == [
        0, 1, 2, 3, 3, 4, 4, 5, 5, 3, 4,
    ]  # fmt: skip


def test_every_counted_noun_agrees_with_its_number():
    """The noun after 1, 2, 3–10 and 11–99 takes four different forms in Arabic ("1 قتيل", "2 قتيلان", "3 قتلى",
    "11 قتيلًا"); from 100 on it is the singular again ("100 قتيل"), as after 0 and 1."""
    entries = dict(plural_entries())
    assert entries, "the catalogue has no counted entries"
    not_agreeing = []
    for msgid, forms in entries.items():
        if len(forms) != 6 or not all(forms):
            not_agreeing.append((msgid, "needs six forms"))
        elif msgid in COUNT_NOT_WRITTEN:
            if len(set(forms[1:4])) != 3:
                not_agreeing.append((msgid, "one, two and more must differ"))
        elif len(set(forms[1:5])) != 4 or forms[5] in forms[2:5]:
            not_agreeing.append((msgid, forms))
    assert not_agreeing == []


# How pages write a count of the dead, of bad rows, in Arabic: the noun agrees with the number.
ARABIC_DEAD = {1: "1 قتيل", 2: "2 قتيلان", 3: "3 قتلى", 11: "11 قتيلًا", 100: "100 قتيل"}
ARABIC_BAD_ROWS = {1: "1 صف خاطئ", 2: "2 صفان خاطئان", 3: "3 صفوف خاطئة", 11: "11 صفًا خاطئًا", 100: "100 صف خاطئ"}


def arabic_get(client, *args, **kwargs):
    client.cookies["django_language"] = "ar"
    # The request leaves its language active in the test's thread; later tests expect their own.
    with translation.override(translation.get_language()):
        return client.get(*args, **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("count", ARABIC_DEAD)
def test_an_event_page_counts_the_dead_in_arabic(client, count):
    event = make_event()
    make_claim(event, count=0)
    make_claim(event, count=count)  # a denial: one party says 0, another `count`
    client.force_login(make_reader())
    page = arabic_get(client, reverse("event_detail", args=[event.ref])).content.decode()
    assert f"{ARABIC_DEAD[count]} على الأقل" in page  # "at least 2 dead"


@pytest.mark.django_db
@pytest.mark.parametrize("count", ARABIC_BAD_ROWS)
def test_the_import_preview_counts_bad_rows_in_arabic_and_gives_their_reasons_in_arabic(editor_client, count):
    rows = [claim_row(event_ref=f"NEW-{line}", claimed_on="2018-02-30") for line in range(count)]
    editor_client.cookies["django_language"] = "ar"
    with translation.override(translation.get_language()):
        response = editor_client.post(
            "/admin/tracker/claim/import/",
            {"file": SimpleUploadedFile("claims.csv", csv_bytes(rows)), "format": "claims"},
            follow=True,  # to the import job's page: tests run the background worker's task at once
        )
    page = response.content.decode()
    assert f"{ARABIC_BAD_ROWS[count]}: لن يُستورد شيء" in page  # "… bad rows: nothing will be imported"
    reasons = {note.message for note in response.context["report"].errors}
    assert reasons == {"القيمة '2018-02-30' في claimed_on ليست تاريخًا بصيغة YYYY-MM-DD أو YYYY-MM أو YYYY"}
