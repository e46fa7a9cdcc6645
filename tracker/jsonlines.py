"""JSON Lines that keep every value as it is stored: Django's own, with times to the microsecond.

The format of `manage.py backup` (tracker.backups), in place of Django's "jsonl"
(settings.SERIALIZATION_MODULES), and read back by Django's own reader. Django's JSON writes a time
to the millisecond, and the order in which claims were entered decides which is current; its XML
cannot hold most control characters at all, reads a carriage return back as a line feed, and trims
the spaces around every value. JSON strings hold any text exactly.
"""

from __future__ import annotations

import datetime

from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()


Deserializer = jsonl.Deserializer
