from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from mobility import views
from mobility.accounts import views as account_views

employer_patterns = (
    [
        path("", account_views.employer_home, name="home"),
        path(
            "organisations/<int:organisation_id>/", account_views.employer_organisation, name="organisation"
        ),
    ],
    "employer",
)
staff_patterns = (
    [
        path("", account_views.staff_home, name="home"),
        path("centres/<int:centre_id>/", account_views.staff_centre, name="centre"),
    ],
    "staff",
)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("api/v1/", include("mobility.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("regions/", views.regions, name="regions"),
    path("accounts/", include("mobility.accounts.urls")),
    path("", include("mobility.exchange.urls")),
    path("employer/", include(employer_patterns)),
    path("staff/", include(staff_patterns)),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
