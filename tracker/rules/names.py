"""Names as others spell them: one folded key, so that "Khalimov", "Halimov" and "Xalimov" are found alike.

Recorders meet one name in many transliterations (Russian, French, Turkish and English habits, and
each newspaper's own). A person's name and other names are stored with their folded key, and a search
folds what is typed the same way; a key holds no meaning of its own and is never shown.

Folding, in this order:

1. Letters whose accent makes another sound: `ş`, `š` → `sh`; `č`, `ç` → `ch`; `ž` → `zh`; `ß` → `ss`.
2. Lower case; every other accent or mark dropped (`é` → `e`, `ğ` → `g`; Arabic short vowels too).
3. What is not a letter or a digit (hyphens, apostrophes, dots) is a space; spaces are made single.
4. The spellings of one sound made one, until none is left: `dzh`, `dj` → `j`; `kh`, `x` → `h`;
   `q` → `k`; `ph` → `f`; `ou` → `u`; `w` → `v`.

Other scripts (Cyrillic, Arabic) are not transliterated: their spellings are stored as other names.
"""

import re
import unicodedata

ACCENTED_SOUNDS = str.maketrans({"ş": "sh", "Ş": "sh", "š": "sh", "Š": "sh", "č": "ch", "Č": "ch", "ç": "ch",
                                 "Ç": "ch", "ž": "zh", "Ž": "zh", "ß": "ss"})  # fmt: skip

# One spelling for each sound that transliterations write differently; longer spellings first.
SPELLINGS = (("dzh", "j"), ("dj", "j"), ("kh", "h"), ("x", "h"), ("q", "k"), ("ph", "f"), ("ou", "u"), ("w", "v"))
SPELLING = re.compile("|".join(spelling for spelling, _ in SPELLINGS))
ONE_SPELLING = dict(SPELLINGS)
NOT_LETTERS = re.compile(r"[\W_]+")


def folded(name: str) -> str:
    """Return the key a name is stored and searched by (see the module's table)."""
    text = unicodedata.normalize("NFKD", name.translate(ACCENTED_SOUNDS).casefold())
    text = "".join(character for character in text if not unicodedata.combining(character))
    text = NOT_LETTERS.sub(" ", text).strip()
    # A replacement can make a spelling of its own ("ddj" → "dj"): fold until none is left.
    while True:
        once = SPELLING.sub(lambda match: ONE_SPELLING[match.group()], text)
        if once == text:
            return text
        text = once
