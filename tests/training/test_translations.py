"""Centre names and course titles and summaries in the reader's language, English where a translation is missing."""

from __future__ import annotations

from django.urls import reverse

from tests.training.factories import full_course
from training.demo_translations import COURSES, course_translations
from training.models import Centre


def test_the_catalogue_shows_translated_titles_and_english_where_none(alice, client_for):
    alice.language = "fr"
    alice.save(update_fields=["language"])
    translated = full_course(slug="classifying-and-valuing-machinery", title="Classifying and valuing machinery",
                             summary="English summary.", translations=course_translations(
                                 "classifying-and-valuing-machinery"))
    untranslated = full_course(slug="local-course", title="A course only in English", summary="Only English.")
    french = translated.translations["fr"]

    page = client_for(alice).get(reverse("training:index")).content.decode()
    assert french["title"].replace("'", "&#x27;") in page and french["summary"].replace("'", "&#x27;") in page
    assert translated.title not in page
    assert untranslated.title in page and untranslated.summary in page
    assert translated.centre.translations["fr"]["name"] in page  # the centres are translated by a migration

    api = client_for(alice).get("/api/v1/training/courses/").json()
    titles = {c["slug"]: c["title"] for c in api["results"]}
    assert titles == {translated.slug: french["title"], untranslated.slug: untranslated.title}


def test_the_ten_centres_and_every_demo_course_have_portuguese_french_and_spanish(db):
    from training import demo_content, demo_sector_courses

    for centre in Centre.objects.all():
        assert set(centre.translations) == {"pt", "fr", "es"}, centre.slug
        assert all(t["name"] and t["description"] for t in centre.translations.values())
    slugs = {spec["slug"] for spec in demo_content.COURSES + demo_sector_courses.COURSES}
    assert set(COURSES) == slugs
    assert all(set(COURSES[slug]) == {"pt", "fr", "es"} for slug in slugs)
