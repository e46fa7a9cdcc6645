"""What text a record may hold, one rule for every way in: the import's cells and the admin's fields.

No control character but tab, line feed and carriage return: PostgreSQL refuses NUL in text, no
.xlsx export could write the others, and none of them shows on a page.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def control_character(text: str) -> str | None:
    """Return the first control character the text holds that no record may, named as U+000C; None if none."""
    found = CONTROL_CHARACTER.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def text_validate(text: str) -> None:
    """Refuse text that holds a control character no record may hold."""
    character = control_character(text)
    if character:
        raise ValidationError(
            _("This text holds a control character (%(character)s), which no record may hold; remove it."),
            code="control_character",
            params={"character": character},
        )
