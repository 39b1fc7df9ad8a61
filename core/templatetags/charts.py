"""``{% chart url config %}``: a container that static/js/charts.js fills with an Apache ECharts bar chart
drawn from ``url`` — the report API endpoint whose numbers the page's fallback table also shows (issue 8).

``config`` (a dict built by the view, labels already translated) tells the generic init what to draw:
``rows`` the key of the list in the answer (``"results"``, ``"groups"``, ``"by_township"``), ``label`` the
row label's key, ``series`` a list of ``{"field", "name", "color"}`` (``field`` may be dotted:
``"counts.good"``), optionally ``stack`` (stacked bars), ``unit`` (``"%"``) and ``max``.
"""
import json

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def chart(url, config, label=""):
    """The chart's box; the <table> of the same numbers stays in the template (shown without JavaScript)."""
    return format_html(
        '<div class="echart" data-chart-url="{}" data-chart-config="{}" role="img" aria-label="{}" hidden></div>',
        url, json.dumps(config, ensure_ascii=False), label)
