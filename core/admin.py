from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import AccessLog, Job, Notice, OrgUnit, Policy, User
from .scoping import users_visible_to, visible_rows


class ReadOnlyAdminMixin:
    """Every field shown, none changed, nothing added or deleted here: the services write (with their events)."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.concrete_fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedAdminMixin:
    """Admin pages show only the user's subtree, as every other page does (R-ORG-2): the
    change lists and every choice of a related row (a unit, a person) alike."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    # Who did what is recorded by the services; here it is shown, never chosen (a choice of
    # accounts would list those of other counties, and a past one may lie outside the subtree).
    recorded_fields = ("created_by", "published_by", "scored_by", "by", "last_review_job")

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        names = {f.name for f in self.model._meta.concrete_fields}
        return fields + tuple(n for n in self.recorded_fields if n in names and n not in fields)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = visible_rows(db_field.related_model, request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # simple_history's pages fetch the object and its versions by id, past get_queryset: a row
    # outside the subtree (or deleted) would show every past value. They answer 404 instead.
    def _refuse_outside_scope(self, request, object_id):
        if request.user.is_superuser:
            return
        try:
            visible = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, TypeError):
            visible = False
        if not visible:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._refuse_outside_scope(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._refuse_outside_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)


ERR_UNIT_OUTSIDE_JURISDICTION = _("A unit can be placed only inside your own jurisdiction.")
SIBLING_POSITIONS = ("sorted-sibling", "left", "right", "first-sibling", "last-sibling")


class ScopedMoveNodeForm(movenodeform_factory(OrgUnit)):
    """treebeard's "relative to" lists the whole tree, root included; a scoped admin user is
    offered only their subtree, and may not place a unit beside their own (that is outside it)."""

    scope_user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.scope_user
        if user is not None and not user.is_superuser:
            field = self.fields["treebeard_ref_node"]
            field.queryset = field.queryset.filter(pk__in=OrgUnit.objects.visible_to(user).values("pk"))
            field.required, field.empty_label = True, None

    def clean(self):
        cleaned = super().clean()
        user = self.scope_user
        if user is not None and not user.is_superuser:
            ref, position = cleaned.get("treebeard_ref_node"), cleaned.get("treebeard_position")
            if ref is not None and position in SIBLING_POSITIONS and ref.pk == user.unit_id:
                self.add_error("treebeard_position", ERR_UNIT_OUTSIDE_JURISDICTION)
        return cleaned


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedAdminMixin, TreeAdmin, SimpleHistoryAdmin):
    form = ScopedMoveNodeForm
    list_display = ("name", "code", "level", "sector", "members", "employees")
    list_filter = ("level", "sector")
    search_fields = ("name", "code")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"scope_user": request.user})

    def changelist_view(self, request, extra_context=None):
        # treebeard marks the tree's level on GET only; a POST to the change list (an action
        # without a selection) answered 500 instead of the list with its message.
        if not hasattr(request, "_treebeard_parent_id"):
            request._treebeard_parent_id = None
        return super().changelist_view(request, extra_context=extra_context)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Users of the admin user's subtree. A scoped (non-superuser) admin user places users only
    inside that subtree (their own account included), never makes anyone staff or superuser,
    and hands out only the permissions and groups they hold themselves (R-ORG-2)."""

    fieldsets = BaseUserAdmin.fieldsets + ((_("Jurisdiction"), {"fields": ("unit", "role")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Jurisdiction"), {"fields": ("unit", "role")}),)
    list_display = ("username", "first_name", "unit", "role", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("unit",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=users_visible_to(request.user).values("pk"))

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        return fields + ("is_superuser", "is_staff")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = OrgUnit.objects.visible_to(request.user)
            # A user without a unit would fall out of the scoped admin user's sight at once.
            kwargs["required"] = not request.user.is_superuser
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            if db_field.name == "user_permissions":
                kwargs["queryset"] = grantable_permissions(request.user)
            elif db_field.name == "groups":
                kwargs["queryset"] = request.user.groups.all()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        # The form offers only what the editor may grant; what the user holds beyond it stays.
        obj, kept_permissions, kept_groups = form.instance, [], []
        if change and not request.user.is_superuser:
            kept_permissions = list(obj.user_permissions.exclude(pk__in=grantable_permissions(request.user)))
            kept_groups = list(obj.groups.exclude(pk__in=request.user.groups.all()))
        super().save_related(request, form, formsets, change)
        obj.user_permissions.add(*kept_permissions)
        obj.groups.add(*kept_groups)


def grantable_permissions(user):
    """The permissions a scoped admin user holds, directly or through a group: all they may hand out."""
    return Permission.objects.filter(Q(user=user) | Q(group__user=user)).distinct()


@admin.register(Policy)
class PolicyAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("unit", "year")
    list_filter = ("year",)
    raw_id_fields = ("unit",)


@admin.register(Job)
class JobAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("id", "kind", "state", "progress", "created_by", "created_at")
    list_filter = ("kind", "state")


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at")
    list_filter = ("kind",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "recipient":
            kwargs["queryset"] = users_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(recipient=request.user)


# ------------------------------------------------ login lockouts and API tokens (R-SEC-3)
# axes' attempts and logs and knox's tokens name users and addresses of the whole city, so
# only superusers see them: a superuser unlocks an account by deleting its access attempts
# and revokes a token by deleting it.

class SuperuserOnlyAdminMixin:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


def _superuser_only(model, base_admin):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(base_admin.__name__, (SuperuserOnlyAdminMixin, base_admin), {}))


def _register_security_admins():
    from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from knox.admin import AuthTokenAdmin
    from knox.models import AuthToken

    class TokenAdmin(AuthTokenAdmin):
        # Tokens are created through the API only: the key would otherwise appear in a message.
        def has_add_permission(self, request):
            return False

    _superuser_only(AccessAttempt, AccessAttemptAdmin)
    _superuser_only(AccessLog, AccessLogAdmin)
    _superuser_only(AccessFailureLog, AccessFailureLogAdmin)
    _superuser_only(AuthToken, TokenAdmin)


_register_security_admins()


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """R-SEC-1: the access log, for superusers only and read-only — nobody can add, change or delete a row."""

    list_display = ("at", "username", "action", "object_type", "object_id", "rows", "fields", "ip", "purpose")
    list_filter = ("action", "object_type")
    search_fields = ("username", "object_id", "purpose")
    date_hierarchy = "at"
    actions = None
    # Every field is editable=False: shown read-only, or the view page would be empty.
    readonly_fields = ("at", "user", "username", "action", "object_type", "object_id", "rows", "fields", "ip",
                       "purpose")

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
