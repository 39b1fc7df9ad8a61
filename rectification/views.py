from django.views.generic import ListView
class LedgerView(ListView): pass
def case_new(r): pass
def case_detail(r, pk): pass
def case_close_view(r, pk): pass
def evidence_download(r, pk): pass
