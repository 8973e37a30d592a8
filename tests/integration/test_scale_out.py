"""Scale-out, shown: two web instances, two workers and beat as separate processes, sharing PostgreSQL,
Redis and an S3 server (moto). Files and sessions made on one web instance work on the other, and
notifications raised through both are e-mailed exactly once."""

from __future__ import annotations

import io
import os
import re
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from reportlab.pdfgen import canvas

from aeo.models import Evidence, Question
from aeo.services import application_start
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.integration.conftest import read_emails, test_database_url, wait_for
from tests.integration.processes import Processes
from tests.s3server import S3Server, free_port, s3_server

pytestmark = pytest.mark.integration

BUCKET = "portal-scale-out"
PASSWORD = "scale-out-password-2026"
NOTIFICATIONS = 200


def _pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Security plan, signed")
    page.save()
    return out.getvalue()


@pytest.fixture
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        server.create_bucket(BUCKET)
        yield server


@pytest.fixture
def cluster(transactional_db, broker_url, s3, tmp_path) -> Iterator[tuple[Processes, list[str], object]]:
    mail = tmp_path / "mail"
    mail.mkdir()
    inherited = {k: v for k, v in os.environ.items()
                 if k not in {"EMAIL_BACKEND", "CELERY_VISIBILITY_TIMEOUT", "NOTIFICATION_LEASE_SECONDS"}}
    environment = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL": "false",
        "STATIC_MANIFEST": "false",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": broker_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": f"filemail://{mail}" if str(mail).startswith("//") else f"filemail:///{mail}",
        **s3.storage_environment(BUCKET),
        # One trader sends all 200 invitations here: well over the limits that stop abuse.
        "INVITATION_RATES_PER_USER": "1000/h,1000/d",
        "INVITATION_RATES_PER_ORGANISATION": "1000/h,1000/d",
        "INVITATION_RATES_UNVERIFIED": "1000/d",
    }
    processes = Processes(environment, tmp_path)
    try:
        ports = [free_port(), None]
        processes.web("web1", ports[0])
        ports[1] = free_port()
        processes.web("web2", ports[1])
        processes.worker("worker1")
        processes.worker("worker2")
        processes.beat()
        yield processes, [f"http://127.0.0.1:{port}" for port in ports], mail
    finally:
        processes.stop_all()


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    assert page.status_code == 200, (url, page.status_code)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_two_web_instances_two_workers_and_beat_share_the_work(cluster, s3):
    processes, (web1, web2), mail = cluster
    # given a trader (the web processes hash passwords with the production hasher)
    organisation = OrganisationFactory(name="Douro Logistics", identifier="PT507000001")
    trader = UserFactory(email="officer@douro.example")
    trader.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    trader.save(update_fields=["password"])
    MembershipFactory(user=trader, organisation=organisation, role="admin")
    application = application_start(actor=trader, organisation=organisation, kind="AEOC")
    question = Question.objects.filter(section__questionnaire_id=application.questionnaire_id).first()

    # when the trader signs in on web 1
    browser = requests.Session()
    login = browser.post(f"{web1}/accounts/login/", data={
        "csrfmiddlewaretoken": _csrf(browser, f"{web1}/accounts/login/"),
        "login": trader.email, "password": PASSWORD}, allow_redirects=False, timeout=30)
    assert login.status_code == 302, login.text[-2000:]
    # then the session made on web 1 works on web 2
    dashboard = browser.get(f"{web2}/dashboard/", allow_redirects=False, timeout=30)
    assert dashboard.status_code == 200, dashboard.headers.get("Location")
    sessions = 1

    # when they upload evidence through web 1
    upload_url = f"{web1}/aeo/applications/{application.pk}/questions/{question.pk}/evidence/"
    pdf = _pdf()
    uploaded = browser.post(upload_url, data={"csrfmiddlewaretoken": _csrf(browser, upload_url)},
                            files={"file": ("security-plan.pdf", pdf, "application/pdf")},
                            allow_redirects=False, timeout=30)
    assert uploaded.status_code == 302, uploaded.text[-2000:]
    evidence = Evidence.objects.get(application=application)
    # then it is in the bucket, and web 2 hands it back as an attachment
    assert s3.client().get_object(Bucket=BUCKET, Key=evidence.file.name)["Body"].read() == pdf
    download = browser.get(f"{web2}/aeo/applications/{application.pk}/evidence/{evidence.pk}/", timeout=30)
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == 'attachment; filename="security-plan.pdf"'
    assert download.content == pdf
    # and someone from another company gets 404 from either instance
    outsider = UserFactory(email="someone@elsewhere.example")
    outsider.password = trader.password
    outsider.save(update_fields=["password"])
    other = requests.Session()
    other.post(f"{web2}/accounts/login/", data={"csrfmiddlewaretoken": _csrf(other, f"{web2}/accounts/login/"),
                                                "login": outsider.email, "password": PASSWORD}, timeout=30)
    for web in (web1, web2):
        assert other.get(f"{web}/aeo/applications/{application.pk}/evidence/{evidence.pk}/",
                         timeout=30).status_code == 404
    files = 1

    # when 200 invitations are sent, half through each web instance, two at a time
    token = _csrf(browser, f"{web1}/organisations/{organisation.pk}/invite/")

    def invite(i: int) -> int:
        web = (web1, web2)[i % 2]
        return browser.post(f"{web}/organisations/{organisation.pk}/invite/",
                            data={"csrfmiddlewaretoken": token, "email": f"invitee{i}@douro.example",
                                  "role": "member"}, allow_redirects=False, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = Counter(pool.map(invite, range(NOTIFICATIONS)))
    assert statuses == {302: NOTIFICATIONS}, statuses

    # then the two workers e-mail each exactly once
    wait_for(lambda: len(read_emails(mail)) >= NOTIFICATIONS, timeout=180, what=f"{NOTIFICATIONS} e-mails",
             details=lambda: f"{len(read_emails(mail))} e-mails so far\n" + processes.started[2].details())
    time.sleep(3)  # a late duplicate would arrive now
    messages = read_emails(mail)
    per_recipient = Counter(m["To"] for m in messages if m["To"].startswith("invitee"))
    per_notification = Counter(m["X-Portal-Notification"] for m in messages)
    duplicates = sum(n - 1 for n in per_recipient.values()) + sum(n - 1 for n in per_notification.values())
    assert len(per_recipient) == NOTIFICATIONS
    assert duplicates == 0, [r for r, n in per_recipient.items() if n > 1]
    by_worker = {p.name: p.log().count("succeeded") for p in processes.started if p.name.startswith("worker")}
    print(f"\nscale-out: files={files} sessions={sessions} e-mails={len(per_recipient)} duplicates={duplicates} "
          f"tasks by worker={by_worker}")
