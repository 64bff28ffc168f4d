"""Django's JSON serialization, but times keep their microseconds.

The stock encoder cuts them to milliseconds (ECMAScript's format), so an export_json /
import_json round trip would shift every timestamp. Registered as "json" in settings.
"""

import datetime

from django.core.serializers import json
from django.core.serializers.json import Deserializer, DjangoJSONEncoder

__all__ = ["Deserializer", "Serializer"]


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(json.Serializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()
