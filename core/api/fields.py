from rest_framework import serializers

from core.scoping import visible_rows


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key that only accepts rows within the requesting user's subtree.

    Writing a record that points to another county's unit fails validation exactly as if
    the unit did not exist (R-ORG-2), and the browsable API's form offers only those rows.
    """

    def get_queryset(self):
        qs = super().get_queryset()
        request = self.context.get("request")
        if request is None:
            return qs.none()
        if hasattr(qs, "visible_to"):
            return qs.visible_to(request.user)
        return qs.filter(pk__in=visible_rows(qs.model, request.user).values("pk"))


class ScopedModelSerializer(serializers.ModelSerializer):
    """Every foreign key a ModelSerializer generates on its own is scoped as well."""

    serializer_related_field = ScopedPrimaryKeyRelatedField
