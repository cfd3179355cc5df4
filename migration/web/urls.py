"""URLs of the signed-in foreign-specialist pages, added to the `foreign` namespace."""

from django.urls import path

from migration.web import applicant, employer, officer

urlpatterns = [
    path("sign-up/", applicant.signup, name="signup"),
    path("me/", applicant.applications, name="applications"),
    path("me/<int:application_id>/", applicant.application, name="application"),
    path("me/<int:application_id>/edit/", applicant.application_edit, name="application_edit"),
    path("me/<int:application_id>/appeal/", applicant.appeal_lodge, name="appeal_lodge"),
    path("me/<int:application_id>/job-seeker/", applicant.job_seeker, name="job_seeker"),
    path("decisions/<int:decision_id>/letter/", applicant.decision_letter, name="decision_letter"),
    path("officer/", officer.queue, name="queue"),
    path("officer/applications/<int:application_id>/", officer.application, name="officer_application"),
    path(
        "officer/applications/<int:application_id>/<slug:action>/",
        officer.application_act,
        name="officer_act",
    ),
    path("officer/appeals/<int:appeal_id>/", officer.appeal, name="officer_appeal"),
    path("officer/rounds/", officer.rounds, name="officer_rounds"),
    path("officer/rounds/<int:round_id>/", officer.round_detail, name="officer_round"),
    path("officer/what-if/", officer.what_if, name="what_if"),
    path("officer/dashboard/", officer.dashboard, name="dashboard"),
    path("employer/offers/", employer.offers, name="employer_offers"),
    path("employer/offers/<int:application_id>/confirm/", employer.offer_confirm, name="offer_confirm"),
    path("employer/duties/<int:duty_id>/report/", employer.duty_report, name="duty_report"),
    path("employer/vacancies/<int:vacancy_id>/", employer.vacancy_foreign, name="employer_vacancy"),
    path("employer/card-check/", employer.card_check, name="card_check"),
]
