"""Form fields shared by every app's pages."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.api.serializers import org_unit_label
from core.widgets import unit_picker

ERR_UNIT_NOT_VISIBLE = _("No such organisation in your jurisdiction.")


class UnitChoiceField(forms.ModelChoiceField):
    """A unit of the user's subtree, chosen with a search-as-you-type picker (issue 8 item 3): the page
    renders only the selected unit; an id outside the queryset is refused (R-ORG-2). The form sets the
    queryset to ``OrgUnit.objects.visible_to(user)``; ``branch``/``levels`` narrow what the picker offers
    and must match how the form narrows the queryset."""

    def __init__(self, *args, branch: bool = False, levels=None, **kwargs):
        kwargs.setdefault("widget", unit_picker(branch=branch, levels=levels))
        kwargs.setdefault("error_messages", {"invalid_choice": ERR_UNIT_NOT_VISIBLE})
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return org_unit_label(obj)
