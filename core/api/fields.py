from rest_framework import serializers


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key that only accepts rows within the requesting user's subtree.

    Writing a record that points to another county's unit fails validation exactly as if
    the unit did not exist (R-ORG-2).
    """

    def get_queryset(self):
        qs = super().get_queryset()
        request = self.context.get("request")
        if request is None:
            return qs.none()
        return qs.visible_to(request.user)
