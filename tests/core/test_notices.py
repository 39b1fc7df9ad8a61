"""R-JOB-2: notices are stored in the app and mailed; none is sent twice."""
from django.core import mail

from core.models import Notice
from core.services.notices import notice_send, notices_mail_pending, notices_send_bulk


def test_bulk_notices_are_mailed_once(world, django_capture_on_commit_callbacks):
    world.secretary_user.email = "qin@example.org"
    world.secretary_user.save()
    notice = Notice(recipient=world.secretary_user, kind="training", key="trn1:7", title="初任培训即将到期",
                    body="请于2026年7月31日前完成初任培训。", url="/training/me/")
    with django_capture_on_commit_callbacks(execute=True):
        assert notices_send_bulk(notices=[notice]) == 1
    assert [m.to for m in mail.outbox] == [["qin@example.org"]]
    assert mail.outbox[0].body.endswith("http://127.0.0.1:8000/training/me/")
    with django_capture_on_commit_callbacks(execute=True):
        again = Notice(recipient=world.secretary_user, kind="training", key="trn1:7", title="初任培训即将到期")
        assert notices_send_bulk(notices=[again]) == 0
    assert notices_mail_pending() == 0
    assert len(mail.outbox) == 1


def test_users_without_an_address_keep_the_notice_in_the_app(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice_send(recipient=world.staff_a, kind="x", key="k", title="t")
    assert mail.outbox == [] and Notice.objects.filter(recipient=world.staff_a, emailed_at__isnull=True).exists()


def test_a_failed_send_leaves_the_notice_pending(world, settings):
    world.staff_a.email = "staff@example.org"
    world.staff_a.save()
    Notice.objects.create(recipient=world.staff_a, kind="x", key="k", title="t")
    settings.EMAIL_BACKEND = "tests.core.test_notices.BrokenBackend"
    try:
        notices_mail_pending()
    except OSError:
        pass
    assert Notice.objects.get(key="k").emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notices_mail_pending() == 1


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        raise OSError("mail server down")
