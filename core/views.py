from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.selectors import unit_counts


@login_required
def dashboard(request):
    return render(request, "core/dashboard.html", {"counts": unit_counts(user=request.user)})
