"""Reading a count from the words a party used: "around 40", "at least 12", "no civilians".

The count is the first number in the wording; its qualifier comes from the words just
before it ("around", "at least", "up to") and a range from what follows it ("12 to 15").
Wording that names no number is read as zero only when it says so ("no civilians").
"""

from __future__ import annotations

import re

from tracker.counts import APPROXIMATE, AT_LEAST, AT_MOST, EXACT, RANGE, Count

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
# Multipliers of what stands before them ("two dozen", "a hundred").
MULTIPLIERS = {"dozen": 12, "hundred": 100}
SCALES = {"thousand": 1_000, "million": 1_000_000}

NUMBER_WORD = "|".join(sorted([*UNITS, *MULTIPLIERS, *SCALES], key=len, reverse=True))
NUMBER_WORDS_RUN = re.compile(rf"\b(?:an?\s+)?(?:{NUMBER_WORD})(?:(?:\s+|-|\s+and\s+)(?:{NUMBER_WORD}))*\b")
# "a dozen" is 12; "dozens" is no number at all, so it stays words and the wording is refused.
DIGITS = re.compile(r"\d+(?:[,\u066c]\d{3})*")

# Each phrase, ending right before the number, with the qualifier it gives and how it moves
# the number: "more than 12" allows 13 at the least, "fewer than 30" allows 29 at the most.
BEFORE_NUMBER = [
    (r"no fewer than|not fewer than|no less than|not less than|at least|a minimum of|"
     r"minimum of|upwards of|a total of at least", AT_LEAST, 0),
    (r"no more than|not more than|up to|at most|as many as|a maximum of|maximum of|"
     r"at the most", AT_MOST, 0),
    (r"more than|over|in excess of|upward of", AT_LEAST, 1),
    (r"fewer than|less than|under|below", AT_MOST, -1),
    (r"around|about|approximately|approx\.?|roughly|some|nearly|almost|close to|"
     r"an estimated|estimated|circa|c\.|~|≈|an approximate", APPROXIMATE, 0),
]  # fmt: skip
BEFORE_NUMBER = [
    (re.compile(rf"(?:^|\s|\b)(?:{phrases})\s*$"), qualifier, shift) for phrases, qualifier, shift in BEFORE_NUMBER
]
RANGE_AFTER = re.compile(r"^\s*(?:-|to|and|or)\s*(\d+)")
AT_LEAST_AFTER = re.compile(r"^\s*(?:\+|or more\b|and more\b|plus\b)")
AT_MOST_AFTER = re.compile(r"^\s*(?:or fewer\b|or less\b)")
ZERO = re.compile(
    r"^\s*(?:no|none|nobody|no one|no-one|zero|nil|not a single|not one|not any)\b"
    r"|\bno (?:civilian|combatant|casualt|death|fatalit|one|victim|militant|fighter|soldier)"
)


def words_to_digits(text: str) -> str:
    """Replace spelled-out numbers ("forty-two", "one hundred and twelve") with digits."""

    def value_of(match):
        total, current = 0, 0
        for word in re.split(r"[\s-]+", match.group(0)):
            if word in ("a", "an"):
                current = 1
            elif word in UNITS:
                current += UNITS[word]
            elif word in MULTIPLIERS:
                current = (current or 1) * MULTIPLIERS[word]
            elif word in SCALES:
                total += (current or 1) * SCALES[word]
                current = 0
        return str(total + current)

    return NUMBER_WORDS_RUN.sub(value_of, text)


def normalise(wording: str) -> str:
    text = wording.casefold().replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    # "No one" and "not one" deny any death; read as numbers they would claim one.
    text = re.sub(r"\b(?:no|not)[\s-]one\b", "nobody", text)
    text = words_to_digits(text)
    # Thousands separators go, so that "1,200" is one number (Python's \d reads Arabic digits).
    return DIGITS.sub(lambda match: re.sub(r"[,\u066c]", "", match.group(0)), text)


def count_from_wording(wording: str) -> Count | None:
    """Return the count the wording states, or None when it cannot be read with confidence."""
    text = normalise(wording or "")
    first = re.search(r"\d+", text)
    if first is None:
        return Count(EXACT, best=0) if ZERO.search(text) else None
    number = int(first.group(0))
    before, after = text[: first.start()], text[first.end() :]

    upper = RANGE_AFTER.match(after)
    if upper:
        high = int(upper.group(1))
        return Count(RANGE, low=number, high=high) if number <= high else None
    if AT_LEAST_AFTER.match(after):
        return Count(AT_LEAST, low=number)
    if AT_MOST_AFTER.match(after):
        return Count(AT_MOST, high=number)
    for phrase, qualifier, shift in BEFORE_NUMBER:
        if phrase.search(before):
            if qualifier == AT_LEAST:
                return Count(AT_LEAST, low=number + shift)
            if qualifier == AT_MOST:
                return Count(AT_MOST, high=number + shift) if number + shift >= 0 else None
            return Count(APPROXIMATE, best=number)
    return Count(EXACT, best=number)
