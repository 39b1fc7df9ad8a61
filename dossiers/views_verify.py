"""R-DOS-1: the page a printout's QR code opens. Public: it says matches / outdated / unknown and shows no
personal data; a logged-in reader whose subtree holds the record also sees whose file it is."""
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cadres.models import Person
from dossiers.services.verification import code_display, code_normalise, print_verify


@require_safe
def verify_page(request, code):
    result = print_verify(code)
    subject = None
    if result.row is not None and request.user.is_authenticated and result.row.person_id:
        subject = Person.objects.visible_to(request.user).filter(pk=result.row.person_id).first()
    return render(request, "dossiers/verify.html", {
        "result": result, "code": code_display(code_normalise(code)), "subject": subject})
