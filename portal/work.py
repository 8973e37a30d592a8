"""Work the portal promises after a change: nudged once the change commits, swept until it is done.

Every kind of promised work has a durable record in the database, written in the transaction of the
change that promises it: an outbox row for an e-mail, a submitted application not yet screened, an
authorisation without its certificate, a completed course without its certificate. Two things then
do the work, and the services they call are safe to run twice:

- `enqueue_on_commit` nudges a task with ids once the change commits, so the work starts at once.
  It never makes a request wait on the broker: no publish retry, and after a failure this process
  leaves the nudges to the sweeps for a while.
- the sweeps, each registered with `register_sweep` by its app, find every record still waiting and
  do the work; `sweep_promised_work` runs them all, as a periodic job.

We sweep each kind of work through its own record rather than keep a second table of jobs: the
record is what the trader or officer sees ("being screened", "certificate being prepared"), so the
sweep and the page can never disagree, and there is nothing to keep in step.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from celery import Task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction

from portal.outages import Outage

logger = logging.getLogger(__name__)

broker_outage = Outage("Broker (Redis)", seconds=30)

SWEEPS: dict[str, Callable[[], int]] = {}
# A sweep does at most this many pieces of work per run, so that one run fits a task's time limit.
SWEEP_BATCH = 50


def enqueue_on_commit(task: Task, *args) -> None:
    """Queue `task(*args)` once the current transaction commits; a sweep covers a nudge that fails."""
    transaction.on_commit(partial(_publish, task, args), robust=True)


def _publish(task: Task, args: tuple) -> None:
    if broker_outage.active:
        logger.info("Broker recently unreachable; %s%r is left to its sweep", task.name, args)
        return
    try:
        task.apply_async(args, retry=False)
    except Exception as exc:  # any failure to publish: the sweep does the work
        broker_outage.record(exc)


def register_sweep(name: str, sweep: Callable[[], int]) -> None:
    """`sweep()` does every piece of one kind of promised work that is still waiting, and says how many."""
    SWEEPS[name] = sweep


def sweep_promised_work() -> dict[str, int]:
    """Run every sweep; one that fails is logged and does not stop the others."""
    done = {}
    for name, sweep in SWEEPS.items():
        try:
            done[name] = sweep()
        except SoftTimeLimitExceeded:
            raise
        except Exception:
            logger.exception("Sweep %s failed", name)
            done[name] = -1
    return done
