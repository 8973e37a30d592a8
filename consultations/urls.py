from django.urls import path
from django.views.generic import TemplateView

app_name = "consultations"
urlpatterns = [
    path("", TemplateView.as_view(template_name="consultations/index.html"), name="index"),
]
