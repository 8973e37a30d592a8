"""The consultation page with its thread, and everything done to comments on it."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations import permissions, selectors, services
from consultations.forms import (
    CommentEditForm,
    CommentForm,
    FollowForm,
    OfficialResponseForm,
    ReportForm,
)
from consultations.models import MAX_DEPTH, Comment, Consultation
from consultations.views.common import (
    THREADS_PER_PAGE,
    acting_membership,
    message_errors,
)
from portal.forms import apply_errors
from portal.markdown import render_markdown
from portal.models import AuditEvent
from portal.types import AnyUser, AuthenticatedHttpRequest, PortalHttpRequest

# --- The discussion -------------------------------------------------------------------------------


def _decorate(thread: selectors.Thread, user: AnyUser, consultation: Consultation) -> list[Comment]:
    """The page's comments in reading order, each with what the user may do with it, worked out once in
    Python (no queries, no template look-up that fails).

    The template draws the nested lists from this flat list in one loop: a comment with replies opens
    a list; `closes` counts the lists that end after a comment without replies.
    """
    now = timezone.now()
    responder = permissions.can_respond_officially(user)
    signed_in = user.is_authenticated
    speaks = consultation.is_open and signed_in
    flat: list[Comment] = []

    def walk(comments: list[Comment], pending: int) -> None:
        for i, comment in enumerate(comments):
            last = i == len(comments) - 1
            comment.consultation = consultation
            comment.response = comment.official_response if permissions.has_official_response(comment) else None
            comment.paper = getattr(comment, "position_paper", None) if comment.shows_text else None
            comment.supported = comment.pk in thread.supported_ids
            comment.can_edit = signed_in and permissions.can_edit_comment(user, comment, now=now)
            comment.can_delete = signed_in and permissions.can_delete_comment(user, comment)
            comment.can_support = permissions.can_support(user, comment)
            comment.can_reply = speaks and comment.shows_text and comment.depth < MAX_DEPTH
            comment.can_report = signed_in and comment.shows_text
            cosigned = {c.organisation_id for c in comment.cosignatures.all()}
            comment.cosign_options = permissions.cosigning_memberships(user, comment, cosigned) if speaks else []
            comment.can_respond = responder and permissions.can_respond_to(user, consultation, comment)
            flat.append(comment)
            if comment.children:
                comment.closes = range(0)
                walk(comment.children, 1 + (pending if last else 0))
            else:
                comment.closes = range(pending if last else 0)

    walk(thread.roots, 0)
    return flat


# A drawn comment is cached under a digest of everything it shows and of what the viewer may do with it,
# so an edit, a new supporter or another viewer's rights give another key and nothing is ever stale;
# the time out only bounds the cache's size.
COMMENT_CACHE_SECONDS = 24 * 60 * 60
# Drawn comments are shared between viewers: each page puts its own csrf token in place of this one.
_CSRF_PLACEHOLDER = "csrf-token-of-the-page"
_CSRF_INPUT = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'


def _comment_fingerprint(comment: Comment) -> tuple:
    """Every value includes/comment.html shows or decides on, from the decorated comment."""
    paper, response = comment.paper, comment.response
    return (
        comment.pk, comment.consultation_id, comment.depth, comment.created_at, comment.edited_at,
        comment.deleted_at, comment.hidden_at, comment.hidden_reason, comment.on_behalf, str(comment.author),
        comment.organisation.name if comment.organisation else None, comment.body_html, comment.support_count,
        (paper.get_download_url(), paper.original_name, paper.size) if paper else None,
        tuple(s.organisation.name for s in comment.cosignatures.all()),
        comment.supported, comment.can_support, comment.can_reply, comment.can_edit, comment.can_delete,
        comment.can_report, comment.can_respond,
        tuple((m.organisation_id, m.organisation.name) for m in comment.cosign_options),
        (response.pk, response.disposition, response.reasoning_html, response.created_at,
         response.organisation.name if response.organisation else None) if response else None,
    )


def _draw(request: HttpRequest, comments: list[Comment], consultation: Consultation) -> None:
    """Give each decorated comment its drawn article (`comment.html`): from the cache when the same comment
    was drawn for the same rights before, in one round trip for the page, else drawn and cached."""
    setting = (translation.get_language(), timezone.get_current_timezone_name(), get_script_prefix())
    keys = [
        "consultations:comment:" + hashlib.sha256(repr((setting, _comment_fingerprint(c))).encode()).hexdigest()
        for c in comments
    ]
    cached = cache.get_many(keys)
    template = get_template("consultations/includes/comment.html")
    drawn: dict[str, str] = {}
    csrf = (_CSRF_INPUT.format(_CSRF_PLACEHOLDER), _CSRF_INPUT.format(get_token(request)))
    for comment, key in zip(comments, keys, strict=True):
        html = cached.get(key) or drawn.get(key)
        if html is None:
            html = drawn[key] = template.render({"comment": comment, "consultation": consultation,
                                                 "csrf_token": _CSRF_PLACEHOLDER})
        comment.html = mark_safe(html.replace(*csrf))  # noqa: S308 (drawn from our template, escaped there)
    if drawn:
        cache.set_many(drawn, COMMENT_CACHE_SECONDS)


def detail(request: PortalHttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.get_consultation(request.user, pk)
    sort = request.GET.get("sort", "oldest")
    sort = sort if sort in selectors.SORTS else "oldest"
    official_only = request.GET.get("official") == "1"
    can_respond = permissions.can_respond_officially(request.user)
    unanswered_only = can_respond and request.GET.get("unanswered") == "1"
    roots = selectors.thread_roots(consultation, sort=sort, official_only=official_only,
                                   unanswered_only=unanswered_only)
    page = Paginator(roots.values_list("pk", flat=True), THREADS_PER_PAGE).get_page(request.GET.get("page"))
    thread = selectors.thread_page(consultation, list(page.object_list), request.user)
    comments = _decorate(thread, request.user, consultation)
    _draw(request, comments, consultation)
    membership = acting_membership(request) if request.user.is_authenticated else None
    can_comment = permissions.can_comment(request.user, consultation)
    stats = selectors.consultation_stats(consultation)
    is_owner = permissions.is_owner(request.user, consultation)
    return render(request, "consultations/detail.html", {
        "consultation": consultation, "page": page, "thread": thread, "comments": comments, "sort": sort,
        "official_only": official_only, "unanswered_only": unanswered_only,
        "attachments": selectors.attachments_of(consultation),
        "topics": list(consultation.topics.all()),
        "stats": stats, "waiting": stats["comments"] - stats["answered"],
        "invited": list(consultation.invited_organisations.only("name")) if consultation.audience == "invited"
        else [],
        "comment_form": CommentForm(user=request.user, membership=membership) if can_comment else None,
        "can_comment": can_comment,
        "follow_form": FollowForm(initial={"delivery": thread.followed.delivery} if thread.followed else None),
        "is_owner": is_owner,
        "events": list(AuditEvent.objects.for_target(consultation)[:20]) if is_owner or can_respond else [],
        "can_edit": permissions.can_edit(request.user, consultation),
        "can_manage_outcome": permissions.can_manage_outcome(request.user, consultation),
        "can_publish_outcome": permissions.can_publish_outcome(request.user, consultation),
        "can_export": permissions.can_export(request.user, consultation),
        "can_respond": can_respond,
        "can_respond_to_consultation": permissions.can_respond_to(request.user, consultation),
    })


def _comment_form_page(request, consultation, form, *, parent=None):
    return render(request, "consultations/comment_form.html", {
        "consultation": consultation, "form": form, "parent": parent,
    })


@login_required
def comment_post(request: AuthenticatedHttpRequest, pk: int, parent_id: int | None = None) -> HttpResponse:
    consultation = selectors.get_consultation(request.user, pk)
    parent = selectors.get_comment(consultation, parent_id) if parent_id else None
    membership = acting_membership(request)
    form = CommentForm(request.POST or None, request.FILES or None, user=request.user, membership=membership,
                       reply=parent is not None)
    closed = permissions.commenting_closed(consultation)
    if closed:
        messages.error(request, closed)
        return redirect(consultation)
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_post(
                actor=request.user, consultation=consultation, body=form.cleaned_data["body"], parent=parent,
                acting_for=membership, on_behalf=form.cleaned_data.get("on_behalf", False),
                position_paper=form.cleaned_data.get("position_paper"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your comment has been posted. You now follow this consultation."))
            return redirect(comment.get_absolute_url())
    return _comment_form_page(request, consultation, form, parent=parent)


@login_required
def comment_edit(request: AuthenticatedHttpRequest, pk: int, comment_id: int) -> HttpResponse:
    consultation = selectors.get_consultation(request.user, pk)
    comment = selectors.get_comment(consultation, comment_id)
    if comment.author_id != request.user.pk:
        raise PermissionDenied(_("You can only edit your own comments."))
    if not permissions.can_edit_comment(request.user, comment, now=timezone.now()):
        messages.error(request, _("This comment can no longer be edited: comments can be changed for 15 minutes "
                                  "after posting, while the consultation is open. Post a reply to add to it."))
        return redirect(comment.get_absolute_url())
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(actor=request.user, comment=comment, body=form.cleaned_data["body"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your comment has been updated; the earlier text is kept in its history."))
            return redirect(comment.get_absolute_url())
    return render(request, "consultations/simple_form.html", {
        "form": form, "title": _("Edit your comment"), "consultation": consultation,
        "lead": _("You can edit a comment for 15 minutes after posting it. Earlier versions stay on record."),
        "submit_label": _("Save the comment"),
    })


def comment_history(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    """Earlier versions of an edited comment: what was first said stays on record."""
    consultation = selectors.get_consultation(request.user, pk)
    comment = selectors.get_comment(consultation, comment_id)
    if not comment.shows_text:
        raise Http404
    return render(request, "consultations/history.html", {
        "consultation": consultation, "comment": comment,
        "revisions": [{"body_html": render_markdown(r.body), "created_at": r.created_at}
                      for r in comment.revisions.all()],
    })


@login_required
def comment_delete(request: AuthenticatedHttpRequest, pk: int, comment_id: int) -> HttpResponse:
    consultation = selectors.get_consultation(request.user, pk)
    comment = selectors.get_comment(consultation, comment_id)
    if not permissions.can_delete_comment(request.user, comment):
        raise PermissionDenied(_("You can only remove your own comments."))
    if request.method == "POST":
        services.comment_delete(actor=request.user, comment=comment)
        messages.success(request, _("Your comment has been removed. Replies to it stay in place."))
        return redirect(comment.get_absolute_url())
    return render(request, "consultations/confirm.html", {
        "consultation": consultation, "title": _("Remove your comment?"),
        "lead": _("The comment will show as “removed by its author”. Replies to it stay."),
        "quote": comment, "submit_label": _("Remove the comment"), "danger": True,
    })


@login_required
@require_POST
def comment_support(request: AuthenticatedHttpRequest, pk: int, comment_id: int) -> HttpResponse:
    consultation = selectors.get_consultation(request.user, pk)
    comment = selectors.get_comment(consultation, comment_id)
    try:
        supported = services.comment_support_toggle(actor=request.user, comment=comment)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("You support this comment.") if supported
                         else _("You no longer support this comment."))
    return redirect(comment.get_absolute_url())


@login_required
@require_POST
def comment_cosign(request: AuthenticatedHttpRequest, pk: int, comment_id: int) -> HttpResponse:
    consultation = selectors.get_consultation(request.user, pk)
    comment = selectors.get_comment(consultation, comment_id)
    organisation_id = request.POST.get("organisation", "")
    membership = next((m for m in permissions.speaking_memberships(request.user)
                       if str(m.organisation_id) == organisation_id), None)
    if membership is None:
        raise PermissionDenied(_("You can co-sign only for an organisation you belong to."))
    try:
        services.comment_cosign(actor=request.user, comment=comment, organisation=membership.organisation)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("%(name)s now co-signs this comment.") % {"name": membership.organisation})
    return redirect(comment.get_absolute_url())


@login_required
def comment_report(request: AuthenticatedHttpRequest, pk: int, comment_id: int) -> HttpResponse:
    consultation = selectors.get_consultation(request.user, pk)
    comment = selectors.get_comment(consultation, comment_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_report(actor=request.user, comment=comment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you. A moderator will look at the comment."))
            return redirect(comment.get_absolute_url())
    return render(request, "consultations/simple_form.html", {
        "form": form, "title": _("Report a comment"), "consultation": consultation, "quote": comment,
        "lead": _("Moderators hide comments that break the rules; the reason is shown in their place."),
        "submit_label": _("Send the report"),
    })


@login_required
def official_response(request: AuthenticatedHttpRequest, pk: int, comment_id: int | None = None) -> HttpResponse:
    consultation = selectors.get_consultation(request.user, pk)
    comment = selectors.get_comment(consultation, comment_id) if comment_id else None
    if not permissions.can_respond_to(request.user, consultation, comment):
        raise PermissionDenied(_("Only customs staff can post official responses, once the consultation has "
                                 "opened, and once per comment."))
    form = OfficialResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.official_response_post(actor=request.user, consultation=consultation,
                                                       comment=comment, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The official response has been published and the people concerned "
                                        "have been told."))
            return redirect(comment.get_absolute_url() if comment else
                            f"{consultation.get_absolute_url()}#response-{response.pk}")
    return render(request, "consultations/simple_form.html", {
        "form": form, "consultation": consultation, "quote": comment,
        "title": _("Official response to a comment") if comment else
        _("Official response to the consultation"),
        "lead": _("The response is published on the consultation page, with your administration's name, and "
                  "included in the outcome report."),
        "submit_label": _("Publish the official response"),
    })


@login_required
@require_POST
def follow(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.get_consultation(request.user, pk)
    if request.POST.get("unfollow"):
        services.follow_remove(actor=request.user, consultation=consultation)
        messages.success(request, _("You no longer follow this consultation."))
        return redirect(consultation)
    form = FollowForm(request.POST)
    if form.is_valid():
        follow = services.follow_set(actor=request.user, consultation=consultation, **form.cleaned_data)
        messages.success(request, _("You follow this consultation: %(how)s.") % {
            "how": follow.get_delivery_display().lower()})
    else:
        messages.error(request, _("Choose how you want to hear of new comments."))
    return redirect(consultation)
