"""Charts drawn on the server as inline SVG: no chart library, nothing loaded from elsewhere.

Every text that comes from the data is escaped by format_html. Numbers are written with str(),
never through the template engine, so that a locale's decimal comma cannot break the markup.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
LABEL_WIDTH = 210
VALUE_WIDTH = 80
ROW_HEIGHT = 30
TOP = 28
AXIS_HEIGHT = 30
LABEL_CHARS = 30


@dataclass(frozen=True)
class IntervalBar:
    """One party's interval on the chart; ``hi`` is None for an open-ended claim ("at least 12")."""

    label: str
    lo: int
    hi: int | None
    value_text: str
    standing: str = ""
    assessed: bool = False  # an assessor's figure, not a party's claim: drawn hatched


@dataclass(frozen=True)
class Column:
    """One column of a column chart: its height, a tooltip, and an axis label (or "")."""

    value: int
    tooltip: str
    tick: str = ""


def nice_ceiling(value: float) -> int:
    """Return a round number at or above value: a power of ten times 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * power >= value:
            return math.ceil(step * power)
    return math.ceil(10 * power)


def axis_ticks(maximum: int, count: int = 5) -> list[int]:
    step = max(1, nice_step(maximum / count))
    return list(range(0, maximum + 1, step))


def nice_step(value: float) -> int:
    """Return a tick step at or above value that reads well: 1, 2 or 5 times a power of ten."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(int(step * power) for step in (1, 2, 5, 10) if step * power >= value)


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def interval_chart(
    bars: list[IntervalBar],
    *,
    chart_id: str,
    lo_max: int | None,
    hi_min: int | None,
    title: str,
    description: str,
    axis_title: str = "",
) -> SafeString:
    """Draw each party's interval as a bar on one axis, and shade the gap between H and L if any.

    `axis_title`, in the page's language, names what the axis counts; it sits at the axis's end, under
    the column of values.
    """
    finite = [value for bar in bars for value in (bar.lo, bar.hi) if value is not None]
    axis_max = nice_ceiling(max(finite, default=0) * 1.15) if any(finite) else 10
    plot_left, plot_right = LABEL_WIDTH, WIDTH - VALUE_WIDTH
    plot_top = TOP
    plot_bottom = TOP + ROW_HEIGHT * len(bars)
    height = plot_bottom + AXIS_HEIGHT

    def x(value: int) -> float:
        return round(plot_left + (plot_right - plot_left) * value / axis_max, 1)

    parts = []
    if lo_max is not None and hi_min is not None and lo_max > hi_min:
        gap = format_html(
            '<rect class="gap" x="{}" y="{}" width="{}" height="{}"/>',
            x(hi_min), plot_top - 6, round(x(lo_max) - x(hi_min), 1), plot_bottom - plot_top + 6,
        )  # fmt: skip
        parts.append(gap)
        for bound in (hi_min, lo_max):
            line = format_html(
                '<line class="bound" x1="{}" x2="{}" y1="{}" y2="{}"/><text class="bound" x="{}" y="{}">{}</text>',
                x(bound), x(bound), plot_top - 6, plot_bottom, x(bound), plot_top - 10, bound,
            )  # fmt: skip
            parts.append(line)
    for tick in axis_ticks(axis_max):
        tick_mark = format_html(
            '<line class="tick" x1="{}" x2="{}" y1="{}" y2="{}"/><text class="tick" x="{}" y="{}">{}</text>',
            x(tick), x(tick), plot_top - 4, plot_bottom + 4, x(tick), plot_bottom + 18, tick,
        )  # fmt: skip
        parts.append(tick_mark)
    hatch = f"{chart_id}-hatch"
    if any(bar.assessed for bar in bars):
        parts.insert(
            0,
            format_html(
                '<defs><pattern id="{}" class="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
                'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6"/></pattern></defs>',
                hatch,
            ),
        )
    for row, bar in enumerate(bars):
        parts.append(interval_row(bar, row, x, plot_right, hatch))
    if axis_title:
        heading = '<text class="axis-title" x="{}" y="{}">{}</text>'
        parts.append(format_html(heading, plot_right + 20, plot_bottom + 18, axis_title))  # clear of the last tick
    return format_html(
        "{}{}</svg>",
        svg_open(chart_id, "interval-chart", height, title, description),
        mark_safe("".join(parts)),  # each part was built by format_html
    )


