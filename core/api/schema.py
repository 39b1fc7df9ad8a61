"""Schema corrections that drf-spectacular cannot infer from a serializer (R-SEC-3: the schema says the truth)."""

# component name → fields a serializer leaves out of the answer for some callers
_OPTIONAL_IN_RESPONSE: dict[str, set[str]] = {}


def optional_in_response(*fields: str):
    """Mark serializer fields that some callers do not receive, so the schema does not call them required.

    Spectacular lists every read-only field as required; a field that ``to_representation`` drops
    for a role (the draw of an evaluation sample for a secretary) must not be.
    """

    def decorate(serializer_class):
        name = serializer_class.__name__.removesuffix("Serializer")
        _OPTIONAL_IN_RESPONSE.setdefault(name, set()).update(fields)
        return serializer_class

    return decorate


def postprocess_optional_fields(result, generator, request, public):
    schemas = result.get("components", {}).get("schemas", {})
    for name, fields in _OPTIONAL_IN_RESPONSE.items():
        component = schemas.get(name)
        if component and "required" in component:
            component["required"] = [f for f in component["required"] if f not in fields]
            if not component["required"]:
                del component["required"]
    return result
