"""Template filters for the tracker's pages: counts, intervals and ratios as staff read them."""

from urllib.parse import urlsplit

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import pgettext

from tracker import visibility
from tracker.presentation import labels, numbers, sides
from tracker.rules import dates

register = template.Library()


@register.filter
def ratio(value) -> str:
    """A stored ratio rounded for reading: 3.3×."""
    return numbers.ratio_text(value)


@register.filter
def interval(claim) -> str:
    """The interval a claim is compared as: "12 – 15", "≥ 9"."""
    return numbers.interval_text(claim.interval)


@register.filter
def reported(claim) -> str:
    """The count as reported, in words of the page's language: "about 40", "at least 12"."""
    return numbers.count_text(claim.count)


@register.filter
def of_whom(subgroup) -> str:
    """A subgroup introduced under its whole, in the page's language: "of whom: children"."""
    return labels.of_whom_text(subgroup)


@register.simple_tag
def stated_date(day, precision: str) -> str:
    """A claim's or a source's date as stated, for `<time>`: its ISO form (2017-09, 2017) and its words."""
    return format_html(
        '<time datetime="{}">{}</time>', dates.stated_text(day, precision), labels.stated_date_text(day, precision)
    )


@register.filter
def web_url(url: str) -> str:
    """The URL if it is a web address, else "": no javascript: link from stored data."""
    return url if urlsplit(url or "").scheme in ("http", "https") else ""


@register.simple_tag
def hidden_source() -> str:
    """What a page shows in place of a source hidden from its reader."""
    return visibility.CONFIDENTIAL_SOURCE


@register.simple_tag
def all_sides_label() -> str:
    """The label of a claim or group without a victim side where others of its category name one."""
    return sides.all_sides_text()


@register.simple_tag
def all_sides_note() -> str:
    """What "all sides" means beside a claim without a victim side."""
    return sides.all_sides_explained()


@register.simple_tag
def place(event) -> str:
    """An event's place, from the most precise to the country, each name isolated in its own direction and
    joined by the language's separator: an English place name stays whole in an Arabic page."""
    country = getattr(event, "country", None)  # a merged event's record has none: the kept event's is shown
    names = [event.location_name, event.admin_region, country.name if country else ""]
    separator = pgettext("list separator", ", ")
    return format_html_join(separator, "<bdi>{}</bdi>", ((name,) for name in names if name))
