"""Independent sources: a source that only relays another is not a second report.

Pure Python: values in, values out. A source may name the source it only `relays` (a newspaper
repeating TASS relays TASS). Following relays from a source leads to its *origin*, the source
that relays nothing; sources are independent when their origins differ. A chain of relays that
comes back to where it started has no origin: it is refused wherever it would be stored.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping


class RelayLoop(ValueError):
    """A chain of relays that comes back to a source already on it; `chain` runs from the first
    source to that source again."""

    def __init__(self, chain: tuple):
        super().__init__(" → ".join(map(str, chain)))
        self.chain = chain


def relay_chain(source: Hashable, relays: Mapping[Hashable, Hashable | None]) -> tuple:
    """Return the chain of relays from a source to its origin, both included; a source missing from
    `relays` relays nothing. Raise RelayLoop where the chain comes back on itself."""
    chain = [source]
    seen = {source}
    while (relayed := relays.get(chain[-1])) is not None:
        chain.append(relayed)
        if relayed in seen:
            raise RelayLoop(tuple(chain[chain.index(relayed) :]))
        seen.add(relayed)
    return tuple(chain)


def origin(source: Hashable, relays: Mapping[Hashable, Hashable | None]) -> Hashable:
    """Return the source at the end of a source's chain of relays: itself if it relays nothing."""
    return relay_chain(source, relays)[-1]


def origins(relays: Mapping[Hashable, Hashable | None]) -> dict[Hashable, Hashable]:
    """Return each source's origin, for every source `relays` names."""
    return {source: origin(source, relays) for source in relays}


def relay_loop(source: Hashable, relayed: Hashable | None, relays: Mapping[Hashable, Hashable | None]) -> tuple | None:
    """Return the loop that letting `source` relay `relayed` would close, from `source` back to it, or None."""
    if relayed is None:
        return None
    try:
        relay_chain(source, {**relays, source: relayed})
    except RelayLoop as loop:
        # The chain starts at `source`: a loop this change closes runs from it back to it.
        return loop.chain
    return None


def independent_origins(sources: Iterable[Hashable], relays: Mapping[Hashable, Hashable | None]) -> frozenset:
    """Return the distinct origins of these sources: the independent reports among them."""
    return frozenset(origin(source, relays) for source in sources)


def has_independent(sources: Iterable[Hashable], relays: Mapping[Hashable, Hashable | None], count: int) -> bool:
    """Whether these sources hold at least `count` independent origins."""
    return len(independent_origins(sources, relays)) >= count
