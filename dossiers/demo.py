"""The demo's printed file (R-DOS-1): the demo secretary's term file, printed by the county's staff, so a
newcomer can open its verification page (the README names it) and watch it turn outdated after an edit."""
from django.contrib.auth import get_user_model

from cadres.models import Person
from dossiers.choices import PrintKind


def seed_prints(sender=None, *, result=None, **kwargs) -> None:
    """Receiver of ``demo_seeded``: one print of ``secretary_demo``'s dossier (its signed digest, no PDF)."""
    from dossiers.services.person import dossier_content
    from dossiers.services.verification import print_stamp

    person = Person.objects.filter(user__username="secretary_demo").select_related("unit").first()
    staff = get_user_model().objects.filter(username="county_staff").first()
    if person is None or staff is None:
        return
    print_stamp(kind=PrintKind.PERSON_DOSSIER, content=dossier_content(person=person), unit=person.unit,
                person=person, user=staff)
    if result is not None:
        result.counts["dossiers.DossierPrint"] = result.counts.get("dossiers.DossierPrint", 0) + 1
