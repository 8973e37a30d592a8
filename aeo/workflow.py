"""The one transition table of an AEO application: which action leads from which state to which,
and who may take it. Services enforce it; the admin and the trader's status page explain it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    INFORMATION_REQUESTED = "information_requested", _("Information requested")
    RIGHT_TO_BE_HEARD = "right_to_be_heard", _("Right to be heard")
    DECISION_PROPOSED = "decision_proposed", _("Decision proposed")
    GRANTED = "granted", _("Granted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    RETURN = "return", _("Return as not acceptable")
    ACCEPT = "accept", _("Accept")
    REQUEST_INFORMATION = "request_information", _("Request information")
    RESPOND = "respond", _("Answer the information request")
    PROPOSE_GRANT = "propose_grant", _("Propose to grant")
    PROPOSE_REJECTION = "propose_rejection", _("Propose to reject (right to be heard)")
    HEARING_REPLY = "hearing_reply", _("Reply to the grounds")
    RECONSIDER = "reconsider", _("Reconsider after the hearing")
    CONFIRM_REJECTION = "confirm_rejection", _("Propose the final rejection")
    APPROVE_GRANT = "approve_grant", _("Approve the grant")
    APPROVE_REJECTION = "approve_rejection", _("Approve the rejection")
    SEND_BACK = "send_back", _("Send the proposal back")
    WITHDRAW = "withdraw", _("Withdraw")


class Actor(models.TextChoices):
    APPLICANT = "applicant", _("any member preparing the application")
    SIGNATORY = "signatory", _("an administrator of the applicant")
    REVIEWER = "reviewer", _("the AEO reviewer")
    SUPERVISOR = "supervisor", _("an AEO supervisor other than the proposer")


@dataclass(frozen=True)
class Transition:
    source: State
    action: Action
    target: State
    actor: Actor


OPEN_STATES = (State.DRAFT, State.SUBMITTED, State.UNDER_REVIEW, State.INFORMATION_REQUESTED,
               State.RIGHT_TO_BE_HEARD, State.DECISION_PROPOSED)
CLOSED_STATES = (State.GRANTED, State.REJECTED, State.WITHDRAWN)

# The colour of each state's tag, wherever a state is shown (pages, back office).
STATE_COLOURS: dict[str, str] = {State.DRAFT: "grey", State.SUBMITTED: "blue", State.UNDER_REVIEW: "blue",
                 State.INFORMATION_REQUESTED: "yellow", State.RIGHT_TO_BE_HEARD: "orange",
                 State.DECISION_PROPOSED: "blue", State.GRANTED: "green", State.REJECTED: "red",
                 State.WITHDRAWN: "grey"}

TRANSITIONS: dict[tuple[State, Action], Transition] = {
    (t.source, t.action): t
    for t in [
        Transition(State.DRAFT, Action.SUBMIT, State.SUBMITTED, Actor.SIGNATORY),
        Transition(State.SUBMITTED, Action.RETURN, State.DRAFT, Actor.REVIEWER),
        Transition(State.SUBMITTED, Action.ACCEPT, State.UNDER_REVIEW, Actor.REVIEWER),
        Transition(State.UNDER_REVIEW, Action.REQUEST_INFORMATION, State.INFORMATION_REQUESTED, Actor.REVIEWER),
        Transition(State.INFORMATION_REQUESTED, Action.RESPOND, State.UNDER_REVIEW, Actor.APPLICANT),
        Transition(State.UNDER_REVIEW, Action.PROPOSE_GRANT, State.DECISION_PROPOSED, Actor.REVIEWER),
        Transition(State.UNDER_REVIEW, Action.PROPOSE_REJECTION, State.RIGHT_TO_BE_HEARD, Actor.REVIEWER),
        Transition(State.RIGHT_TO_BE_HEARD, Action.HEARING_REPLY, State.RIGHT_TO_BE_HEARD, Actor.SIGNATORY),
        Transition(State.RIGHT_TO_BE_HEARD, Action.RECONSIDER, State.UNDER_REVIEW, Actor.REVIEWER),
        Transition(State.RIGHT_TO_BE_HEARD, Action.CONFIRM_REJECTION, State.DECISION_PROPOSED, Actor.REVIEWER),
        Transition(State.DECISION_PROPOSED, Action.APPROVE_GRANT, State.GRANTED, Actor.SUPERVISOR),
        Transition(State.DECISION_PROPOSED, Action.APPROVE_REJECTION, State.REJECTED, Actor.SUPERVISOR),
        Transition(State.DECISION_PROPOSED, Action.SEND_BACK, State.UNDER_REVIEW, Actor.SUPERVISOR),
        *[Transition(state, Action.WITHDRAW, State.WITHDRAWN, Actor.SIGNATORY) for state in OPEN_STATES],
    ]
}


def transition_for(state: str, action: str) -> Transition | None:
    return TRANSITIONS.get((State(state), Action(action)))


# What the trader reads on the status page: what the state means, what happens next, who acts.
EXPLANATIONS: dict[State, tuple[StrOrPromise, StrOrPromise]] = {
    State.DRAFT: (_("You are preparing the application. Nothing has been sent to customs."),
                  _("Complete every section, check your answers, and have an administrator sign and submit.")),
    State.SUBMITTED: (_("Customs has your application and is checking that it is complete enough to examine."),
                      _("Customs decides by the acceptance date whether to accept it or return it to you.")),
    State.UNDER_REVIEW: (_("Customs is examining your application, your evidence and, usually, your premises."),
                         _("Customs may ask you for information or visit you; the decision is due by the date "
                           "shown.")),
    State.INFORMATION_REQUESTED: (_("Customs needs more information from you before it can go on."),
                                  _("Answer the request below before its due date.")),
    State.RIGHT_TO_BE_HEARD: (_("Customs intends to reject the application and has sent you its grounds."),
                              _("You may reply with your comments and evidence before the due date; customs then "
                                "reconsiders or confirms.")),
    State.DECISION_PROPOSED: (_("A decision has been proposed and is being approved by a second officer."),
                              _("You will be told of the decision.")),
    State.GRANTED: (_("Your application was granted."), _("See your authorisation below.")),
    State.REJECTED: (_("Your application was rejected."), _("The decision gives the grounds.")),
    State.WITHDRAWN: (_("You withdrew this application."), _("You may start a new one at any time.")),
}
