from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cadres.models import Person
from core.choices import Level, Role
from core.models import OrgUnit
from core.querysets import ScopedQuerySet

from .choices import ContentCategory, CourseKind


class CourseQuerySet(ScopedQuerySet):
    """Courses are seen down the tree *and* up it.

    A course belongs to its organiser. Staff see the courses organised anywhere in their
    subtree (``organiser__path`` starts with their unit's path, the usual R-ORG-2 prefix
    query) and also those organised by the committees above them, because a county's
    course is open to its townships and branches (``organiser__path`` is one of the
    user's ancestor paths: an ``IN`` over at most the tree's depth). A secretary sees the
    courses organised by their branch or any committee above it. A sibling county's
    courses stay invisible. Writing is narrower: see ``writable_by``.
    """

    def scope_q(self, user) -> Q:
        above = Q(organiser__path__in=user.unit.ancestor_paths())
        if user.role == Role.SECRETARY:
            return above
        return above | Q(organiser__path__startswith=user.unit.path)

    def writable_by(self, user) -> "CourseQuerySet":
        """Only the organiser's own jurisdiction changes a course: its subtree, never the units below it."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if user.unit_id is None or user.role != Role.STAFF:
            return self.none()
        return self.filter(organiser__path__startswith=user.unit.path)


class Course(models.Model):
    """R-TRN-4: a course with a kind, an organiser, dates, hours and content categories."""

    code = models.CharField(_("course code"), max_length=40, unique=True)
    name = models.CharField(_("course name"), max_length=200, db_index=True)
    kind = models.CharField(_("kind"), max_length=30, choices=CourseKind.choices)
    organiser = models.ForeignKey(
        OrgUnit, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="courses"
    )
    organiser_level = models.CharField(
        _("organiser level"), max_length=20, choices=Level.choices, blank=True,
        help_text=_("Taken from the organiser unit when left empty."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2)
    # A JSON list of ContentCategory values: portable across SQLite and PostgreSQL,
    # validated by the service (an ArrayField would tie the app to PostgreSQL).
    content_categories = models.JSONField(_("content categories"), default=list, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = CourseQuerySet.as_manager()
    scope_path_lookup = "organiser__path"

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-start_date", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="course_end_not_before_start"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="course_hours_not_negative"),
        ]
        indexes = [models.Index(fields=["kind", "start_date"])]

    def __str__(self):
        return f"{self.code} {self.name}"

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(organiser__path__in=user.unit.ancestor_paths())

    def get_content_categories_display(self) -> list[str]:
        labels = dict(ContentCategory.choices)
        return [str(labels.get(c, c)) for c in self.content_categories or []]


class Attendance(models.Model):
    """R-TRN-2/R-TRN-5: one person's attendance of one course, with the hours or days credited."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendances")
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="attendances")
    hours = models.DecimalField(
        _("hours credited"), max_digits=7, decimal_places=2, null=True, blank=True,
        help_text=_("Left empty, the course's hours are credited."),
    )
    days = models.DecimalField(
        _("days credited"), max_digits=6, decimal_places=2, null=True, blank=True,
        help_text=_("Given, it is credited as is; otherwise hours are converted at the policy's hours per day."),
    )
    completed = models.BooleanField(_("completed"), default=False)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "person__unit__path"

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["-completed_on", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "course"], name="attendance_once_per_person_course"),
            models.CheckConstraint(
                condition=Q(completed=False) | Q(completed_on__isnull=False), name="attendance_completed_has_date"
            ),
            models.CheckConstraint(condition=Q(hours__isnull=True) | Q(hours__gte=0), name="attendance_hours_ge_0"),
            models.CheckConstraint(condition=Q(days__isnull=True) | Q(days__gte=0), name="attendance_days_ge_0"),
        ]
        indexes = [models.Index(fields=["person", "completed_on"])]

    def __str__(self):
        return f"{self.person} · {self.course}"

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(person__user=user)
