"""R-SEL-1: creating and changing people; every write validated first, then saved atomically."""
import functools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cadres.models import Person
from cadres.services.id_numbers import validate_id_consistency, validate_id_number
from core.crypto import keyed_hash

ERR_JOINED_BEFORE_BIRTH = _("The party joining date must come after the birth date.")

PERSON_FIELDS = (
    "name", "gender", "ethnicity", "birth_date", "id_number", "phone", "education", "party_join_date",
    "employer", "job_title", "is_retired", "specialty", "notes", "unit",
)


@functools.cache
def _other_unique_fields() -> tuple[str, ...] | None:
    """The attnames of Person's unique checks besides its primary key and the ID-number hash; None when
    some check is not a single field (then Django's pass always runs)."""
    unique, dates = Person()._get_unique_checks(exclude=["id_number_hash"])
    if dates or any(len(fields) != 1 for _model, fields in unique):
        return None
    return tuple(Person._meta.get_field(f).attname for _m, (f,) in unique if f != Person._meta.pk.name)


def _unique_checks_needed(person: Person) -> bool:
    """Django skips a unique check whose value is None (a new person has no pk, no user): when all are,
    its pass over the model would find nothing and is skipped."""
    others = _other_unique_fields()
    return others is None or person.pk is not None or any(getattr(person, f) is not None for f in others)


def person_validate(person: Person, *, month_only_birth: bool = False, taken_hashes: dict | None = None,
                    unit_checked: bool = False) -> None:
    """Full model validation plus the ID number rules; raises one ValidationError keyed by field.

    A bulk caller (the roster import) validates thousands of people without a query per person:
    ``taken_hashes`` maps the ID-number hashes already on file to their person's pk (read with
    the people, in one query for all rows), and ``unit_checked`` says the unit was read from the
    database by the caller (so the foreign key's own existence query is skipped)."""
    errors: dict[str, list] = {}
    try:
        person.id_number = validate_id_number(person.id_number)
    except ValidationError as exc:
        errors.setdefault("id_number", []).extend(exc.messages)
    else:
        for field, exc in validate_id_consistency(
            id_number=person.id_number, birth_date=person.birth_date, gender=person.gender, month_only=month_only_birth
        ):
            errors.setdefault(field, []).extend(exc.messages)
    if "id_number" not in errors:
        # The column is encrypted: uniqueness is the keyed hash's (R-SEC-1), reported as the number's.
        person.id_number_hash = keyed_hash(person.id_number)
        if taken_hashes is not None:
            owner = taken_hashes.get(person.id_number_hash)
            taken = owner is not None and owner != person.pk
        else:
            taken = Person.objects.filter(id_number_hash=person.id_number_hash).exclude(pk=person.pk).exists()
        if taken:
            errors["id_number"] = [person.unique_error_message(Person, ("id_number",)).messages[0]]
    if person.party_join_date and person.birth_date and person.party_join_date <= person.birth_date:
        errors.setdefault("party_join_date", []).append(str(ERR_JOINED_BEFORE_BIRTH))
    try:
        exclude = [*errors, "id_number_hash", *(("unit",) if unit_checked and person.unit_id else ())]
        # With the hashes given the ID number is checked; Django's own pass runs when it could find anything.
        person.full_clean(exclude=exclude, validate_unique=taken_hashes is None or _unique_checks_needed(person))
    except ValidationError as exc:
        for field, msgs in exc.message_dict.items():
            errors.setdefault(field, []).extend(msgs)
    if errors:
        raise ValidationError(errors)


def person_create(*, data: dict) -> Person:
    person = Person(**{k: v for k, v in data.items() if k in PERSON_FIELDS})
    person_validate(person)
    with transaction.atomic():
        person.save()
    return person


def person_update(*, person: Person, data: dict) -> Person:
    for key, value in data.items():
        if key in PERSON_FIELDS:
            setattr(person, key, value)
    person_validate(person)
    with transaction.atomic():
        person.save()
    return person

