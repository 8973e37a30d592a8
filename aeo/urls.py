from django.urls import path
from django.views.generic import TemplateView

app_name = "aeo"
urlpatterns = [
    path("", TemplateView.as_view(template_name="aeo/index.html"), name="index"),
]
