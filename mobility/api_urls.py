"""The versioned REST API (`/api/v1/`): the labour exchange for partner systems, apps and the
pages' own scripts. Guide: docs/api.md; schema: /api/v1/schema/; interactive docs: /api/v1/docs/."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from matching import apis as matching_apis
from migration import apis as foreign_apis
from migration.web import api as foreign_web_api
from mobility.api.apis import (
    applications,
    people,
    resettlement,
    resettlement_cases,
    resettlement_matching,
    vacancies,
)
from mobility.api.base import UnknownPathApi, route

app_name = "api"

urlpatterns = [
    # Reference data
    path("reference/skills/", matching_apis.SkillSearchApi.as_view(), name="skill-search"),
    path("reference/occupations/", matching_apis.OccupationSearchApi.as_view(), name="occupation-search"),
    path("reference/regions/", people.RegionListApi.as_view(), name="regions"),
    # Foreign specialists (public: questionnaire, self-assessment, round results)
    path("foreign/questionnaire/", foreign_apis.QuestionnaireApi.as_view(), name="foreign-questionnaire"),
    path(
        "foreign/self-assessment/", foreign_apis.SelfAssessmentApi.as_view(), name="foreign-self-assessment"
    ),
    path("foreign/rounds/", foreign_apis.RoundListApi.as_view(), name="foreign-rounds"),
    # Foreign specialists (signed in: the applicant's own applications, officers' reads and decisions)
    path(
        "foreign/applications/",
        foreign_web_api.ForeignApplicationListApi.as_view(),
        name="foreign-applications",
    ),
    path(
        "foreign/applications/<int:application_id>/",
        foreign_web_api.ForeignApplicationDetailApi.as_view(),
        name="foreign-application",
    ),
    path(
        "foreign/applications/<int:application_id>/decision/",
        foreign_web_api.ForeignDecisionApi.as_view(),
        name="foreign-application-decision",
    ),
    path(
        "foreign/applications/<int:application_id>/steps/<int:step_id>/",
        foreign_web_api.ForeignStepRecordApi.as_view(),
        name="foreign-application-step",
    ),
    # Vacancies
    path(
        "vacancies/",
        route(get=vacancies.VacancyListApi, post=vacancies.VacancyCreateApi),
        name="vacancies",
    ),
    path("vacancies/bulk/", vacancies.VacancyBulkUpsertApi.as_view(), name="vacancies-bulk"),
    path(
        "vacancies/<int:vacancy_id>/",
        route(get=vacancies.VacancyDetailApi, patch=vacancies.VacancyUpdateApi),
        name="vacancy",
    ),
    path("vacancies/<int:vacancy_id>/status/", vacancies.VacancyStatusApi.as_view(), name="vacancy-status"),
    path(
        "vacancies/<int:vacancy_id>/candidates/",
        applications.VacancyCandidatesApi.as_view(),
        name="vacancy-candidates",
    ),
    # Organisations, seekers, registrations
    path("organisations/", people.OrganisationListApi.as_view(), name="organisations"),
    path("organisations/<int:organisation_id>/", people.OrganisationDetailApi.as_view(), name="organisation"),
    path("seekers/", people.SeekerListApi.as_view(), name="seekers"),
    path("seekers/me/", people.SeekerMeApi.as_view(), name="seeker-me"),
    path("seekers/<int:seeker_id>/", people.SeekerDetailApi.as_view(), name="seeker"),
    path("seekers/<int:seeker_id>/matches/", applications.SeekerMatchesApi.as_view(), name="seeker-matches"),
    path("registrations/", people.RegistrationListApi.as_view(), name="registrations"),
    path("registrations/<int:registration_id>/", people.RegistrationDetailApi.as_view(), name="registration"),
    # Applications
    path(
        "applications/",
        route(get=applications.ApplicationListApi, post=applications.ApplicationCreateApi),
        name="applications",
    ),
    path(
        "applications/<int:application_id>/", applications.ApplicationDetailApi.as_view(), name="application"
    ),
    path(
        "applications/<int:application_id>/transition/",
        applications.ApplicationTransitionApi.as_view(),
        name="application-transition",
    ),
    # Resettlement
    path(
        "resettlement/calculator/",
        resettlement.ResettlementCalculatorApi.as_view(),
        name="resettlement-calculator",
    ),
    path(
        "resettlement/applications/",
        resettlement_cases.ResettlementApplicationListApi.as_view(),
        name="resettlement-applications",
    ),
    path(
        "resettlement/applications/<int:application_id>/",
        resettlement_cases.ResettlementApplicationDetailApi.as_view(),
        name="resettlement-application",
    ),
    path(
        "resettlement/applications/<int:application_id>/decisions/",
        resettlement_cases.ResettlementDecisionApi.as_view(),
        name="resettlement-application-decide",
    ),
    path(
        "resettlement/vacancies/<int:vacancy_id>/eligible-seekers/",
        resettlement_matching.EligibleSeekerListApi.as_view(),
        name="resettlement-vacancy-eligible-seekers",
    ),
    path(
        "resettlement/certificates/",
        resettlement_cases.CertificateListApi.as_view(),
        name="resettlement-certificates",
    ),
    # The schema and its interactive docs (Swagger UI from the sidecar package: no CDN; the
    # split view keeps its script in a file, so the strict CSP holds)
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^[\s\S]*$", UnknownPathApi.as_view(), name="unknown"),  # any path, newlines too
]
