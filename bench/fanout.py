"""How long an official response takes to reach 10,000 followers (a benchmark, not a test).

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python -m bench.fanout [FOLLOWERS]

In the benchmark's database (bench/run.py), inside a transaction it rolls back: 10,000 people follow a
consultation; customs posts an official response to it through the service, which writes a notification
for each follower in the same transaction (timed: "rows written"); then the delivery tasks those rows
would nudge run one after the other in this one process, as one mail worker would, handing every e-mail
to a backend that encodes each message as the SMTP backend does, then drops it (bench/mail.py; timed:
"e-mails handed to the backend").
"""

from __future__ import annotations

import os
import sys
import time


def main(followers: int) -> None:
    from bench.run import create_database, environment

    env = environment(port=0)
    env["EMAIL_BACKEND"] = "bench.mail.CountingBackend"
    os.environ.update(env)
    create_database(env["DATABASE_URL"])

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction

    from bench import mail
    from consultations import services
    from consultations.models import Consultation, Follow
    from portal.models import Notification, User
    from portal.tasks import deliver_notification_range

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        consultation = Consultation.objects.filter(phase="open").order_by("pk").first()
        users = User.objects.bulk_create([User(email=f"fanout-{i}@example.org") for i in range(followers)])
        Follow.objects.bulk_create([Follow(consultation=consultation, user=u) for u in users], batch_size=5000)
        officer = User.objects.get(email="programme@customs.example")
        consultation.get_absolute_url()  # loads the URLs, as a running worker has: not the fan-out's time
        started = time.monotonic()
        services.official_response_post(actor=officer, consultation=consultation, disposition="noted",
                                        reasoning="Thank you all: the revised draft follows in March.")
        written = time.monotonic() - started
        ids = sorted(Notification.objects.filter(kind="consultations.official_response", recipient__in=users,
                                                 email_status=Notification.EmailStatus.PENDING)
                     .values_list("pk", flat=True))
        print(f"{len(ids):,} notifications written in the response's transaction in {written:.2f} s")
        started = time.monotonic()
        size = settings.NOTIFICATION_RANGE_SIZE
        tasks = [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]
        sent = sum(deliver_notification_range(first, last) for first, last in tasks)
        delivered = time.monotonic() - started
        print(f"{sent:,} e-mails handed to the backend by one worker ({len(tasks)} range tasks) in "
              f"{delivered:.2f} s; taken by the backend: {mail.taken:,}")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
