from django.urls import path

from training import views

app_name = "training"
urlpatterns = [
    path("", views.catalogue, name="index"),
    path("centres/<slug:slug>/", views.centre_detail, name="centre"),
    path("courses/<slug:slug>/", views.course_detail, name="course"),
    path("courses/<slug:slug>/enrol/", views.enrol, name="enrol"),
    path("courses/<slug:slug>/lessons/<int:lesson_id>/", views.lesson_detail, name="lesson"),
    path("courses/<slug:slug>/lessons/<int:lesson_id>/done/", views.lesson_done, name="lesson_done"),
    path("courses/<slug:slug>/quizzes/<int:quiz_id>/start/", views.quiz_start, name="quiz_start"),
    path("courses/<slug:slug>/attempts/<int:attempt_id>/", views.attempt_detail, name="attempt"),
    path("mine/", views.my_training, name="my_training"),
    path("certificates/<int:certificate_id>/pdf/", views.certificate_download, name="certificate_pdf"),
    path("verify/", views.verify_form, name="verify_form"),
    path("aeo/applications/<int:application_id>/sections/<str:section_code>/", views.aeo_evidence,
         name="aeo_evidence"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("organisations/<int:organisation_id>/coverage/", views.coverage, name="coverage"),
    path("organisations/<int:organisation_id>/coverage.csv", views.coverage_csv, name="coverage_csv"),
    path("questions/", views.question_list, name="questions"),
    path("questions/new/", views.question_ask, name="question_ask"),
    path("questions/<int:question_id>/", views.question_detail, name="question"),
    path("questions/<int:question_id>/files/<int:attachment_id>/", views.question_attachment,
         name="question_attachment"),
]
