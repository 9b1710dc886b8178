from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

import volunteers.urls
from appointments import schedule_views
from config import health
from help_requests import stats_views
from help_requests import views as help_request_views
from helpdesk import views
from privacy import views as privacy_views

urlpatterns = [
    # A volunteer's home is their day (shifts and appointments), so appointments/ serves it.
    path("", schedule_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            post_reset_login=True,
            # Named because django-axes adds a second backend; the password was just set here.
            post_reset_login_backend="django.contrib.auth.backends.ModelBackend",
            success_url="/",
        ),
        name="password_reset_confirm",
    ),
    # The volunteer's schedule and feed combine shifts with appointments, so appointments/ serves
    # them; both sets of pages share the "volunteers" namespace and the /volunteers/ prefix.
    path(
        "volunteers/",
        include((volunteers.urls.urlpatterns + schedule_views.urlpatterns, "volunteers")),
    ),
    path("counter/", include("appointments.urls")),
    path("sms/", include("sms.urls")),
    path("voice/", include("voice.urls")),
    path("guides/", include("guides.urls")),
    path("help/log/", help_request_views.log_help, name="help-log"),
    path("stats/", stats_views.dashboard, name="stats"),
    path("stats/network/", stats_views.network_view, name="stats-network"),
    path(
        "stats/export/help-requests.<str:extension>",
        stats_views.export_help_requests,
        name="stats-export-help-requests",
    ),
    path("stats/export/statistics.<str:extension>", stats_views.export_summary, name="stats-export-summary"),
    path("help/referrals/", help_request_views.referrals, name="help-referrals"),
    path(
        "help/referrals/<int:pk>/picked-up/",
        help_request_views.referral_confirmed,
        name="help-referral-confirmed",
    ),
    path("privacy/", privacy_views.privacy_notice, name="privacy-notice"),
    path("accessibility/", privacy_views.accessibility_statement, name="accessibility-statement"),
    path("privacy/citizens/", privacy_views.citizen_lookup, name="privacy-lookup"),
    path("privacy/citizens/<int:pk>/", privacy_views.citizen_detail, name="privacy-citizen"),
    path("privacy/citizens/<int:pk>/export.json", privacy_views.citizen_export, name="privacy-export"),
    path("privacy/citizens/<int:pk>/erase/", privacy_views.citizen_erase, name="privacy-erase"),
    path("audit/", privacy_views.audit_log, name="audit-log"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"
