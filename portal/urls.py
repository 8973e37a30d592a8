from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from portal import observability
from portal.api import views as api
from portal.api import webhooks as webhooks_api
from portal.views import account, account_data, language, legal, organisations, pages

# The back office login goes through allauth, so its rate limits and MFA apply.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]  # replaced on purpose
admin.site.site_header = gettext_lazy("Customs back office")
admin.site.site_title = gettext_lazy("Customs back office")
admin.site.index_title = gettext_lazy("Work queues")

router = DefaultRouter()
router.register("organisations", api.OrganisationViewSet, basename="organisation")
router.register("notifications", api.NotificationViewSet, basename="notification")
router.register("webhooks", webhooks_api.WebhookEndpointViewSet, basename="webhook")

api_urls: list[URLPattern | URLResolver] = [
    path("me/", api.MeView.as_view(), name="api-me"),
    path("", include(router.urls)),
    path("aeo/", include("aeo.api")),
    path("consultations/", include("consultations.api")),
    path("training/", include("training.api")),
    path("performance/", include("portal.performance.api")),
]

urlpatterns = [
    path("", pages.home, name="home"),
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("healthz", pages.healthz, name="healthz"),
    path("readyz", pages.readyz, name="readyz"),
    path("metrics", observability.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("account/", account.account, name="account"),
    path("account/tokens/", account.api_tokens, name="api_tokens"),
    path("account/data/", account_data.personal_data_download, name="personal_data_download"),
    path("account/close/", account_data.account_close_view, name="account_close"),
    path("about/", legal.about, name="about"),
    path("privacy/", legal.privacy, name="privacy"),
    path("cookies/", legal.cookies, name="cookies"),
    path("accessibility/", legal.accessibility, name="accessibility"),
    path("terms/", legal.terms, name="terms"),
    path("contact/", legal.contact, name="contact"),
    path("favicon.ico", pages.favicon, name="favicon"),
    path("language/", language.choose_language, name="choose_language"),
    path("account/tokens/<int:token_id>/revoke/", account.api_token_delete, name="api_token_delete"),
    path("notifications/", account.notification_list, name="notification_list"),
    path("notifications/read/", account.notification_mark_read, name="notification_mark_read"),
    path("notifications/preferences/", account.notification_preferences, name="notification_preferences"),
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/new/", organisations.organisation_create, name="organisation_create"),
    path("organisations/switch/", organisations.organisation_switch, name="organisation_switch"),
    path("organisations/<int:organisation_id>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<int:organisation_id>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path("organisations/<int:organisation_id>/invite/", organisations.invitation_create, name="invitation_create"),
    path("organisations/<int:organisation_id>/invitations/<int:invitation_id>/revoke/",
         organisations.invitation_revoke, name="invitation_revoke"),
    path("organisations/<int:organisation_id>/members/<int:membership_id>/",
         organisations.membership_edit, name="membership_edit"),
    path("organisations/<int:organisation_id>/members/<int:membership_id>/remove/",
         organisations.membership_remove, name="membership_remove"),
    path("organisations/<int:organisation_id>/documents/new/", organisations.document_upload,
         name="organisation_document_upload"),
    path("organisations/<int:organisation_id>/documents/<int:document_id>/",
         organisations.document_download, name="organisation_document_download"),
    path("organisations/<int:organisation_id>/documents/<int:document_id>/remove/",
         organisations.document_remove, name="organisation_document_remove"),
    path("invitations/<str:token>/", organisations.invitation_accept, name="invitation_accept"),
    path("aeo/", include("aeo.urls")),
    path("consultations/", include("consultations.urls")),
    path("training/", include("training.urls")),
    path("performance/", include("portal.performance.urls")),
    path("api/v1/", include(api_urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema",
                                                                template_name="portal/api_docs.html"), name="api-docs"),
    path("api/guide/", api.api_guide, name="api-guide"),
]

handler400 = "portal.views.pages.error_400"
handler403 = "portal.views.pages.error_403"
handler404 = "portal.views.pages.error_404"
handler500 = "portal.views.pages.error_500"
