"""A long text's change in a history, put so that a reader sees which words changed.

A history shows a field's value before and after a change. A long text (notes, a description)
that changed by a word cannot be read whole twice, nor cut in the middle of words as
django-simple-history cuts it ("Repor[52 chars]ide"): the words removed and added are marked, and
long unchanged stretches keep only the words around the change.
"""

from __future__ import annotations

import difflib
import re

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

# Unchanged words kept on each side of a change; a longer unchanged stretch is shortened to "…".
CONTEXT_WORDS = 6
ELLIPSIS = "…"


def tokens_of(text: str) -> list[str]:
    """Split a text into its words and the spaces between them, so that joining them gives the text back."""
    return re.findall(r"\S+|\s+", text)


def unchanged_text(tokens: list[str], *, first: bool, last: bool) -> str:
    """Return an unchanged stretch, shortened to its words next to a change: its end only when it opens the
    text, its start only when it closes it, both ends when it lies between two changes."""
    kept = 2 * CONTEXT_WORDS  # a word and the space after it, CONTEXT_WORDS times
    keep_start = 0 if first else kept
    keep_end = 0 if last else kept
    if len(tokens) <= keep_start + keep_end + 2:
        return "".join(tokens)
    start = "".join(tokens[:keep_start])
    end = "".join(tokens[len(tokens) - keep_end :]) if keep_end else ""
    return f"{start}{ELLIPSIS}{' ' if end else ''}{end}"


def words_changed(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Return the old and the new text as HTML: the removed words in <del>, the added ones in <ins>."""
    old_words, new_words = tokens_of(old), tokens_of(new)
    opcodes = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes()
    old_html, new_html = [], []
    for index, (tag, old_from, old_to, new_from, new_to) in enumerate(opcodes):
        if tag == "equal":
            text = unchanged_text(old_words[old_from:old_to], first=index == 0, last=index == len(opcodes) - 1)
            old_html.append(conditional_escape(text))
            new_html.append(conditional_escape(text))
            continue
        if old_to > old_from:
            old_html.append(format_html("<del>{}</del>", "".join(old_words[old_from:old_to])))
        if new_to > new_from:
            new_html.append(format_html("<ins>{}</ins>", "".join(new_words[new_from:new_to])))
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))  # each piece escaped above
