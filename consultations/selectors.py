"""Reads for pages, API and exports: scoped to the user first, then shaped with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_stubs_ext import StrOrPromise

from aeo.selectors import active_holder_ids
from consultations.models import (
    PUBLISHED_PHASES,
    Attachment,
    Audience,
    Comment,
    Consultation,
    CoSignature,
    Disposition,
    Follow,
    OfficialResponse,
    Phase,
    Support,
)
from portal.models import Membership, Organisation, Sector, User
from portal.permissions import memberships
from portal.types import AnyUser

SEARCH_CONFIG = "english"


def consultations_visible_to(user: AnyUser) -> QuerySet[Consultation]:
    """Consultations the user may know exist.

    Published ones by audience: public to everyone, signed-in to any signed-in user, invited to members
    of the owner and of the invited organisations. Drafts and scheduled ones: the owner's members only.
    """
    published = Q(phase__in=PUBLISHED_PHASES)
    if not user.is_authenticated:
        return Consultation.objects.filter(published, audience=Audience.PUBLIC)
    org_ids = [m.organisation_id for m in memberships(user)]
    mine = Q(organisation_id__in=org_ids)
    invited = Q(audience=Audience.INVITED) & (mine | Q(invited_organisations__in=org_ids))
    scope = (published & (Q(audience__in=[Audience.PUBLIC, Audience.SIGNED_IN]) | invited)) | mine
    # The invitation join can repeat a row; filter on ids to keep the outer query free of DISTINCT.
    ids = Consultation.objects.filter(scope).values("pk")
    return Consultation.objects.filter(pk__in=ids)


def comments_visible_to(user: AnyUser) -> QuerySet[Comment]:
    return Comment.objects.filter(consultation__in=consultations_visible_to(user).values("pk"))


def consultation_list(user: AnyUser, *, q: str = "", phase: str = "", topic: str = "",
                      organisation: str = "") -> QuerySet[Consultation]:
    qs = consultations_visible_to(user)
    if phase:
        qs = qs.filter(phase=phase)
    if topic:
        qs = qs.filter(topics__slug=topic)
    if organisation:
        qs = qs.filter(organisation_id=organisation) if organisation.isdigit() else qs.none()
    # Counted per row shown, in correlated subqueries: PostgreSQL works them out for the page's rows
    # only, after the index gave the sort and the limit (a join and GROUP BY counted every row first).
    comments = Comment.objects.filter(consultation=OuterRef("pk")).order_by()
    qs = qs.select_related("organisation").prefetch_related("topics").annotate(
        comment_count=_count(comments.filter(deleted_at__isnull=True, hidden_at__isnull=True), "pk"),
        participant_count=_count(comments.filter(deleted_at__isnull=True), "author_id"),
    )
    q = q.strip()
    return search(qs, q) if q else qs.order_by(F("published_at").desc(nulls_first=True), "-pk")


def _count(rows: QuerySet[Comment], column: str) -> Coalesce:
    distinct = rows.values("consultation").annotate(n=Count(column, distinct=True)).values("n")
    return Coalesce(Subquery(distinct, output_field=IntegerField()), 0)


def search(qs: QuerySet[Consultation], q: str) -> QuerySet[Consultation]:
    """Full-text search on PostgreSQL (the GIN-indexed search_vector); a plain substring match elsewhere."""
    if connection.vendor == "postgresql":
        query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
        return qs.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query)).order_by(
            "-rank", "-pk")
    return qs.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(body__icontains=q)).order_by("-pk")


@dataclass
class Thread:
    """One page of a consultation's discussion: top comments with all their replies."""

    roots: list[Comment]
    consultation_responses: list[OfficialResponse]
    supported_ids: set[int] = field(default_factory=set)
    followed: Follow | None = None


SORTS = {
    "oldest": ("created_at", "pk"),
    "newest": ("-created_at", "-pk"),
    "supported": ("-support_count", "created_at", "pk"),
}


def thread_roots(consultation: Consultation, *, sort: str = "oldest", official_only: bool = False,
                 unanswered_only: bool = False) -> QuerySet[Comment]:
    """Top comments of the threads to show: those with an official response somewhere in the thread, or
    (customs' work list) those with a published comment still waiting for one."""
    roots = consultation.comments.filter(depth=1).order_by(*SORTS.get(sort, SORTS["oldest"]))
    in_thread = Comment.objects.filter(consultation=consultation)
    if official_only:
        roots = roots.filter(pk__in=in_thread.filter(official_response__isnull=False).values("root_id"))
    if unanswered_only:
        roots = roots.filter(pk__in=in_thread.filter(official_response__isnull=True, deleted_at__isnull=True,
                                                     hidden_at__isnull=True).values("root_id"))
    return roots


def _comment_queryset() -> QuerySet[Comment]:
    return Comment.objects.select_related(
        "author", "organisation", "position_paper", "official_response__author",
        "official_response__organisation", "hidden_by",
    ).prefetch_related(Prefetch("cosignatures", queryset=CoSignature.objects.select_related("organisation")))


def thread_page(consultation: Consultation, root_ids: list[int], user: AnyUser) -> Thread:
    """The comments of one page of threads, nested, in a fixed number of queries whatever the page size."""
    comments = list(_comment_queryset().filter(root_id__in=root_ids).order_by("created_at", "pk"))
    by_id = {c.pk: c for c in comments}
    for comment in comments:
        comment.children = []
    for comment in comments:
        if comment.parent_id and comment.parent_id in by_id:
            by_id[comment.parent_id].children.append(comment)
    roots = [by_id[pk] for pk in root_ids if pk in by_id]
    responses = list(consultation.official_responses.filter(comment__isnull=True)
                     .select_related("author", "organisation"))
    supported: set[int] = set()
    followed = None
    if user.is_authenticated:
        supported = set(Support.objects.filter(user=user, comment_id__in=list(by_id)).values_list("comment_id",
                                                                                                  flat=True))
        followed = Follow.objects.filter(consultation=consultation, user=user).first()
    return Thread(roots=roots, consultation_responses=responses, supported_ids=supported, followed=followed)


