"""The read-only JSON API under /api/: events with their stored discrepancy summaries, claims, parties, sources.

Same rules as the pages: a signed-in user (session or token) with the model's view permission,
the web list's filters (tracker.filters.EventFilter), and confidential sources shown only to
those who may see them; to everyone else a claim's source is `null` with `source_hidden: true`.
"""
