"""A person's fate claims as a page shows them: each on the timeline with its status, the conflicts among them
in a sentence each, and a small chart of when each party said what.

The conflicts are those of the pure rules (tracker.rules.fates), read from the claims as they stand: the
stored flags on the person say which kinds there are, these sentences say between which claims.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tracker.presentation.charts import LABEL_WIDTH, WIDTH, shorten, svg_open
from tracker.rules import dates, fates

ROW_HEIGHT = 26
TOP = 12
AXIS_HEIGHT = 28
MAX_TICKS = 8


def day_precision(fate_claim) -> str:
    """Return how exactly a fate claim's day (its fate date, or its event's date) is stated."""
    return fate_claim.fate_date_precision if fate_claim.fate_date is not None else fate_claim.event.date_precision


def fate_timeline(fate_claims) -> list:
    """Give each fate claim (in the order made) `standing` (current, superseded or retracted: its `status` is the
    person's then) as the rules read it, and its day's `day_precision`; return them."""
    fate_claims = list(fate_claims)
    current = {report.key for report in fates.current_reports(claim.report() for claim in fate_claims)}
    for fate_claim in fate_claims:
        fate_claim.day_precision = day_precision(fate_claim)
        if fate_claim.retracted:
            fate_claim.standing = "retracted"
        else:
            fate_claim.standing = "current" if fate_claim.pk in current else "superseded"
    return fate_claims


def when_text(day: date, precision: str) -> str:
    """A fate's day in a sentence, in the page's language: "on 8 September 2017", "in April 2017", "in 2017"."""
    if precision == dates.YEAR:
        return _("in %(year)s") % {"year": day.year}
    if precision == dates.MONTH:
        return _("in %(month)s") % {"month": date_format(day, "F Y")}
    return _("on %(day)s") % {"day": date_format(day, "j F Y")}


def isolated(name: str) -> str:
    """Keep a name in its own direction inside a sentence of either: a Latin place in an Arabic sentence, or an
    Arabic party in an English one, must not reorder the words around it."""
    return f"\u2068{name}\u2069"  # FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE


def said_text(fate_claim) -> str:
    """What one fate claim says, for a conflict's sentence: "killed in Mosul in April 2017 by the Daily Telegraph"."""
    words = {
        "fate": fate_claim.get_fate_display(),
        "when": when_text(fate_claim.day, day_precision(fate_claim)),
        "party": isolated(fate_claim.party.name),
    }
    place = fate_claim.event.location_name.strip() if fate_claim.event_id else ""
    if place:
        return _("%(fate)s in %(place)s %(when)s by %(party)s") % {**words, "place": isolated(place)}
    return _("%(fate)s %(when)s by %(party)s") % words


def conflict_sentences(fate_claims) -> list[str]:
    """Return a sentence for each pair of fate claims in conflict, killed twice first, as the rules pair them."""
    by_key = {fate_claim.pk: fate_claim for fate_claim in fate_claims}
    current = fates.current_reports(fate_claim.report() for fate_claim in fate_claims)
    days = settings.TRACKER_FATE_DAYS
    found = (
        (_("Reported killed twice: %(first)s, and %(second)s."), fates.killed_twice(current, fate_days=days)),
        (_("Reported alive after death: %(first)s, but %(second)s."), fates.alive_after_death(current, fate_days=days)),
        (_("Disputed: %(first)s, but %(second)s."), fates.disputed(current)),
    )
    return [
        sentence % {"first": said_text(by_key[first.key]), "second": said_text(by_key[second.key])}
        for sentence, pairs in found
        for first, second in pairs
    ]


def axis_ticks(first: date, last: date) -> list[tuple[date, str]]:
    """Return the axis's ticks between two days: each year's first day, or where the span is short, months."""
    years = list(range(first.year + (first != date(first.year, 1, 1)), last.year + 1))
    if len(years) >= 2:
        step = -(-len(years) // MAX_TICKS)
        return [(date(year, 1, 1), str(year)) for year in years[::step]]
    months = [
        date(year, month, 1)
        for year in range(first.year, last.year + 1)
        for month in range(1, 13)
        if first <= date(year, month, 1) <= last
    ]
    step = -(-len(months) // MAX_TICKS) or 1
    return [(month, f"{month:%Y-%m}") for month in months[::step]]


def fate_chart(timeline, *, chart_id: str) -> SafeString:
    """Draw each party's fate claims on one time axis, a row per party: a death as a cross, a survival as a
    circle; a superseded or retracted claim faded. Left to right in any language, as time runs on the axis."""
    if not timeline:
        return SafeString("")
    parties = list(dict.fromkeys(fate_claim.party for fate_claim in timeline))
    first = min(fate_claim.day for fate_claim in timeline)
    last = max(fate_claim.day for fate_claim in timeline)
    # A margin of a tenth of the span (a month at least) either side keeps the marks off the chart's edges.
    margin = max(30, (last - first).days // 10)
    start, span = first.toordinal() - margin, (last - first).days + 2 * margin
    plot_left, plot_right = LABEL_WIDTH, WIDTH - 20
    plot_bottom = TOP + ROW_HEIGHT * len(parties)

    def x(day: date) -> float:
        return round(plot_left + (plot_right - plot_left) * (day.toordinal() - start) / span, 1)

    def y(party) -> float:
        return TOP + ROW_HEIGHT * parties.index(party) + ROW_HEIGHT / 2

    ticks = format_html_join(
        "",
        '<line class="tick" x1="{}" x2="{}" y1="{}" y2="{}"/><text class="tick" x="{}" y="{}">{}</text>',
        (
            (x(day), x(day), TOP, plot_bottom, x(day), plot_bottom + 16, label)
            for day, label in axis_ticks(date.fromordinal(start), date.fromordinal(start + span))
        ),
    )
    labels = format_html_join(
        "",
        '<text class="party" x="{}" y="{}">{}</text>',
        ((LABEL_WIDTH - 10, y(party) + 4, shorten(party.name)) for party in parties),
    )
    marks = format_html_join("", "{}", ((fate_mark(fate_claim, x(fate_claim.day), y(fate_claim.party)),)
                                        for fate_claim in timeline))  # fmt: skip
    title = _("When each party said what befell the person")
    description = _("A row per party; each fate claim marked on the day of the fate: a cross for a death, a circle "
                    "for alive, wounded or captured; superseded and retracted claims faded.")  # fmt: skip
    return format_html(
        "{}{}{}{}</svg>",
        svg_open(chart_id, "fate-chart", plot_bottom + AXIS_HEIGHT, title, description),
        ticks,
        labels,
        marks,
    )


def fate_mark(fate_claim, at: float, middle: float) -> SafeString:
    tooltip = said_text(fate_claim)  # the conflicts' words, in the page's language, names isolated
    if fate_claim.fate in fates.DEATHS:
        shape = format_html(
            '<path class="death" d="M{} {}L{} {}M{} {}L{} {}"/>',
            at - 6, middle - 6, at + 6, middle + 6, at - 6, middle + 6, at + 6, middle - 6,
        )  # fmt: skip
    else:
        shape = format_html('<circle class="survival" cx="{}" cy="{}" r="6"/>', at, middle)
    return format_html(
        '<g class="fate {} {}"><title>{}</title>{}</g>', fate_claim.standing, fate_claim.hedge, tooltip, shape
    )