def attachments_of(consultation: Consultation) -> list[Attachment]:
    return list(consultation.attachments.all())


def consultation_stats(consultation: Consultation) -> dict[str, int]:
    """Headline figures for the detail page."""
    live = consultation.comments.filter(deleted_at__isnull=True, hidden_at__isnull=True)
    return live.aggregate(
        comments=Count("pk"), people=Count("author", distinct=True),
        organisations=Count("organisation", distinct=True),
        answered=Count("official_response", distinct=True),
    )


def followers_of(consultation: Consultation, *, delivery: str | None = None) -> list[User]:
    """Followers who may still see the consultation: someone who left an invited organisation since
    following a working group's consultation hears nothing more of it."""
    follows = consultation.follows.filter(user__is_active=True)
    if consultation.audience == Audience.INVITED:
        allowed = Q(organisation_id=consultation.organisation_id) | Q(
            organisation__consultation_invitations=consultation)
        members = Membership.objects.filter(allowed).values("user_id")
        follows = follows.filter(user_id__in=members)
    if delivery:
        follows = follows.filter(delivery=delivery)
    # The people only, not a Follow with its user for each: a fan-out reads ten thousand of them.
    return list(User.objects.filter(pk__in=follows.values("user_id")))


def comments_for_report(consultation: Consultation) -> QuerySet[Comment]:
    """Every comment with its disposition, in thread order, for the outcome report and exports."""
    return (_comment_queryset().filter(consultation=consultation)
            .annotate(root_created=F("root__created_at"))
            .order_by("root_created", "root_id", "depth", "created_at", "pk"))


def drafts_of(user: AnyUser) -> QuerySet[Consultation]:
    org_ids = [m.organisation_id for m in memberships(user)]
    return Consultation.objects.filter(organisation_id__in=org_ids, phase__in=[Phase.DRAFT, Phase.SCHEDULED])


def get_consultation(user: AnyUser, pk: int) -> Consultation:
    """The consultation if the user may see it; 404 otherwise (its existence is not confirmed)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(consultations_visible_to(user).select_related("organisation"), pk=pk)


def get_comment(consultation: Consultation, pk: int) -> Comment:
    from django.shortcuts import get_object_or_404

    comment = get_object_or_404(Comment.objects.select_related("author", "organisation"),
                                consultation=consultation, pk=pk)
    comment.consultation = consultation
    return comment


@dataclass
class Statistics:
    totals: dict[str, int]
    by_kind: list[dict[str, Any]]
    by_country: list[dict[str, Any]]
    by_sector: list[dict[str, Any]]
    by_aeo: list[dict[str, Any]]
    by_disposition: list[dict[str, Any]]


def participation_statistics(consultation: Consultation) -> Statistics:
    """Who took part, computed in the database.

    A participant organisation is the one an author acted for when posting (on its behalf or not);
    people who acted for no organisation are counted under "no organisation". Removed and hidden
    comments do not count.
    """
    from django.db.models import BooleanField, Case, Value, When

    live = consultation.comments.filter(deleted_at__isnull=True, hidden_at__isnull=True)
    figures = {"organisations": Count("organisation", distinct=True), "people": Count("author", distinct=True),
               "comments": Count("pk")}

    def grouped(column: str) -> list[dict[str, Any]]:
        return list(live.values(column).annotate(**figures).order_by("-comments", column))

    org_ids = list(live.exclude(organisation=None).values_list("organisation_id", flat=True).distinct())
    holders = active_holder_ids(org_ids)
    by_aeo = list(live.exclude(organisation=None).annotate(
        aeo=Case(When(organisation_id__in=list(holders), then=Value(True)), default=Value(False),
                 output_field=BooleanField()),
    ).values("aeo").annotate(**figures).order_by("-aeo"))
    # In the order the workflow means them (Disposition's), comments without a response last.
    meaning = Case(*[When(official_response__disposition=value, then=Value(i))
                     for i, value in enumerate(Disposition.values)], default=Value(len(Disposition.values)))
    by_disposition = list(live.values("official_response__disposition").annotate(comments=Count("pk"))
                          .order_by(meaning))
    return Statistics(
        totals=live.aggregate(**figures, answered=Count("official_response")),
        by_kind=_label(grouped("organisation__kind"), "organisation__kind", dict(Organisation.Kind.choices)),
        by_country=_label(grouped("organisation__country"), "organisation__country", dict(countries)),
        by_sector=_label(grouped("organisation__sector"), "organisation__sector",
                         {**dict(Sector.choices), "": _("Not an economic operator")}),
        # The rows of values() are typed per column; _label adds a "label" to each.
        by_aeo=_label(cast(list[dict[str, Any]], by_aeo), "aeo",
                      {True: _("AEO holder"), False: _("No AEO authorisation")}),
        by_disposition=_label(cast(list[dict[str, Any]], by_disposition), "official_response__disposition",
                              {**dict(Disposition.choices), None: _("No official response")}),
    )


def _label(rows: list[dict[str, Any]], column: str, labels: Mapping[Any, StrOrPromise]) -> list[dict[str, Any]]:
    for row in rows:
        value = row[column]
        row["label"] = _("No organisation") if value is None and None not in labels else labels.get(value, value)
    return rows
