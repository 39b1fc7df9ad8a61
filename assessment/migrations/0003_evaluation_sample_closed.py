"""R-ASM-3 (issue 7): when a sample closed and who closed it; and strip ballot aggregates from
explanations stored before the rule.

Explanations written before this change kept ``answers`` and ``rating_counts`` whatever the
number of answers and whether the sample was closed. They go from every classification and
every history row. Where the answers were below the policy's minimum, the member score goes
too, and the composite becomes the superior score alone (the rule's fallback), since the
composite and the weights would otherwise give the member score back. Tiers are left as they
were decided; a re-run of the annual review recomputes an unpublished year.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _minimum(Policy, cache, *, unit_path: str, year: int, step: int, default: int) -> int:
    key = (unit_path, year)
    if key not in cache:
        ancestors = [unit_path[:i] for i in range(step, len(unit_path) + 1, step)]
        row = (Policy.objects.filter(unit__path__in=ancestors, year=year, evaluation_min_answers__isnull=False)
               .order_by("-unit__depth").values_list("evaluation_min_answers", flat=True).first())
        cache[key] = default if row is None else row
    return cache[key]


def redact(apps, schema_editor):
    from core.models import OrgUnit
    from core.models import Policy as CurrentPolicy

    Policy = apps.get_model("core", "Policy")
    step = OrgUnit.steplen
    default = CurrentPolicy._meta.get_field("evaluation_min_answers").policy_default
    cache: dict = {}
    for name in ("Classification", "HistoricalClassification"):
        model = apps.get_model("assessment", name)
        changed = []
        for row in model.objects.filter(explanation__has_key="rating_counts").select_related("unit").iterator():
            explanation = dict(row.explanation)
            counts = explanation.pop("rating_counts", None) or {}
            answers = explanation.pop("answers", None) or sum(counts.values())
            minimum = _minimum(Policy, cache, unit_path=row.unit.path, year=row.year, step=step, default=default)
            explanation["member_evaluation"] = {"rule": "R-ASM-3", "redacted": True, "min_answers": minimum}
            if answers < minimum:
                explanation["member_score"] = None
                row.member_score = None
                if row.superior_score is not None:
                    row.composite_score = row.superior_score
                    explanation["composite_score"] = str(row.superior_score)
            row.explanation = explanation
            changed.append(row)
            if len(changed) >= 500:
                model.objects.bulk_update(changed, ["explanation", "member_score", "composite_score"])
                changed = []
        if changed:
            model.objects.bulk_update(changed, ["explanation", "member_score", "composite_score"])



class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0002_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='evaluationsample',
            name='closed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='closed at'),
        ),
        migrations.AddField(
            model_name='evaluationsample',
            name='closed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='closed by'),
        ),
        migrations.RunPython(redact, migrations.RunPython.noop),
    ]
