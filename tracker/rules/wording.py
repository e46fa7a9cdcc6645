"""Reading a count from the words a party used: "around 40", "at least 12", "no civilians".

The count is the first number in the wording that is not a date or an age; its qualifier
comes from the words just before it ("around", "at least", "up to") and a range from what
follows it ("12 to 15"). Wording that names no number is read as zero only when it says that
nobody died ("no civilians", "none"). Anything vaguer ("dozens", "several") is not read at all:
the person entering the claim then chooses the qualifier and numbers. English and Arabic
wordings are read ("نحو 40", "12 على الأقل", "لا يوجد ضحايا"); numbers may be spelled out in
English, or written in Arabic-Indic digits.
"""

from __future__ import annotations

import re

from tracker.rules.counts import APPROXIMATE, AT_LEAST, AT_MOST, EXACT, RANGE, Count

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


def alternatives(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


UNIT, MULTIPLIER = alternatives(UNITS), alternatives([*MULTIPLIERS, *SCALES])
NUMBER_WORD = alternatives([*UNITS, *MULTIPLIERS, *SCALES])
# A spelled-out number starts with a unit ("forty-two") or with "a"/"an" before a multiplier
# ("a dozen"); a bare "dozen" or "hundreds" ("several dozen") is no number.
NUMBER_WORDS_RUN = re.compile(rf"\b(?:(?:{UNIT})|an?\s+(?:{MULTIPLIER}))(?:(?:\s+|-|\s+and\s+)(?:{NUMBER_WORD}))*\b")
# "two or three dozen" is two dozen or three dozen.
SHARED_MULTIPLIER = re.compile(rf"\b({UNIT})\s+(or|to)\s+({UNIT})\s+({MULTIPLIER})\b")
DIGITS = re.compile(r"\d+(?:[,.\u066c]\d{3})+(?!\d)")

MONTH = (
    r"(?:january|february|march|april|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b\.?"
)
MONTH_OR_MAY = rf"(?:{MONTH}|may)"
# Numbers that are not counts: dates ("12 September", "in 2017", "2017-09-12") and ages.
NOT_COUNTS = re.compile(
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTH}|may(?=\s+\d{{4}}))(?:,?\s+\d{{4}})?"
    rf"|\b{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"
    rf"|\b{MONTH_OR_MAY}\s+\d{{4}}\b"
    r"|\b(?:in|since|during)\s+(?:19|20)\d{2}\b"
    r"|\b\d+[\s-]*(?:year|month|week|day)s?[\s-]*old\b"
)

# Each phrase, ending right before the number, with the qualifier it gives and how it moves
# the number: "more than 12" allows 13 at the least, "fewer than 30" allows 29 at the most.
BEFORE_NUMBER = [
    (r"no fewer than|not fewer than|no less than|not less than|at least|a minimum of|"
     r"minimum of|upwards of|a total of at least|ما لا يقل عن|لا يقل عن", AT_LEAST, 0),
    (r"no more than|not more than|up to|at most|as many as|a maximum of|maximum of|"
     r"at the most|ما يصل إلى|ما لا يزيد عن|لا يزيد عن|حتى", AT_MOST, 0),
    (r"more than|over|in excess of|upward of|أكثر من|أزيد من|ما يزيد عن|ما يزيد على", AT_LEAST, 1),
    (r"fewer than|less than|under|below|أقل من", AT_MOST, -1),
    (r"around|about|approximately|approx\.?|roughly|some|nearly|almost|close to|"
     r"an estimated|estimated|circa|c\.|~|≈|an approximate|"
     r"نحو|حوالي|حوالى|قرابة|زهاء|ما يقارب|ما يقرب من|تقريبا", APPROXIMATE, 0),
]  # fmt: skip
BEFORE_NUMBER = [
    (re.compile(rf"(?:^|\s|\b)(?:{phrases})\s*$"), qualifier, shift) for phrases, qualifier, shift in BEFORE_NUMBER
]
RANGE_AFTER = re.compile(r"^\s*(?:-|to|and|or|و|إلى|أو)\s*(\d+)")
AT_LEAST_AFTER = re.compile(r"^\s*(?:\+|or more\b|and more\b|plus\b|(?:[^\s\d]+\s+)?على الأقل)")
AT_MOST_AFTER = re.compile(r"^\s*(?:or fewer\b|or less\b)")
DECIMAL_AFTER = re.compile(r"^[.,]\d")
# Zero only where the wording says nobody died, not wherever it says "no" ("no figure given").
VICTIMS = r"civilian|combatant|casualt|death|dead|fatalit|victim|militant|fighter|soldier|people|person|li(?:fe|ves)"
# In Arabic: "no victims", "no dead", "none fell", "none was killed", "without victims".
ARABIC_ZERO = r"لا (?:يوجد )?(?:ضحايا|قتلى)|لم يسقط|لم يقتل|لم يُقتل|دون ضحايا|بلا ضحايا|بدون ضحايا"
ZERO = re.compile(
    rf"^\s*(?:none|nobody|zero|nil)\b|\bnobody\b|\b(?:no|not a single|not any)\s+(?:{VICTIMS})|{ARABIC_ZERO}"
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

    text = re.sub(r"\bhalf an? dozen\b", "six", text)
    text = SHARED_MULTIPLIER.sub(r"\1 \4 \2 \3 \4", text)
    return NUMBER_WORDS_RUN.sub(value_of, text)


def normalise(wording: str) -> str:
    text = wording.casefold().replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    # "No one" and "not one" deny any death; read as numbers they would claim one.
    text = re.sub(r"\b(?:no|not)[\s-]one\b", "nobody", text)
    text = words_to_digits(text)
    # Thousands separators go, so that "1,200" is one number (Python's \d reads Arabic digits).
    text = DIGITS.sub(lambda match: re.sub(r"[,.\u066c]", "", match.group(0)), text)
    return NOT_COUNTS.sub(" ", text)


def count_from_wording(wording: str) -> Count | None:
    """Return the count the wording states, or None when it cannot be read with confidence."""
    text = normalise(wording or "")
    first = re.search(r"\d+", text)
    if first is None:
        return Count(EXACT, best=0) if ZERO.search(text) else None
    number = int(first.group(0))
    before, after = text[: first.start()], text[first.end() :]
    if DECIMAL_AFTER.match(after):
        return None  # "1.5 million": not a count of deaths as the tracker keeps them

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
