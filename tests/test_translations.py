"""The Arabic translation is complete, and what runs is what the .po file says."""

import gettext
import re
from pathlib import Path

MESSAGES = Path(__file__).resolve().parent.parent / "tracker" / "locale" / "ar" / "LC_MESSAGES"


def po_entries():
    """Yield (msgid, [msgstr...], flags, context) from the .po file (a small reader for its plain layout)."""
    text = (MESSAGES / "django.po").read_text(encoding="utf-8")
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
