from django.urls import path

from consultations import views

app_name = "consultations"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.consultation_create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.consultation_edit, name="edit"),
    path("<int:pk>/publish/", views.consultation_publish, name="publish"),
    path("<int:pk>/close/", views.consultation_close, name="close"),
    path("<int:pk>/documents/new/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/documents/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<int:pk>/documents/<int:attachment_id>/remove/", views.attachment_remove, name="attachment_remove"),
    path("<int:pk>/follow/", views.follow, name="follow"),
    path("<int:pk>/comments/new/", views.comment_post, name="comment_post"),
    path("<int:pk>/comments/<int:parent_id>/reply/", views.comment_post, name="comment_reply"),
    path("<int:pk>/comments/<int:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path("<int:pk>/comments/<int:comment_id>/history/", views.comment_history, name="comment_history"),
    path("<int:pk>/comments/<int:comment_id>/remove/", views.comment_delete, name="comment_delete"),
    path("<int:pk>/comments/<int:comment_id>/support/", views.comment_support, name="comment_support"),
    path("<int:pk>/comments/<int:comment_id>/cosign/", views.comment_cosign, name="comment_cosign"),
    path("<int:pk>/comments/<int:comment_id>/report/", views.comment_report, name="comment_report"),
    path("<int:pk>/comments/<int:comment_id>/respond/", views.official_response, name="comment_respond"),
    path("<int:pk>/comments/<int:comment_id>/paper/", views.position_paper_download, name="position_paper"),
    path("<int:pk>/respond/", views.official_response, name="respond"),
    path("<int:pk>/outcome/", views.outcome_publish, name="outcome"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("<int:pk>/export.json", views.export, {"fmt": "json"}, name="export_json"),
]
