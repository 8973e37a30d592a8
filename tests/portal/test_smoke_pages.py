import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_page_is_public(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Customs and business, working together" in response.content.decode()
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
