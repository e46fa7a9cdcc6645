"""Reading counts from the words a party used: "around 40", "at least 12", "no civilians".

A wording may hold several numbers; each is read with its qualifier, from the words just
before it ("around", "at least", "up to") and just after it ("12 to 15", "40 or so"), and is
attached to the word for whom it counts ("12 civilians", "4 children", "3 wounded"). The
claim's count is the number attached to the whole ("killed 4 commanders among 40 militants"
is 40), not the first number; the other numbers make the breakdown that
`breakdown_from_wording` proposes as further claims ("12 civilians, including 4 children").
Dates and ages are not counts. Words of magnitude are read as the field codes them, as
conservative lower bounds (ACLED codes "dozens" as 12): "tens of" at least 10, "dozens" 12,
"hundreds" 100, "thousands" 1000, and in Arabic عشرات 10, مئات 100, آلاف 1000. Wording that
names no number is read as zero only when it says that nobody died ("no civilians", "none").
Anything vaguer ("several", "many") is not read at all: the person entering the claim then
chooses the qualifier and numbers. English and Arabic wordings are read ("نحو 40", "12 على
الأقل", "لا يوجد ضحايا"); numbers may be spelled out in English or Arabic ("سبعة مدنيين"), or
written in Arabic-Indic digits. Where the reading is unsure, nothing is proposed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from tracker.rules.counts import APPROXIMATE, AT_LEAST, AT_MOST, EXACT, RANGE, Count
from tracker.rules.discrepancy import CIVILIAN, COMBATANT, INJURED, KILLED

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
# ("a dozen"); a bare "dozen" ("several dozen") is no number.
NUMBER_WORDS_RUN = re.compile(rf"\b(?:(?:{UNIT})|an?\s+(?:{MULTIPLIER}))(?:(?:\s+|-|\s+and\s+)(?:{NUMBER_WORD}))*\b")
# "two or three dozen" is two dozen or three dozen.
SHARED_MULTIPLIER = re.compile(rf"\b({UNIT})\s+(or|to)\s+({UNIT})\s+({MULTIPLIER})\b")
DIGITS = re.compile(r"\d+(?:[,.\u066c]\d{3})+(?!\d)")

# Arabic numbers in words: a unit in either gender (ثلاثة, ثلاث), a teen (ثلاثة عشر), a ten
# (عشرون, عشرين) and a unit joined to a ten by "و" (ثلاثة وعشرون).
ARABIC_UNITS = {
    "واحد": 1, "واحدة": 1, "أحد": 1, "احد": 1, "إحدى": 1, "احدى": 1,
    "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2,
    "ثلاث": 3, "ثلاثة": 3, "أربع": 4, "أربعة": 4, "اربع": 4, "اربعة": 4, "خمس": 5, "خمسة": 5,
    "ست": 6, "ستة": 6, "سبع": 7, "سبعة": 7, "ثمان": 8, "ثماني": 8, "ثمانية": 8, "تسع": 9, "تسعة": 9,
}  # fmt: skip
ARABIC_TENS = {
    "عشر": 10, "عشرة": 10, "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30,
    "أربعون": 40, "أربعين": 40, "اربعون": 40, "اربعين": 40, "خمسون": 50, "خمسين": 50,
    "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70, "ثمانون": 80, "ثمانين": 80,
    "تسعون": 90, "تسعين": 90, "مئة": 100, "مائة": 100, "ألف": 1000, "الف": 1000,
}  # fmt: skip
ARABIC_UNIT, ARABIC_TEN = alternatives(ARABIC_UNITS), alternatives(ARABIC_TENS)
# A leading "و" (and) is kept apart from the number: "وثلاثة مسلحين" is "و 3 مسلحين".
ARABIC_NUMBER = re.compile(
    rf"(?<!\w)(و)?(?:(?P<teen_unit>{ARABIC_UNIT})\s+(?:عشر|عشرة)|(?P<unit>{ARABIC_UNIT})\s+و\s*(?P<ten>{ARABIC_TEN})"
    rf"|(?P<alone>{ARABIC_UNIT}|{ARABIC_TEN}))(?!\w)"
)
ARABIC_THOUSANDS = re.compile(r"(\d+)\s+(?:آلاف|الاف|ألف|الف)(?!\w)")

# Words of magnitude, as the lower bounds the field codes them with ("tens of thousands" too).
MAGNITUDES = {
    "tens": 10, "dozens": 12, "hundreds": 100, "thousands": 1_000, "millions": 1_000_000,
    "عشرات": 10, "مئات": 100, "آلاف": 1_000, "الاف": 1_000,
}  # fmt: skip
MAGNITUDE = re.compile(
    r"\b(?:(?P<tens>tens)(?=\s+of\b)|(?P<plural>dozens|hundreds|thousands))(?:\s+of\s+(?P<of>thousands|millions))?"
    r"(?:\s+of\b)?"
    r"|(?<!\w)(?:ال)?(?P<arabic>عشرات|مئات|آلاف|الاف)(?:\s+(?:من\s+)?(?:ال)?(?P<arabic_of>آلاف|الاف))?(?!\w)"
)

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
    r"|\b\d+\s+(?:عاما|عام|سنوات|سنة|أعوام|اعوام)(?!\w)"
)

# Each phrase, ending right before the number, with the qualifier it gives and how it moves
# the number: "more than 12" allows 13 at the least, "fewer than 30" allows 29 at the most.
# "≥" also stands for a word of magnitude ("dozens" is read as "≥12").
BEFORE_NUMBER = [
    (r"no fewer than|not fewer than|no less than|not less than|at least|a minimum of|"
     r"minimum of|upwards of|a total of at least|≥|ما لا يقل عن|لا يقل عن", AT_LEAST, 0),
    (r"no more than|not more than|up to|at most|as many as|a maximum of|maximum of|"
     r"at the most|≤|ما يصل إلى|ما لا يزيد عن|لا يزيد عن|حتى", AT_MOST, 0),
    (r"more than|over|in excess of|upward of|أكثر من|أزيد من|ما يزيد عن|ما يزيد على", AT_LEAST, 1),
    (r"fewer than|less than|under|below|أقل من", AT_MOST, -1),
    (r"around|about|approximately|approx\.?|roughly|some|nearly|almost|close to|"
     r"an estimated|estimated|circa|c\.|~|≈|an approximate|"
     r"نحو|حوالي|حوالى|قرابة|زهاء|ما يقارب|ما يقرب من|تقريبا", APPROXIMATE, 0),
]  # fmt: skip
BEFORE_NUMBER = [
    (re.compile(rf"(?:^|\s|\b)(?:{phrases})\s*$"), qualifier, shift) for phrases, qualifier, shift in BEFORE_NUMBER
]
NUMBER = re.compile(r"\d+")
RANGE_AFTER = re.compile(r"^\s*(?:-|to|and|or|و|إلى|أو)\s*(\d+)")
AT_LEAST_AFTER = re.compile(r"^\s*(?:\+|or more\b|and more\b|plus\b|(?:[^\s\d]+\s+)?على الأقل)")
AT_MOST_AFTER = re.compile(r"^\s*(?:or fewer\b|or less\b)")
APPROXIMATE_AFTER = re.compile(r"^\s*(?:or so\b|-?odd\b|أو نحو ذلك|تقريبا)")
DECIMAL_AFTER = re.compile(r"^[.,]\d")
# Zero only where the wording says nobody died, not wherever it says "no" ("no figure given").
VICTIMS = r"civilian|combatant|casualt|death|dead|fatalit|victim|militant|fighter|soldier|people|person|li(?:fe|ves)"
# In Arabic: "no victims", "no dead", "none fell", "none was killed", "without victims".
ARABIC_ZERO = r"لا (?:يوجد )?(?:ضحايا|قتلى)|لم يسقط|لم يقتل|دون ضحايا|بلا ضحايا|بدون ضحايا"
ZERO = re.compile(
    rf"^\s*(?:none|nobody|zero|nil)\b|\bnobody\b|\b(?:no|not a single|not any)\s+(?:{VICTIMS})|{ARABIC_ZERO}"
)


@dataclass(frozen=True)
class Victims:
    """What a word says of those a number counts: their category, subgroup or outcome."""

    category: str | None = None
    subgroup: str | None = None
    outcome: str | None = None


# Subgroups the reader knows, with the category they belong to (None: any category).
SUBGROUP_CATEGORIES = {
    "children": CIVILIAN, "women": CIVILIAN, "men": CIVILIAN, "elderly": CIVILIAN, "commanders": COMBATANT,
    "medical_workers": None, "journalists": None, "aid_workers": None,
}  # fmt: skip
# The words for those counted, in English and in Arabic, longest first where one begins another
# ("armed men" before "men"). Arabic words may carry the article (ال) or a leading "و" (and).
VICTIM_WORDS = [
    (Victims(category=COMBATANT),
     r"armed men|gunmen|militants?|fighters?|combatants?|insurgents?|terrorists?|jihadists?|soldiers?|troops"
     r"|servicem[ae]n|rebels?|mercenaries",
     r"مسلح(?:ين|ون|ا|ان)?|مقاتل(?:ين|ون|ا)?|عناصر|عنصرا|عنصر|جنود|جندي(?:ا|ين)?|[إا]رهابي(?:ين|ون|ا)?"
     r"|متشدد(?:ين|ون|ا)?|مرتزقة|دواعش|عسكري(?:ين|ون|ا)?"),
    (Victims(subgroup="commanders"), r"(?:field |military |senior |top |militant )?commanders?|emirs?",
     r"قادة|قائدا|قائد|قيادي(?:ين|ون|ا)?"),
    (Victims(category=CIVILIAN), r"civilians?|non-?combatants?|residents|villagers|bystanders|passers-?by",
     r"مدني(?:ين|ون|ا|ان)?|مواطن(?:ين|ون|ا)?"),
    (Victims(subgroup="children"), r"children|child|kids|boys|girls|minors|infants|babies|toddlers",
     r"[أا]طفال|طفل(?:ا|ة|ين)?|قاصر(?:ين|ون)?"),
    (Victims(subgroup="women"), r"women|woman", r"نساء|امرأة|سيدات"),
    (Victims(subgroup="elderly"), r"elderly|elders|old people|older people|pensioners", r"مسن(?:ين|ون|ا)?|كبار السن"),
    (Victims(subgroup="men"), r"men|man", r"رجال|رجلا"),
    (Victims(subgroup="medical_workers"),
     r"medical workers?|medical staff|health(?:care)? workers?|medics?|paramedics?|doctors?|nurses?",
     r"مسعف(?:ين|ون|ا)?|[أا]طباء|طبيبا?|ممرض(?:ين|ات|ا)?|(?:كوادر|طواقم) طبية"),
    (Victims(subgroup="journalists"),
     r"journalists?|reporters?|media workers?|photographers?|camera(?:m[ae]n|operators?)",
     r"صح[اف]?في(?:ين|ون|ا)?|[إا]علامي(?:ين|ون|ا)?"),
    (Victims(subgroup="aid_workers"), r"aid workers?|humanitarian workers?|relief workers?",
     r"عمال (?:ال)?[إا]غاثة|عاملين في (?:ال)?مجال (?:ال)?[إا]نساني"),
    (Victims(), r"people|persons?|individuals|casualties|victims", r"[أا]شخاص|شخصا|شخص|ضحايا|ضحية|[أا]فراد"),
    (Victims(outcome=KILLED), r"killed|dead|died|deaths?|fatalities|slain|martyrs?|bodies|lives lost",
     r"قتيلا|قتيل|قتلى|شهيدا|شهيد|شهداء|قتلوا|قتل|مقتل|لقوا حتفهم"),
    (Victims(outcome=INJURED), r"wounded|injured|hurt|injuries",
     r"جريحا|جريح|جرحى|مصاب(?:ين|ون|ا)?|[إا]صابات|[إا]صابة|[أا]صيبوا|[أا]صيب|جرح"),
]  # fmt: skip
VICTIM_WORDS = [
    (re.compile(rf"(?:{english}|و?(?:ال)?(?:{arabic}))(?!\w)"), victims) for victims, english, arabic in VICTIM_WORDS
]
OUTCOME_WORDS = [(pattern, victims.outcome) for pattern, victims in VICTIM_WORDS if victims.outcome]
# Words of the others a number counts that say nothing of who they were ("4 others"): unsure.
OTHERS = re.compile(r"others?\b|آخرين|آخرون|اخرين")
# How far after a number its word may stand ("4 senior ISIS field commanders").
WORDS_AFTER = 5
TOKEN = re.compile(r"\s*([^\s,;:.()\[\]]+|[,;:.()\[\]])")
# Words that end what can be said of a number: a new clause or a breakdown begins.
LINKS = re.compile(
    r"(?:and|including|includ(?:es|ed)|among|amongst|plus|while|but|with|besides|alongside|whereas"
    r"|بينهم|منهم|وبينهم|ومنهم|و|بما|فيهم)$"
)
# A number that counts a part of the number after it: "4 commanders among 40 militants".
PART_OF_NEXT = re.compile(r"(?:\bamong|\bof|\bout of|من بين|من أصل|من اصل|بين)\s+(?:the\s+|ال)?$")


@dataclass(frozen=True)
class Part:
    """One claim a wording holds: a count of a category (or subgroup of it), killed or injured.

    A category of None is not named by the wording: it is the category of the claim read.
    """

    category: str | None
    subgroup: str | None
    outcome: str
    count: Count


@dataclass(frozen=True)
class Mention:
    """A number as the wording states it, with what it counts and where it stands."""

    count: Count | None
    victims: Victims
    is_named: bool  # some word tells what it counts
    is_others: bool
    is_part_of_next: bool
    start: int
    end: int


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


def arabic_words_to_digits(text: str) -> str:
    """Replace Arabic numbers in words ("سبعة", "ثلاثة وعشرون", "ثلاثة آلاف") with digits."""

    def value_of(match):
        if match.group("teen_unit"):
            value = ARABIC_UNITS[match.group("teen_unit")] + 10
        elif match.group("unit"):
            value = ARABIC_UNITS[match.group("unit")] + ARABIC_TENS[match.group("ten")]
        else:
            alone = match.group("alone")
            value = ARABIC_UNITS.get(alone) or ARABIC_TENS[alone]
        return f"{match.group(1) or ''} {value}"

    text = ARABIC_NUMBER.sub(value_of, text)
    return ARABIC_THOUSANDS.sub(lambda match: str(int(match.group(1)) * 1_000), text)


def magnitudes_to_bounds(text: str) -> str:
    """Replace words of magnitude with the lower bound they are read as: "dozens of" is "≥12"."""

    def bound_of(match):
        plural = match.group("tens") or match.group("plural") or match.group("arabic")
        of = match.group("of") or match.group("arabic_of")
        return f" ≥{MAGNITUDES[plural] * (MAGNITUDES[of] if of else 1)} "

    return MAGNITUDE.sub(bound_of, text)


def normalise(wording: str) -> str:
    text = wording.casefold().replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    # Arabic short vowels and the stretching tatweel change no word: "مدنياً" is "مدنيا".
    text = re.sub(r"[\u064b-\u0652\u0640]", "", text)
    # "No one" and "not one" deny any death; read as numbers they would claim one.
    text = re.sub(r"\b(?:no|not)[\s-]one\b", "nobody", text)
    text = arabic_words_to_digits(words_to_digits(text))
    # Thousands separators go, so that "1,200" is one number (Python's \d reads Arabic digits).
    text = DIGITS.sub(lambda match: re.sub(r"[,.\u066c]", "", match.group(0)), text)
    return magnitudes_to_bounds(NOT_COUNTS.sub(" ", text))


def count_at(text: str, number: re.Match) -> tuple[Count | None, int]:
    """Return the count a number states, read with the words around it, and where it ends."""
    value = int(number.group(0))
    before, after = text[: number.start()], text[number.end() :]
    if DECIMAL_AFTER.match(after):
        return None, number.end()  # "1.5 million": not a count of deaths as the tracker keeps them
    upper = RANGE_AFTER.match(after)
    if upper:
        high = int(upper.group(1))
        return (Count(RANGE, low=value, high=high) if value <= high else None), number.end() + upper.end()
    if AT_LEAST_AFTER.match(after):
        return Count(AT_LEAST, low=value), number.end()
    if AT_MOST_AFTER.match(after):
        return Count(AT_MOST, high=value), number.end()
    if APPROXIMATE_AFTER.match(after):
        return Count(APPROXIMATE, best=value), number.end()
    for phrase, qualifier, shift in BEFORE_NUMBER:
        if phrase.search(before):
            if qualifier == AT_LEAST:
                return Count(AT_LEAST, low=value + shift), number.end()
            if qualifier == AT_MOST:
                return (Count(AT_MOST, high=value + shift) if value + shift >= 0 else None), number.end()
            return Count(APPROXIMATE, best=value), number.end()
    return Count(EXACT, best=value), number.end()


def victims_after(text: str, position: int) -> tuple[Victims, bool, bool]:
    """Return what the words after a number say it counts, whether any did, and whether it is "others".

    The category or subgroup comes before the outcome ("12 civilians were killed"); once the
    outcome is said, later words belong to something else ("40 killed were children").
    """
    found = Victims()
    is_named = False
    for _ in range(WORDS_AFTER):
        token = TOKEN.match(text, position)
        if token is None:
            break
        word, start = token.group(1), token.start(1)
        # A word that begins with "و" (and) begins what comes next: "مقتل 3 وإصابة 12".
        if not word[0].isalpha() or word[0] == "و" or LINKS.match(word) or any(c.isdigit() for c in word):
            break
        if OTHERS.match(word):
            return found, is_named, True
        for pattern, victims in VICTIM_WORDS:
            match = pattern.match(text, start)
            if match is None:
                continue
            is_named = True
            if victims.outcome:
                return Victims(found.category, found.subgroup, victims.outcome), True, False
            if not (found.category or found.subgroup):
                found = victims
            token = match  # a word of several ("armed men") is passed whole
            break
        position = token.end()
    return found, is_named, False


def outcome_before(text: str) -> str | None:
    """Return the outcome said just before a number ("killed 4", "مقتل 3 وجرح 12"), within its clause."""
    clause = re.split(r"[,;:.()]|\b(?:and|including|among|while|but)\b|\s(?:و|بينهم|منهم)\s", text)[-1]
    found = None
    for pattern, outcome in OUTCOME_WORDS:
        for match in re.finditer(rf"(?<!\w){pattern.pattern}", clause):
            if found is None or match.start() > found[0]:
                found = (match.start(), outcome)
    return found and found[1]


def mentions_in(text: str) -> list[Mention]:
    """Return every number the normalised wording states, in order."""
    mentions, position = [], 0
    while number := NUMBER.search(text, position):
        count, end = count_at(text, number)
        victims, is_named, is_others = victims_after(text, end)
        if victims.outcome is None:
            outcome = outcome_before(text[position : number.start()])
            if outcome:
                victims, is_named = Victims(victims.category, victims.subgroup, outcome), True
        mentions.append(Mention(count, victims, is_named, is_others, False, number.start(), end))
        position = end
    # A number followed by "among" or "of" and another number counts a part of that one.
    for index in range(len(mentions) - 1):
        if PART_OF_NEXT.search(text[mentions[index].end : mentions[index + 1].start]):
            mentions[index] = replace(mentions[index], is_part_of_next=True)
    return mentions


def is_whole(mention: Mention) -> bool:
    return mention.victims.subgroup is None and not mention.is_part_of_next


def count_from_wording(wording: str, *, outcome: str = KILLED, subgroup: str | None = None) -> Count | None:
    """Return the count the wording states, or None when it cannot be read with confidence.

    The count is that of the first whole of the outcome ("7 civilians and 3 fighters" is 7),
    or, given a subgroup, the number attached to it ("12 civilians, including 4 children" is 4
    children). A wording that names only a part ("4 children") is read as that part.
    """
    text = normalise(wording or "")
    mentions = [mention for mention in mentions_in(text) if mention.victims.outcome in (None, outcome)]
    if not mentions:
        has_number = NUMBER.search(text) is not None
        return Count(EXACT, best=0) if not has_number and subgroup is None and ZERO.search(text) else None
    if subgroup is not None:
        chosen = [mention for mention in mentions if mention.victims.subgroup == subgroup]
    else:
        chosen = [mention for mention in mentions if is_whole(mention)] or mentions
    return chosen[0].count if chosen else None


def breakdown_from_wording(
    wording: str, *, category: str | None = None, outcome: str = KILLED
) -> tuple[Part, ...] | None:
    """Return the claims a wording holds beyond one whole, or None when it holds no more or is unsure.

    "12 civilians, including 4 children" holds a civilian claim of 12 and a children claim of 4.
    Where the wording names no category or outcome, the claim's own (`category`, `outcome`) is
    meant. Each whole comes first, followed by the subgroups counted among it.
    """
    mentions = mentions_in(normalise(wording or ""))
    # Unsure: a number unread, "4 others", or "4 of the 40" with no word for who the 4 were.
    if len(mentions) < 2 or any(
        m.count is None or m.is_others or (m.is_part_of_next and m.victims.subgroup is None) for m in mentions
    ):
        return None
    wholes = [mention for mention in mentions if is_whole(mention)]
    if any(not mention.is_named for mention in wholes) and any(m.victims.category for m in wholes):
        return None  # "12 civilians and 4": who the 4 were is not said
    groups: dict[Mention, list[Part]] = {}
    previous = None
    for whole in wholes:
        whole_category, whole_outcome = whole.victims.category, whole.victims.outcome
        if whole_category is None and previous is not None and previous.victims.category:
            # "3 civilians killed and 12 wounded": the 12 are civilians too; else they are unsure.
            if (whole_outcome or KILLED) == (previous.victims.outcome or KILLED):
                return None
            whole_category = previous.victims.category
        groups[whole] = [Part(whole_category or category, None, whole_outcome or outcome, whole.count)]
        previous = whole
    for index, mention in enumerate(mentions):
        if is_whole(mention):
            continue
        later = mentions[index + 1] if index + 1 < len(mentions) else None
        if mention.is_part_of_next and later in groups:
            whole = later
        else:
            earlier = [whole for whole in wholes if whole.start < mention.start]
            whole = earlier[-1] if earlier else next(iter(groups), None)
        own_category = SUBGROUP_CATEGORIES[mention.victims.subgroup]
        if whole is None:
            # Subgroups alone ("5 children and 3 women"): each stands for itself.
            alone = Part(
                own_category or category, mention.victims.subgroup, mention.victims.outcome or outcome, mention.count
            )
            groups[mention] = [alone]
            continue
        whole_part = groups[whole][0]
        named_category = whole.victims.category or (whole_part.category if whole_part.category != category else None)
        if own_category and named_category and own_category != named_category:
            return None  # "40 militants, including 4 children": not a reading to propose
        part_category = named_category or own_category or category
        part_outcome = mention.victims.outcome or whole_part.outcome
        groups[whole].append(Part(part_category, mention.victims.subgroup, part_outcome, mention.count))
    parts = tuple(part for group in groups.values() for part in group)
    return parts if len(parts) > 1 else None
