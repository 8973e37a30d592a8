from django.urls import path

from aeo import views

app_name = "aeo"
urlpatterns = [
    path("", views.index, name="index"),
    path("organisations/<int:organisation_id>/start/", views.application_start, name="application_start"),
    path("applications/<int:pk>/", views.application_tasks, name="application_tasks"),
    path("applications/<int:pk>/sections/<str:code>/", views.section_edit, name="section_edit"),
    path("applications/<int:pk>/questions/<int:question_id>/evidence/", views.evidence_upload,
         name="evidence_upload"),
    path("applications/<int:pk>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("applications/<int:pk>/evidence/<int:evidence_id>/remove/", views.evidence_remove, name="evidence_remove"),
    path("applications/<int:pk>/check/", views.application_check, name="application_check"),
    path("applications/<int:pk>/status/", views.application_status, name="application_status"),
    path("applications/<int:pk>/requests/<int:request_id>/answer/", views.information_response,
         name="information_response"),
    path("applications/<int:pk>/hearings/<int:hearing_id>/reply/", views.hearing_reply, name="hearing_reply"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/copy/", views.application_copy, name="application_copy"),
    path("applications/<int:pk>/certificate/", views.certificate_download, name="certificate_download"),
    path("applications/<int:pk>/consent/", views.consent_update, name="consent_update"),
    path("applications/<int:pk>/change/", views.change_notice, name="change_notice"),
    path("applications/<int:pk>/files/<int:file_id>/", views.dialogue_file_download, name="dialogue_file_download"),
    path("applications/<int:pk>/decisions/<int:notice_id>/", views.decision_notice, name="decision_notice"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("holders/", views.holders, name="holders"),
]
