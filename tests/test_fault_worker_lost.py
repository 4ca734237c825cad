"""Faults: a Celery worker process killed in the middle of a task. The task runs again, its effect happens once.

A real worker (prefork, one child) takes `send_email` from a throw-away redis-server. The SMTP server below
holds the first connection without answering, so the task is caught mid-way; the test kills the child
process with SIGKILL there. Because tasks are acknowledged late and rejected when their worker is lost
(`CELERY_TASK_ACKS_LATE`, `CELERY_TASK_REJECT_ON_WORKER_LOST`), the message goes back to the queue, the next
child runs the task again, and exactly one e-mail arrives.
"""

import os
import shutil
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from satusama.celery import app
from satusama.tasks import send_email

from .test_faults import RedisServer, forget_connections, free_port

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")


class SlowFirstSMTP(socketserver.ThreadingTCPServer):
    """A minimal SMTP server that keeps its first client waiting for the greeting until released."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port):
        super().__init__(("127.0.0.1", port), SMTPHandler)
        self.connections = 0
        self.messages: list[str] = []
        self.first_connected = threading.Event()
        self.release_first = threading.Event()


class SMTPHandler(socketserver.StreamRequestHandler):
    def handle(self):
        server = self.server
        server.connections += 1
        if server.connections == 1:
            server.first_connected.set()
            server.release_first.wait(60)
            return
        self.reply("220 localhost ESMTP")
        data, in_data = [], False
        for raw in self.rfile:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if in_data:
                if line == ".":
                    server.messages.append("\n".join(data))
                    in_data = False
                    self.reply("250 OK queued")
                else:
                    data.append(line)
                continue
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-localhost", "250 8BITMIME")
            elif verb == "DATA":
                in_data = True
                self.reply("354 go ahead")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")

    def reply(self, *lines):
        self.wfile.write("".join(f"{line}\r\n" for line in lines).encode())


def wait_for(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def children_of(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout  # noqa: S603, S607
    return [int(p) for p in out.split()]


@pytest.fixture
def smtp():
    server = SlowFirstSMTP(free_port())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release_first.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def broker():
    server = RedisServer()
    server.start()
    old = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    app.conf.update(broker_url=server.url, task_always_eager=False)
    forget_connections()
    yield server
    app.conf.update(**old)
    forget_connections()
    server.stop()


@pytest.fixture
def worker(broker, smtp, tmp_path):
    env = {
        **os.environ,
        "REDIS_URL": broker.url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.server_address[1]),
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "worker-test-only-secret-key",
    }
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "satusama", "worker", "--pool", "prefork", "--concurrency", "1",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    yield proc
    proc.terminate()
    try:
        output, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        output, _ = proc.communicate()
    print(output)  # shown by pytest when the test failed


def test_task_of_a_killed_worker_runs_again_and_mails_once(worker, smtp):
    send_email.apply_async(kwargs={
        "subject": "Undangan rapat forum", "body": "Rapat koordinasi Sleman, 10 Maret 2025.",
        "to": ["sekretaris@example.test"], "from_email": "noreply@satusama.test",
    })

    assert smtp.first_connected.wait(60), "the worker never picked up the task"
    children = children_of(worker.pid)
    assert len(children) == 1, children
    os.kill(children[0], 9)  # the pool child dies in the middle of the task, before the mail is sent

    assert wait_for(lambda: smtp.messages, 60), "the task was not run again after its worker was lost"
    time.sleep(2)  # a duplicate delivery, if any, would arrive now
    assert smtp.connections == 2
    assert len(smtp.messages) == 1
    assert "Subject: Undangan rapat forum" in smtp.messages[0]
    assert worker.poll() is None, "the worker itself must survive the loss of a child"