def svg_open(chart_id: str, css_class: str, height: int, title: str, description: str) -> SafeString:
    """Open an accessible SVG: its title and description name it for screen readers."""
    return format_html(
        '<svg id="{}" class="chart {}" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
        'dir="ltr" xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        chart_id, css_class, WIDTH, height, chart_id, chart_id, chart_id, title, chart_id, description,
    )  # fmt: skip


def interval_row(bar: IntervalBar, row: int, x, plot_right: float, hatch: str) -> SafeString:
    middle = TOP + ROW_HEIGHT * row + ROW_HEIGHT / 2
    # An assessed figure's shapes are filled with the hatch by their attribute, which the stylesheet leaves alone.
    bar_class, point_class = ("assessed", "assessed") if bar.assessed else ("bar", "point")
    fill = format_html(' fill="url(#{})"', hatch) if bar.assessed else ""
    label = format_html('<text class="party" x="{}" y="{}">{}</text>', LABEL_WIDTH - 10, middle + 4, shorten(bar.label))
    value = format_html('<text class="value" x="{}" y="{}">{}</text>', plot_right + 8, middle + 4, bar.value_text)
    if bar.hi is None:
        # Open-ended: the bar runs off the axis and ends in an open arrow.
        shape = format_html(
            '<rect class="{}"{} x="{}" y="{}" width="{}" height="12"/>'
            '<polyline class="open-end" points="{},{} {},{} {},{}"/>',
            bar_class, fill, x(bar.lo), middle - 6, round(plot_right - x(bar.lo) - 4, 1),
            plot_right - 10, middle - 10, plot_right, middle, plot_right - 10, middle + 10,
        )  # fmt: skip
    elif bar.lo == bar.hi:
        # A single number, zero included, is a diamond: never a bar too thin to see.
        shape = format_html(
            '<polygon class="{}"{} points="{},{} {},{} {},{} {},{}"/>',
            point_class, fill,
            x(bar.lo), middle - 8, x(bar.lo) + 8, middle, x(bar.lo), middle + 8, x(bar.lo) - 8, middle,
        )  # fmt: skip
    else:
        shape = format_html(
            '<rect class="{}"{} x="{}" y="{}" width="{}" height="12"/>',
            bar_class, fill, x(bar.lo), middle - 6, max(2, round(x(bar.hi) - x(bar.lo), 1)),
        )  # fmt: skip
    return format_html(
        '<g class="row {}{}"><title>{}: {}</title>{}{}{}</g>',
        bar.standing, " assessment" if bar.assessed else "", bar.label, bar.value_text, label, shape, value,
    )  # fmt: skip


def column_chart(
    columns: list[Column], *, chart_id: str, title: str, description: str, height: int = 180, axis_title: str = ""
) -> SafeString:
    """Draw a column per period (claims per month, say), with its count in a tooltip.

    `axis_title`, in the page's language, names what the columns count; it sits above the vertical axis.
    """
    plot_left, plot_right, plot_top, plot_bottom = 40, WIDTH - 10, 24 if axis_title else 10, height - 26
    axis_max = nice_ceiling(max((column.value for column in columns), default=0))
    slot = (plot_right - plot_left) / max(1, len(columns))

    def y(value: int) -> float:
        return round(plot_bottom - (plot_bottom - plot_top) * value / axis_max, 1)

    ticks = format_html_join(
        "",
        '<line class="tick" x1="{}" x2="{}" y1="{}" y2="{}"/><text class="tick" x="{}" y="{}">{}</text>',
        ((plot_left, plot_right, y(tick), y(tick), plot_left - 6, y(tick) + 4, tick) for tick in axis_ticks(axis_max)),
    )
    bars = format_html_join(
        "",
        '<g class="column"><title>{}</title><rect x="{}" y="{}" width="{}" height="{}"/>'
        '<text class="tick" x="{}" y="{}">{}</text></g>',
        (
            (
                column.tooltip,
                round(plot_left + slot * index + slot * 0.1, 1),
                y(column.value),
                round(max(1, slot * 0.8), 1),
                round(plot_bottom - y(column.value), 1),
                round(plot_left + slot * index + slot / 2, 1),
                plot_bottom + 16,
                column.tick,
            )
            for index, column in enumerate(columns)
        ),
    )
    heading = format_html('<text class="axis-title" x="4" y="12">{}</text>', axis_title) if axis_title else ""
    return format_html(
        "{}{}{}{}</svg>", svg_open(chart_id, "column-chart", height, title, description), heading, ticks, bars
    )


