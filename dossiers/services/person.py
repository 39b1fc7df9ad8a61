"""R-DOS-1: a secretary's term file (任期履职档案) — its content, built from the record, and its PDF.

``dossier_content(person=)`` is reader-independent (it signs the record, R-DOS-1); the renderer masks
what the reader may not see (R-SEC-1). Set-based: a fixed number of queries whatever the record holds.
"""
import datetime as dt

from django.utils import timezone

from cadres.models import Person
from dossiers.choices import PrintKind
from dossiers.models import DossierPrint
from dossiers.services.pdf import RenderedPdf, pdf_render, print_context
from dossiers.services.verification import print_stamp

# Every section the file holds, in print order; each says 无 when empty.
SECTION_LABELS = {
    "profile": "基本信息",
}


def dossier_content(*, person: Person) -> dict:
    """The record as printed: one key per section (SECTION_LABELS), JSON-able values."""
    unit = person.unit
    return {
        "profile": {
            "name": person.name, "gender": person.get_gender_display(), "ethnicity": person.ethnicity,
            "birth_date": person.birth_date, "id_number": person.id_number, "unit": unit.name,
            "unit_code": unit.code, "education": person.get_education_display(),
            "party_join_date": person.party_join_date, "employer": person.employer, "job_title": person.job_title,
            "is_retired": person.is_retired,
        },
    }


def dossier_content_for_print(row: DossierPrint) -> dict | None:
    person = Person.objects.select_related("unit").filter(pk=row.person_id).first()
    return dossier_content(person=person) if person else None


def dossier_changed_on(row: DossierPrint) -> dt.date | None:
    """The first day after printing on which the person's record changed (its history tables, R-SEC-2)."""
    first = (Person.history.filter(id=row.person_id, history_date__gt=row.printed_at)
             .order_by("history_date").values_list("history_date", flat=True).first())
    return timezone.localtime(first).date() if first else None


def dossier_filename(person: Person) -> str:
    return f"{person.unit.name}-{person.name}-任期履职档案.pdf"


def dossier_pdf(*, person: Person, user, reveal_id: bool = False, now=None) -> RenderedPdf:
    """Render ``person``'s dossier for ``user`` and record the print (its verification code)."""
    content = dossier_content(person=person)
    stamp = print_stamp(kind=PrintKind.PERSON_DOSSIER, content=content, unit=person.unit, person=person,
                        user=user, now=now)
    context = {
        **print_context(user=user, stamp=stamp, title="任期履职档案", unit_name=person.unit.name,
                        person_name=person.name),
        "person": person, "content": content, "sections": SECTION_LABELS,
        "id_number": person.id_number if reveal_id else person.masked_id_number,
    }
    rendered = pdf_render(template_name="dossiers/pdf/person.html", context=context,
                          filename=dossier_filename(person))
    DossierPrint.objects.filter(pk=stamp.pk).update(pages=rendered.pages)
    return rendered
