"""R-JOB-2: every notice kind the daily sweep's parts send reads by its Chinese name on the notices page."""
import pytest
from django.utils import translation

from cadres.sweeps import NOTICE_KIND as TALK_DUE
from core.notice_kinds import notice_kind_label
from rectification.services.corrections import NOTICE_DUE, NOTICE_PROPOSED
from rectification.sweeps import NOTICE_KIND_DUE, NOTICE_KIND_OVERDUE


@pytest.mark.parametrize(("kind", "label"), [
    (NOTICE_KIND_DUE, "整改任务即将到期"),
    (NOTICE_KIND_OVERDUE, "整改任务逾期"),
    (NOTICE_DUE, "限期整改即将到期"),
    (NOTICE_PROPOSED, "建议调整书记"),
    (TALK_DUE, "应谈未谈"),
])
def test_each_kind_of_issue_9_has_its_chinese_name(kind, label):
    with translation.override("zh-hans"):
        assert str(notice_kind_label(kind)) == label
