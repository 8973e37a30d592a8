"""The consultations API: scoped like the pages, writing through the same services."""

from __future__ import annotations

from django.urls import reverse

from consultations.models import Follow


def test_post_support_and_follow_through_the_api(open_consultation, alice, bob, client_for, atlantic):
    client = client_for(alice)
    url = reverse("api-consultation-comments", args=[open_consultation.pk])
    response = client.post(url, {"body": "Via the **API**", "on_behalf_of": atlantic.pk},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    comment = response.json()
    assert comment["signed_as"] == "Atlantic Freight" and "<strong>API</strong>" in comment["body_html"]
    support = client_for(bob).post(reverse("api-comment-support", args=[comment["id"]]))
    assert support.json() == {"supported": True, "support_count": 1}
    follow = client_for(bob).post(reverse("api-consultation-follow", args=[open_consultation.pk]),
                                  {"delivery": "immediate"}, content_type="application/json")
    assert follow.json() == {"delivery": "immediate"}
    assert Follow.objects.get(user=bob).delivery == "immediate"
    listing = client.get(url).json()
    assert [c["id"] for c in listing["results"]] == [comment["id"]] and "next" in listing


def test_api_answers_400_with_field_errors(open_consultation, alice, client_for):
    url = reverse("api-consultation-comments", args=[open_consultation.pk])
    assert client_for(alice).post(url, {"body": ""}, content_type="application/json").status_code == 400
    open_consultation.phase = "closed"
    open_consultation.save()
    closed = client_for(alice).post(url, {"body": "late"}, content_type="application/json")
    assert closed.status_code == 400 and "closed for comments" in closed.content.decode()


def test_anonymous_cannot_post_and_schema_lists_the_endpoints(client, open_consultation):
    url = reverse("api-consultation-comments", args=[open_consultation.pk])
    assert client.post(url, {"body": "x"}).status_code in (401, 403)
    schema = client.get(reverse("api-schema")).content.decode()
    for path in ("/api/v1/consultations/", "/api/v1/consultations/{id}/comments/",
                 "/api/v1/consultations/comments/{id}/support/", "/api/v1/consultations/{id}/follow/"):
        assert path in schema


def test_api_bad_input_is_400_never_500(open_consultation, alice, client_for, mallory):
    client = client_for(alice)
    url = reverse("api-consultation-comments", args=[open_consultation.pk])
    for payload in ({"body": "x", "parent": "abc"}, {"body": "x", "parent": 999999},
                    {"body": "x", "on_behalf_of": 999999}, {"body": ["a", "b"]}, {"body": "a\x00b"}):
        response = client.post(url, payload, content_type="application/json")
        assert response.status_code == 400, (payload, response.content)
    follow = reverse("api-consultation-follow", args=[open_consultation.pk])
    assert client.post(follow, {"delivery": "hourly"}, content_type="application/json").status_code == 400
    assert client.get(reverse("api-consultation-list"), {"organisation": "x", "phase": "nonsense"}).status_code == 200
