"""Issue 8, "every status has its colour": every status choice of every model has a tone of its own,
a CSS class that paints it, and a Chinese label (core.status, ``{% status_tag %}``)."""
import re
from pathlib import Path

from django.apps import apps
from django.template import Context, Template
from django.utils import translation

from core.status import TONES, model_status_key, status_sets

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"
# Fields that hold a state of their row (not a category such as a sector or a gender).
STATUS_FIELD = re.compile(r"^(state|status|stage|movement|.*_state|.*tier)$")
# Computed statuses the pages show that no model field holds.
STATUS_SETS_WITHOUT_A_FIELD = ("core.job", "assessment.evaluation", "assessment.honour", "assessment.cycle",
                               "cadres.appointment", "cadres.import_action", "training.compliance",
                               "training.attendance", "cadres.talk_due")
LISTS_SHOWN_AS_STATUS = ("assessment.BranchListing.kind",)


def _status_fields():
    for model in apps.get_models():
        if model._meta.app_label not in ("core", "cadres", "training", "assessment", "stipends"):
            continue
        if model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            if getattr(field, "choices", None) and STATUS_FIELD.match(field.name):
                yield model, field


def test_every_status_choice_of_every_model_has_a_distinct_tone():
    sets = status_sets()
    fields = list(_status_fields())
    assert len(fields) >= 9  # job, duty report (3), reserve, honour stage, tiers, movement
    for model, field in fields:
        key = model_status_key(model, field.name)
        assert key in sets, f"{key} has no colours: register it in its app's ready()"
        tones = sets[key].tones
        for value, _label in field.choices:
            assert value in tones, f"{key}={value} has no colour"
        assert len(set(tones.values())) == len(tones), f"{key}: two statuses share a colour"


def test_every_status_set_is_painted_and_labelled_in_chinese():
    sets = status_sets()
    css = CSS.read_text()
    for key in (*STATUS_SETS_WITHOUT_A_FIELD, *LISTS_SHOWN_AS_STATUS):
        assert key in sets, key
    with translation.override("zh-hans"):
        for key, status_set in sets.items():
            assert set(status_set.labels) == set(status_set.tones), f"{key}: a value without a colour"
            assert len(set(status_set.tones.values())) == len(status_set.tones), f"{key}: colours repeat"
            for value, label in status_set.labels.items():
                text = str(label)
                assert re.search(r"[\u4e00-\u9fff]", text), f"{key}={value}: {text!r} is not Chinese"
    for tone in TONES:
        assert f".tag-{tone} {{" in css, f".tag-{tone} has no colour in app.css"


def test_the_status_tag_shows_the_label_in_its_colour(world):
    from assessment.models import DutyReport

    report = DutyReport(unit=world.village_a1, person=world.secretary_a1, year=2025, state="returned")
    template = Template('{% load zhishu %}{% status_tag report "state" %}|{% status_tag "assessment.evaluation" "closed" %}'
                        '|{% status_tag "training.compliance" "overdue" %}|{% status_tag "nobody.knows" "x" %}')
    with translation.override("zh-hans"):
        html = template.render(Context({"report": report}))
    assert html == ('<span class="tag tag-orange">已退回</span>|<span class="tag tag-green">已截止</span>'
                    '|<span class="tag tag-red">已逾期</span>|<span class="tag tag-grey">—</span>')
