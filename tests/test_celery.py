"""The Celery app runs real tasks: e-mails are queued on commit and retried with backoff."""

from django.core import mail
from django.db import transaction

from satusama.celery import app
from satusama.tasks import send_email


def test_send_email_task_is_registered_with_acks_late_and_backoff():
    task = app.tasks["satusama.tasks.send_email"]
    assert task.acks_late is True
    assert task.retry_backoff
    assert task.max_retries == 8


def test_email_is_sent_only_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        send_email.delay_on_commit(subject="Uji", body="Isi", to=["a@satusama.test"], from_email="x@satusama.test")
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert [m.subject for m in mail.outbox] == ["Uji"]


def test_email_is_not_sent_when_transaction_rolls_back(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                send_email.delay_on_commit(subject="Batal", body="", to=["a@satusama.test"], from_email="x@s.test")
                raise RuntimeError
        except RuntimeError:
            pass
    assert mail.outbox == []
