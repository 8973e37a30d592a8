"""Organisation admins see their members' training, per course and per centre, and export it; nobody else."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from training import selectors, services
from training.models import Enrolment

from .conftest import complete_lessons, pass_quizzes
from .factories import full_course


@pytest.fixture
def atlantic_training(alice, bob, carol, mallory, atlantic, course):
    # bob completed the course, carol is half-way, mallory trains for her own company
    done = services.enrolment_create(actor=bob, course=course, organisation=atlantic)
    complete_lessons(bob, done)
    pass_quizzes(bob, done)
    services.certificate_issue(enrolment_id=done.pk)
    services.enrolment_create(actor=carol, course=course, organisation=atlantic)
    services.enrolment_create(actor=mallory, course=course, organisation=mallory.memberships.get().organisation)
    return course


def test_admin_sees_members_progress_and_certificates(alice, atlantic, atlantic_training, client_for):
    response = client_for(alice).get(reverse("training:coverage", args=[atlantic.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bob Member" in page and "Carol Consultant" in page and "Mallory" not in page
    assert "3 of 3 steps done (100%)" in page and "0 of 3 steps done (0%)" in page
    by_course = response.context["by_course"]
    assert [(r["course__title"], r["enrolled"], r["completed"], r["certified"]) for r in by_course] == [
        ("Classifying machinery", 2, 1, 1)]
    assert [(r["course__centre__name"], r["enrolled"]) for r in response.context["by_centre"]] == [("Machinery", 2)]


def test_csv_export_for_admins(alice, atlantic, atlantic_training, client_for):
    response = client_for(alice).get(reverse("training:coverage_csv", args=[atlantic.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {(r["E-mail"], r["Progress %"], r["Certificate"]) for r in rows} == {
        ("bob@atlantic.example", "100", "valid"), ("carol@advisers.example", "0", "")}


@pytest.mark.parametrize("url_name", ["training:coverage", "training:coverage_csv"])
def test_coverage_is_404_outside_the_organisation_and_403_for_members(url_name, atlantic, bob, mallory, client_for,
                                                                      atlantic_training):
    url = reverse(url_name, args=[atlantic.pk])
    assert client_for(mallory).get(url).status_code == 404
    assert client_for(bob).get(url).status_code == 403


def test_coverage_needs_login(client, atlantic):
    response = client.get(reverse("training:coverage", args=[atlantic.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_member_who_left_drops_out_of_the_report(alice, bob, atlantic, atlantic_training, client_for):
    bob.memberships.get(organisation=atlantic).delete()
    page = client_for(alice).get(reverse("training:coverage", args=[atlantic.pk])).content.decode()
    assert "Bob Member" not in page


def test_csv_cells_cannot_run_as_formulas(alice, atlantic, client_for):
    # given a course title and an e-mail address that a spreadsheet would run as formulas
    alice.email = "=2+5@atlantic.example"
    alice.save(update_fields=["email"])
    course = full_course(title="=HYPERLINK(\"http://evil.example\")", slug="formula")
    services.enrolment_create(actor=alice, course=course, organisation=atlantic)
    # when the company officer downloads the coverage
    body = client_for(alice).get(reverse("training:coverage_csv", args=[atlantic.pk])).content.decode()
    # then both are text
    assert "'=HYPERLINK" in body and ",'=2+5@atlantic.example," in body


def test_organisation_page_shows_training_figures_to_admins_only(alice, bob, atlantic, atlantic_training, client_for):
    url = reverse("organisation_detail", args=[atlantic.pk])
    admin_page = client_for(alice).get(url).content.decode()
    assert "Training and advice" in admin_page
    assert reverse("training:coverage", args=[atlantic.pk]) in admin_page
    assert "Your centre for advice and training is" in admin_page and "Machinery" in admin_page
    member_page = client_for(bob).get(url).content.decode()
    assert "Training and advice" in member_page
    assert reverse("training:coverage", args=[atlantic.pk]) not in member_page


def test_coverage_pages_follow_the_full_list_across_courses(alice, bob, carol, atlantic):
    # given three people on three courses whose titles sort apart from the order they were made in
    courses = [full_course(lessons=1, slug=f"c{i}", title=title) for i, title in enumerate(["Origin", "Customs value",
                                                                                           "Tariff"])]
    for course in courses:
        for user in (alice, bob, carol):
            Enrolment.objects.create(user=user, course=course, organisation=atlantic)
    everything = list(selectors.coverage_enrolments(atlantic))
    rows = selectors.CoverageRows(atlantic)
    # when read a slice at a time, across the edges of courses
    # then every slice is that of the full list, and the count is the full list's
    assert rows.count() == len(everything) == 9
    for start, stop in [(0, 2), (2, 5), (3, 6), (4, 9), (8, 20), (9, 12)]:
        assert [e.pk for e in rows[start:stop]] == [e.pk for e in everything[start:stop]]
