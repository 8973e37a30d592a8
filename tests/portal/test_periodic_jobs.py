"""Periodic jobs: each runs as soon as beat first sees it, and each is a real task."""

from __future__ import annotations

from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import ModelEntry

from portal.celery import app as celery_app


def test_every_job_runs_at_once_after_a_deploy_and_names_a_real_task(db):
    celery_app.loader.import_default_modules()  # the apps' tasks modules, as a worker loads them
    jobs = list(PeriodicTask.objects.all())
    assert {job.task for job in jobs} >= {"portal.tasks.relay_notifications", "portal.tasks.sweep_work",
                                         "aeo.tasks.watch_deadlines"}
    for job in jobs:
        # given a job that never ran (a fresh installation, or one a release just added)
        assert job.last_run_at is None
        # then beat finds it due at once, not one interval (a day, for the deadline watch) later
        is_due, _next_check = ModelEntry(job, app=celery_app).is_due()
        assert is_due, job.name
        assert job.task in celery_app.tasks, job.task


def test_relay_and_sweep_runs_that_waited_too_long_are_dropped(db):
    # a stalled worker then finds one run waiting when it recovers, not hundreds
    for task in ("portal.tasks.relay_notifications", "portal.tasks.sweep_work"):
        job = PeriodicTask.objects.get(task=task)
        assert job.expire_seconds == job.interval.every


def test_sweep_runs_every_apps_sweep():
    from portal.tasks import sweep_work
    from portal.work import SWEEPS

    assert set(SWEEPS) == {"aeo.screening", "aeo.certificates", "aeo.decision_notices", "training.certificates",
                           "training.certificate_pdfs", "portal.webhooks"}
    assert sweep_work.name == "portal.tasks.sweep_work"
