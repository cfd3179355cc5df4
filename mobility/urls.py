from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from matching import views as matching_views
from mobility import views
from mobility.accounts import views as account_views
from mobility.core.documents.views import document_download
from mobility.core.privacy import views as privacy_views
from mobility.employer.urls import staff_urlpatterns as employer_staff_urlpatterns
from mobility.notifications import views as notification_views
from mobility.notifications.urls import staff_urlpatterns as notification_staff_urlpatterns

staff_patterns = (
    [
        path("", account_views.staff_home, name="home"),
        path("centres/<int:centre_id>/", account_views.staff_centre, name="centre"),
        *employer_staff_urlpatterns,
        *notification_staff_urlpatterns,
        path("matching/coverage/", matching_views.coverage, name="matching_coverage"),
        path("audit/", privacy_views.audit_search, name="audit"),
    ],
    "staff",
)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("api/v1/", include("mobility.api_urls")),
    # The language switcher (Django's, resolving the page in its own language: mobility.views).
    path("i18n/setlang/", views.set_language, name="set_language"),
    # The SMS gateway's inbound replies (STOP), signed with the shared secret.
    path("notifications/sms/inbound", notification_views.sms_inbound, name="sms_inbound"),
    # Outside the language prefixes: a download has no language, and nobody is redirected.
    path("documents/<uuid:public_id>/", document_download, name="document"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("regions/", views.regions, name="regions"),
    # API credentials: /employer/api-keys/ and /accounts/api-tokens/ (before the apps' own prefixes)
    path("", include("mobility.api.urls")),
    path("accounts/", include("mobility.accounts.urls")),
    path("", include("mobility.core.privacy.urls")),
    path("", include("mobility.exchange.urls")),
    path("employer/", include("mobility.employer.urls")),
    path("notifications/", include("mobility.notifications.urls")),
    path("staff/", include(staff_patterns)),
    path("staff/", include("mobility.cases.urls")),
    path("resettlement/", include("mobility.resettlement.urls")),
    path("foreign/", include("migration.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
