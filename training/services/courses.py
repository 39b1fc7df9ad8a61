"""R-TRN-4: courses."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from training.choices import ContentCategory
from training.models import Course

ERR_COURSE_DATES = _("The end date must not be before the start date.")
ERR_COURSE_HOURS = _("Hours must not be negative.")
ERR_COURSE_CATEGORY = _("Unknown content category: {value}.")
ERR_COURSE_ORGANISER = _("You can only organise courses for units in your jurisdiction.")

COURSE_FIELDS = (
    "code", "name", "kind", "organiser", "organiser_level", "start_date", "end_date", "hours",
    "content_categories", "capacity", "location", "notes",
)


def _course_validate(course: Course) -> None:
    errors: dict[str, list[str]] = {}
    if course.start_date and course.end_date and course.end_date < course.start_date:
        errors.setdefault("end_date", []).append(str(ERR_COURSE_DATES))
    if course.hours is not None and course.hours < 0:
        errors.setdefault("hours", []).append(str(ERR_COURSE_HOURS))
    valid = set(ContentCategory.values)
    categories = course.content_categories or []
    if not isinstance(categories, list):
        categories = [categories]
    for value in categories:
        if value not in valid:
            errors.setdefault("content_categories", []).append(str(ERR_COURSE_CATEGORY).format(value=value))
    course.content_categories = list(dict.fromkeys(categories))
    if course.organiser_id and not course.organiser_level:
        course.organiser_level = course.organiser.level
    try:
        course.full_clean(exclude=list(errors), validate_constraints=False)
    except ValidationError as exc:
        for k, msgs in exc.message_dict.items():
            errors.setdefault(k, []).extend(msgs)
    if errors:
        raise ValidationError(errors)


def _check_organiser(*, user, course: Course) -> None:
    if user is None or user.is_superuser:
        return
    if user.unit_id is None or not course.organiser.path.startswith(user.unit.path):
        raise ValidationError({"organiser": [str(ERR_COURSE_ORGANISER)]})


@transaction.atomic
def course_create(*, data: dict, user=None) -> Course:
    """R-TRN-4: a course organised by a unit in the user's jurisdiction."""
    course = Course(**{k: v for k, v in data.items() if k in COURSE_FIELDS})
    if course.organiser_id:
        _check_organiser(user=user, course=course)
    _course_validate(course)
    course.save()
    return course


@transaction.atomic
def course_update(*, course: Course, data: dict, user=None) -> Course:
    """R-TRN-4: change a course; the organiser stays within the user's jurisdiction."""
    for k, v in data.items():
        if k in COURSE_FIELDS:
            setattr(course, k, v)
    _check_organiser(user=user, course=course)
    _course_validate(course)
    course.save()
    return course
