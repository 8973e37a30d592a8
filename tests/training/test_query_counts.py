"""The catalogue, a course page and the coverage report run as many queries for 10 rows as for 1,000."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import Membership, Role
from tests.factories import UserFactory
from training.models import Certificate, Course, Enrolment, Lesson, LessonCompletion, Module

from .factories import centre, full_course


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _add_courses(n: int, start: int) -> None:
    machinery = centre("machinery")
    courses = Course.objects.bulk_create(
        Course(centre=machinery, slug=f"bulk-{start + i}", title=f"Bulk course {start + i}", summary="s",
               is_published=True, aeo_sections=["J"]) for i in range(n))
    modules = Module.objects.bulk_create(Module(course=c, title="M") for c in courses)
    Lesson.objects.bulk_create(Lesson(module=m, title="L", body="b", body_html="<p>b</p>") for m in modules)


def test_catalogue_queries_do_not_grow(client, alice, client_for, db):
    _add_courses(10, 0)
    anonymous_small = _count(client, reverse("training:index"))
    signed_in = client_for(alice)
    signed_in.get(reverse("training:index"))  # records the session
    signed_in_small = _count(signed_in, reverse("training:index") + "?aeo=J&level=introductory")
    _add_courses(990, 10)
    assert _count(signed_in, reverse("training:index") + "?aeo=J&level=introductory") == signed_in_small
    cache.clear()  # the visitor's page is rendered again, not served from the public pages' cache
    assert _count(client, reverse("training:index")) == anonymous_small


def test_catalogue_query_list(client, db, django_assert_num_queries):
    _add_courses(30, 0)
    # centres with their course counts; the page count (read up to a thousand courses) and the planner's
    # estimate (asked at any size, so the page costs the same past a thousand); one page of courses with
    # lesson and quiz counts
    with django_assert_num_queries(4):
        client.get(reverse("training:index"))


def _big_course(lessons: int) -> Course:
    course = full_course(lessons=0, slug="big")
    module = course.modules.get()
    Lesson.objects.bulk_create(Lesson(module=module, title=f"L{i}", body="b", body_html="b", order=i)
                               for i in range(lessons))
    return course


def test_course_page_queries_do_not_grow(alice, client_for, db):
    client = client_for(alice)
    small = _big_course(10)
    enrolment = Enrolment.objects.create(user=alice, course=small)
    client.get(small.get_absolute_url())
    few = _count(client, small.get_absolute_url())
    Lesson.objects.bulk_create(Lesson(module=small.modules.get(), title=f"More {i}", body="b", body_html="b")
                               for i in range(990))
    LessonCompletion.objects.bulk_create(LessonCompletion(enrolment=enrolment, lesson=lesson)
                                         for lesson in Lesson.objects.filter(module__course=small)[:500])
    assert _count(client, small.get_absolute_url()) == few


def test_coverage_queries_do_not_grow(alice, atlantic, course, client_for):
    client = client_for(alice)
    url = reverse("training:coverage", args=[atlantic.pk])

    def add_people(n: int, start: int) -> None:
        users = [UserFactory.build(email=f"learner{start + i}@atlantic.example") for i in range(n)]
        for user in users:
            user.password = "!"
        from portal.models import User

        users = User.objects.bulk_create(users)
        Membership.objects.bulk_create(Membership(user=u, organisation=atlantic, role=Role.MEMBER) for u in users)
        enrolments = Enrolment.objects.bulk_create(Enrolment(user=u, course=course, organisation=atlantic)
                                                   for u in users)
        Certificate.objects.bulk_create(Certificate(enrolment=e, user=e.user, course=course, holder_name="x")
                                        for e in enrolments[::2])

    add_people(10, 0)
    client.get(url)
    small = _count(client, url)
    csv_small = _count(client, reverse("training:coverage_csv", args=[atlantic.pk]))
    add_people(990, 10)
    assert _count(client, url) == small
    assert _count(client, reverse("training:coverage_csv", args=[atlantic.pk])) == csv_small


def test_course_page_query_list(alice, client_for, django_assert_num_queries):
    course = _big_course(50)
    enrolment = Enrolment.objects.create(user=alice, course=course)
    LessonCompletion.objects.bulk_create(LessonCompletion(enrolment=enrolment, lesson=lesson)
                                         for lesson in Lesson.objects.filter(module__course=course)[:20])
    client = client_for(alice)
    client.get(course.get_absolute_url())
    # session, user (the session list was brought up to date minutes ago); the user's
    # memberships; the course; its modules, lessons, quizzes and prerequisites (prefetched); the enrolment;
    # its lessons done; its quiz attempts (the header's unread count is cached since the first request)
    with django_assert_num_queries(11):
        client.get(course.get_absolute_url())


def test_coverage_query_list(alice, bob, carol, atlantic, course, client_for, django_assert_num_queries):
    for user in (alice, bob, carol):
        Enrolment.objects.create(user=user, course=course, organisation=atlantic)
    client = client_for(alice)
    url = reverse("training:coverage", args=[atlantic.pk])
    client.get(url)
    # session, user; the user's memberships (header); the admin check;
    # enrolments per course (the count, and the courses the page spans); that page of enrolments with their
    # progress and certificates; figures per course, summed per centre (the header's unread count is
    # cached since the first request)
    with django_assert_num_queries(7):
        client.get(url)
