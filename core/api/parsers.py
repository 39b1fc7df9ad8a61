"""R-SEC-3: JSON bodies that the database or the interpreter cannot take are refused with 400."""
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser

JSON_MAX_DEPTH = 100
MSG_JSON_TOO_DEEP = _("The JSON body is nested deeper than {limit} levels.")
MSG_JSON_NUL = _("A NUL character is not allowed.")
NUL = "\x00"


def _check(data) -> None:
    """Walk the parsed body without recursion: depth at most JSON_MAX_DEPTH, no NUL in any string.

    A NUL is reported under the top-level field it was found in.
    """
    if isinstance(data, dict):
        top_fields, depth = data.items(), 2
    else:
        top_fields, depth = [("non_field_errors", data)], 1
    for field, value in top_fields:
        if NUL in field:
            raise ValidationError({field.replace(NUL, "\\0"): [str(MSG_JSON_NUL)]})
        stack = [(value, depth)]
        while stack:
            node, depth = stack.pop()
            if isinstance(node, (dict, list)) and depth > JSON_MAX_DEPTH:
                raise ParseError(MSG_JSON_TOO_DEEP.format(limit=JSON_MAX_DEPTH))
            if isinstance(node, str):
                if NUL in node:
                    raise ValidationError({field: [str(MSG_JSON_NUL)]})
            elif isinstance(node, dict):
                for k, v in node.items():
                    if NUL in k:
                        raise ValidationError({field: [str(MSG_JSON_NUL)]})
                    stack.append((v, depth + 1))
            elif isinstance(node, list):
                stack.extend((v, depth + 1) for v in node)


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, refusing bodies nested deeper than 100 levels (Python's decoder raises
    RecursionError, a 500, near 1,000) and NUL characters (PostgreSQL refuses them in text)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(MSG_JSON_TOO_DEEP.format(limit=JSON_MAX_DEPTH)) from None
        _check(data)
        return data
