from django.urls import path

from mobility.exchange import views

app_name = "portal"

urlpatterns = [
    path("me/seeker/", views.home, name="home"),
    path("me/profile/<slug:step>/", views.profile_step, name="profile_step"),
    path("me/cv/", views.cv, name="cv"),
    path("me/cv/file/delete/", views.cv_file_delete, name="cv_file_delete"),
    path("me/plan/", views.plan, name="plan"),
    path("me/for-me/", views.for_me, name="for_me"),
    path("me/applications/", views.applications, name="applications"),
    path(
        "me/applications/<int:application_id>/<slug:action>/",
        views.application_action,
        name="application_action",
    ),
    path("me/referrals/<int:referral_id>/<slug:action>/", views.referral_answer, name="referral_answer"),
    path("me/saved/", views.saved_searches, name="saved_searches"),
    path("me/saved/new/", views.saved_search_create, name="saved_search_create"),
    path("me/saved/<int:search_id>/", views.saved_search_open, name="saved_search_open"),
    path("me/saved/<int:search_id>/delete/", views.saved_search_delete, name="saved_search_delete"),
    path("vacancies/", views.search, name="search"),
    path("vacancies/<int:vacancy_id>/", views.vacancy_detail, name="vacancy"),
    path("vacancies/<int:vacancy_id>/apply/", views.apply, name="apply"),
]
