"""Faults: with Redis stopped, pages keep working and background work waits; it completes when Redis is back.

Runs its own throw-away redis-server on a free port (skipped where redis-server is not installed).
"""

import base64
import json
import shutil
import socket
import subprocess
import time
from datetime import timedelta

import pytest
import redis
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from satusama.celery import app
from satusama.jobs import flush_pending
from satusama.models import EmailDelivery, PendingTask
from satusama.tasks import fail_lost_email_deliveries

REDIS_SERVER = shutil.which("redis-server") or "redis-server"
pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(  # noqa: S603
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None

    def queued(self) -> int:
        return redis.Redis.from_url(self.url).llen("celery")

    def run_next_task(self):
        """Take the oldest message off the queue, as a worker would, and run its task here with that payload."""
        raw = redis.Redis.from_url(self.url).rpop("celery")
        envelope = json.loads(raw)
        args, kwargs, _embed = json.loads(base64.b64decode(envelope["body"]))
        return app.tasks[envelope["headers"]["task"]].apply(args=args, kwargs=kwargs, task_id=envelope["headers"]["id"])


def forget_connections():
    """Make the Celery app connect anew to whatever broker_url now says."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def own_redis(settings):
    server = RedisServer()
    server.start()
    settings.CACHES = {"default": {
        "BACKEND": "satusama.cache.ResilientRedisCache", "LOCATION": server.url,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
    }}
    old = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    app.conf.update(broker_url=server.url, task_always_eager=False)
    forget_connections()
    yield server
    server.stop()
    app.conf.update(**old)
    forget_connections()


def reset_password(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "staf@satusama.test"})
    assert response.status_code == 302
    return response


def test_with_redis_up_mail_goes_to_the_broker(world, own_redis, client, django_capture_on_commit_callbacks):
    reset_password(client, django_capture_on_commit_callbacks)
    assert own_redis.queued() == 1
    assert PendingTask.objects.count() == 0


def test_redis_down_pages_work_and_mail_waits_until_redis_is_back(
    world, own_redis, client, django_capture_on_commit_callbacks
):
    own_redis.stop()
    # pages, login (whose rate limit lives in the cache) and writes keep working
    assert client.get(reverse("account_login")).status_code == 200
    response = client.post(reverse("account_login"), {"login": "staf@satusama.test", "password": "Kata-Sandi-Uji-2026"})
    assert response.status_code == 302
    assert client.get("/diy/").status_code == 200
    client.logout()
    reset_password(client, django_capture_on_commit_callbacks)
    assert PendingTask.objects.filter(name="satusama.tasks.send_email").count() == 1
    assert mail.outbox == []
    assert flush_pending() == 0  # still down: nothing lost, nothing sent

    done = client.get(reverse("account_reset_password_done")).content.decode()
    assert "E-mail sedang diproses" in done

    own_redis.start()
    assert flush_pending() == 1
    assert PendingTask.objects.count() == 0
    assert own_redis.queued() == 1
    own_redis.run_next_task()
    assert [m.to for m in mail.outbox] == [["staf@satusama.test"]]
    assert "E-mail terkirim" in client.get(reverse("account_reset_password_done")).content.decode()


def invitation_row(client, world, email: str) -> str:
    page = client.get(reverse("stakeholders:people", args=["diy", world.org.pk])).content.decode()
    start = page.index(f">{email}<")
    return page[start:page.index("</tr>", start)]


def test_redis_down_invitation_shows_being_processed_until_redis_is_back(
    world, own_redis, django_capture_on_commit_callbacks
):
    own_redis.stop()
    admin = world.client_for(world.org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("stakeholders:people", args=["diy", world.org.pk]),
                              {"email": "calon.baru@lembaga.id", "role": "staff"})
    assert response.status_code == 302  # the invitation is made; its e-mail waits
    row = invitation_row(admin, world, "calon.baru@lembaga.id")
    assert "E-mail sedang diproses" in row
    assert flush_pending() == 0
    assert "E-mail sedang diproses" in invitation_row(admin, world, "calon.baru@lembaga.id")

    own_redis.start()
    assert flush_pending() == 1
    assert "E-mail sedang diproses" in invitation_row(admin, world, "calon.baru@lembaga.id")  # queued, not yet sent
    own_redis.run_next_task()
    row = invitation_row(admin, world, "calon.baru@lembaga.id")
    assert "E-mail terkirim" in row and "sedang diproses" not in row
    assert [m.to for m in mail.outbox] == [["calon.baru@lembaga.id"]]
    with scopes_disabled():
        delivery = EmailDelivery.objects.get(topic__startswith="invitation:")
    assert (delivery.status, delivery.attempts) == ("sent", 1)


# --- what the user is told right after the action, with real commits -------------------------------------------------

def invite_and_follow(world, email: str) -> str:
    response = world.client_for(world.org_admin).post(
        reverse("stakeholders:people", args=["diy", world.org.pk]), {"email": email, "role": "staff"}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_invitation_message_says_being_sent_when_the_queue_took_the_mail(world, own_redis):
    page = invite_and_follow(world, "antre@lembaga.id")
    assert "Undangan untuk antre@lembaga.id disimpan. E-mail sedang dikirim." in page
    assert own_redis.queued() == 1 and PendingTask.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_redis_down_invitation_message_says_the_mail_waits_for_the_mail_service(world, own_redis):
    own_redis.stop()
    page = invite_and_follow(world, "tunggu@lembaga.id")
    assert "Undangan untuk tunggu@lembaga.id disimpan. E-mail akan dikirim begitu layanan e-mail tersedia kembali." in (
        page)
    assert "dikirim ke tunggu@lembaga.id" not in page and "E-mail sudah terkirim" not in page
    assert PendingTask.objects.count() == 1

    # The same words in English, for the meeting invitations of a forum secretary.
    from forums import services as forum_services
    from tests.forums.conftest import ForumWorld

    fw = ForumWorld(world)
    meeting = fw.meeting()
    with scopes_disabled():
        for n in range(2):
            forum_services.invitee_add(meeting=meeting, name=f"Tamu {n}", email=f"tamu{n}@lembaga.id")
    client = world.client_for(fw.secretary)
    client.post("/i18n/setlang/", {"language": "en", "next": "/diy/"})
    page = client.post(f"/diy/forum/rapat/{meeting.pk}/kirim-undangan/", follow=True).content.decode()
    with scopes_disabled():
        invited = meeting.invitees.exclude(email="").count()
    assert invited >= 2
    assert (f"The invitation is addressed to {invited} invitees. The e-mails will be sent as soon as the mail service "
            "is available again.") in page


@pytest.mark.django_db(transaction=True)
def test_redis_down_password_reset_page_says_the_mail_waits(world, own_redis, client):
    own_redis.stop()
    response = client.post(reverse("account_reset_password"), {"email": "staf@satusama.test"}, follow=True)
    page = response.content.decode()
    assert "E-mail sedang diproses" in page
    assert "E-mail akan dikirim begitu layanan e-mail tersedia kembali. Halaman ini diperbarui otomatis." in page
    assert "Kami telah mengirimkan" not in page and "We have sent" not in page  # allauth's own text claims it was sent
    own_redis.start()
    assert flush_pending() == 1
    page = client.get(reverse("account_reset_password_done")).content.decode()
    assert "E-mail sedang dikirim. Halaman ini diperbarui otomatis." in page


# --- a mail waiting in the outbox is never taken for lost ---------------------------------------------------------

def test_a_mail_kept_for_hours_is_not_lost_and_counts_again_from_its_hand_over(
    world, own_redis, client, settings, django_capture_on_commit_callbacks
):
    settings.SATUSAMA_EMAIL_LOST_AFTER = timedelta(hours=6)
    own_redis.stop()
    reset_password(client, django_capture_on_commit_callbacks)
    delivery = EmailDelivery.objects.with_scopes_disabled().get()
    # Redis stayed down for 8 hours: the mail waited in the outbox all along.
    EmailDelivery.objects.with_scopes_disabled().filter(pk=delivery.pk).update(
        created_at=timezone.now() - timedelta(hours=8))
    assert fail_lost_email_deliveries.apply().get() == 0
    own_redis.start()
    assert flush_pending() == 1
    delivery.refresh_from_db()
    assert delivery.requeued_at is not None and delivery.status == "queued"
    assert fail_lost_email_deliveries.apply().get() == 0  # just handed to the queue: not lost
    # Six more hours without a word from the worker: now it is lost.
    EmailDelivery.objects.with_scopes_disabled().filter(pk=delivery.pk).update(
        requeued_at=timezone.now() - timedelta(hours=6, minutes=1))
    assert fail_lost_email_deliveries.apply().get() == 1
    page = client.get(reverse("account_reset_password_done")).content.decode()
    assert "E-mail gagal terkirim" in page and "Silakan coba lagi nanti." in page and 'http-equiv="refresh"' not in page
