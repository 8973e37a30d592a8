from django.urls import path

from portal.performance import views

app_name = "performance"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("staff/", views.staff_overview, name="staff"),
    path("staff/recompute/", views.recompute, name="recompute"),
    path("tables/<slug:slug>.<str:fmt>", views.table_download, name="table"),
]