@dataclass(frozen=True)
class RatioBox:
    """One party's ratios on a log axis: the middle half of them (its quartiles) as a box, its median as a
    line; all None where it has no ratio."""

    label: str
    q1: float | None
    median: float | None
    q3: float | None
    value_text: str


def ratio_chart(
    boxes: list[RatioBox], *, chart_id: str, title: str, description: str, agree_label: str, axis_title: str = ""
) -> SafeString:
    """Draw each party's ratios (its count ÷ the others') as a box on a log axis, with the agreeing ratio of 1
    marked: a box right of the mark counts more than the others, left of it fewer.

    The axis runs over whole powers of ten, 0.1 to 10 at least, each labelled (×0.1, ×1, ×10); `agree_label`,
    in the page's language, names the mark at 1.
    """
    ends = [value for box in boxes for value in (box.q1, box.q3) if value]
    low = min(-1, math.floor(math.log10(min(ends, default=1))))
    high = max(1, math.ceil(math.log10(max(ends, default=1))))
    plot_left, plot_right = LABEL_WIDTH, WIDTH - VALUE_WIDTH
    plot_top, plot_bottom = TOP, TOP + ROW_HEIGHT * len(boxes)

    def x(value: float) -> float:
        return round(plot_left + (plot_right - plot_left) * (math.log10(value) - low) / (high - low), 1)

    parts = []
    for power in range(low, high + 1):
        tick = format_html(
            '<line class="tick" x1="{}" x2="{}" y1="{}" y2="{}"/><text class="tick" x="{}" y="{}">×{}</text>',
            x(10**power), x(10**power), plot_top - 4, plot_bottom + 4, x(10**power), plot_bottom + 18,
            f"{10**power:g}",
        )  # fmt: skip
        parts.append(tick)
    agree = format_html(
        '<line class="bound agree" x1="{}" x2="{}" y1="{}" y2="{}"/><text class="bound" x="{}" y="{}">{}</text>',
        x(1), x(1), plot_top - 6, plot_bottom, x(1), plot_top - 10, agree_label,
    )  # fmt: skip
    parts.append(agree)
    for row, box in enumerate(boxes):
        middle = TOP + ROW_HEIGHT * row + ROW_HEIGHT / 2
        shape = ""
        if box.median:
            shape = format_html(
                '<rect class="bar" x="{}" y="{}" width="{}" height="14"/>'
                '<line class="median" x1="{}" x2="{}" y1="{}" y2="{}"/>',
                x(box.q1), middle - 7, max(2, round(x(box.q3) - x(box.q1), 1)),
                x(box.median), x(box.median), middle - 10, middle + 10,
            )  # fmt: skip
        drawn = format_html(
            '<g class="row"><title>{}: {}</title><text class="party" x="{}" y="{}">{}</text>{}'
            '<text class="value" x="{}" y="{}">{}</text></g>',
            box.label, box.value_text, LABEL_WIDTH - 10, middle + 4, shorten(box.label), shape,
            plot_right + 8, middle + 4, box.value_text,
        )  # fmt: skip
        parts.append(drawn)
    if axis_title:
        heading = '<text class="axis-title" x="{}" y="{}">{}</text>'
        parts.append(format_html(heading, plot_right + 20, plot_bottom + 18, axis_title))
    return format_html(
        "{}{}</svg>",
        svg_open(chart_id, "ratio-chart", plot_bottom + AXIS_HEIGHT, title, description),
        mark_safe("".join(parts)),  # each part was built by format_html
    )
