"""Employer pages (`/<lang>/employer/…`) and the centre's employer queues (added to `/<lang>/staff/…`)."""

from django.urls import path

from mobility.employer import staff_views, views

app_name = "employer"

urlpatterns = [
    path("", views.home, name="home"),
    path("signup/", views.signup, name="signup"),
    path("join/<str:token>/", views.join, name="join"),
    path("organisations/<int:organisation_id>/", views.organisation, name="organisation"),
    path("organisations/<int:organisation_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:organisation_id>/verify-again/",
        views.organisation_reverify,
        name="organisation_reverify",
    ),
    path("organisations/<int:organisation_id>/invite/", views.member_invite, name="member_invite"),
    path(
        "organisations/<int:organisation_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "organisations/<int:organisation_id>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("organisations/<int:organisation_id>/vacancies/new/", views.vacancy_new, name="vacancy_new"),
    path("vacancies/", views.vacancy_list, name="vacancies"),
    path("vacancies/<int:vacancy_id>/", views.vacancy_detail, name="vacancy"),
    path("vacancies/<int:vacancy_id>/edit/", views.vacancy_edit, name="vacancy_edit"),
    path("vacancies/<int:vacancy_id>/status/", views.vacancy_status, name="vacancy_status"),
    path("vacancies/<int:vacancy_id>/duplicate/", views.vacancy_duplicate, name="vacancy_duplicate"),
    path("vacancies/<int:vacancy_id>/candidates/", views.candidates, name="candidates"),
    path(
        "vacancies/<int:vacancy_id>/candidates/invite/",
        views.candidates_bulk_invite,
        name="candidates_invite",
    ),
    path(
        "vacancies/<int:vacancy_id>/candidates/<int:profile_id>/",
        views.candidate_detail,
        name="candidate",
    ),
    path(
        "vacancies/<int:vacancy_id>/candidates/<int:profile_id>/invite/",
        views.candidate_invite,
        name="candidate_invite",
    ),
    path("vacancies/<int:vacancy_id>/pipeline/", views.pipeline, name="pipeline"),
    path("vacancies/<int:vacancy_id>/pipeline/bulk/", views.pipeline_bulk, name="pipeline_bulk"),
    path("applications/<int:application_id>/", views.application_detail, name="application"),
    path("applications/<int:application_id>/move/", views.application_move, name="application_move"),
    path(
        "applications/<int:application_id>/interview/",
        views.application_interview,
        name="application_interview",
    ),
    path(
        "applications/<int:application_id>/interview/cancel/",
        views.application_interview_cancel,
        name="application_interview_cancel",
    ),
    path("applications/<int:application_id>/notes/", views.application_note, name="application_note"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("requests/<int:request_id>/cancel/", views.request_cancel, name="request_cancel"),
    path("market/", views.market, name="market"),
]

# Mounted inside the "staff" namespace by mobility/urls.py.
staff_urlpatterns = [
    path("verification/", staff_views.verification_queue, name="verification"),
    path("verification/<int:organisation_id>/", staff_views.verification_detail, name="verification_detail"),
    path("employer-requests/", staff_views.request_queue, name="employer_requests"),
    path("employer-requests/<int:request_id>/", staff_views.request_detail, name="employer_request"),
    path("employer-requests/<int:request_id>/take/", staff_views.request_take, name="employer_request_take"),
]
