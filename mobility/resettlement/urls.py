from django.urls import path

from mobility.resettlement import portal_views, staff_views, views

app_name = "resettlement"

urlpatterns = [
    path("calculator/", views.calculator, name="calculator"),
    path("staff/dashboard/", staff_views.dashboard, name="dashboard"),
    # The family's pages
    path("apply/", portal_views.apply, name="apply"),
    path("my/", portal_views.my_applications, name="my_applications"),
    path("my/<int:application_id>/", portal_views.my_application, name="my_application"),
    path(
        "certificates/<int:certificate_id>/pdf/",
        portal_views.certificate_download,
        name="certificate_pdf",
    ),
    # The staff's queue and decisions
    path("staff/", staff_views.queue, name="queue"),
    path("staff/<int:application_id>/", staff_views.application_detail, name="staff_application"),
    # Relocation-aware matching for staff
    path("staff/vacancies/", staff_views.receiving_vacancy_list, name="receiving_vacancies"),
    path("staff/vacancies/<int:vacancy_id>/seekers/", staff_views.vacancy_seekers, name="vacancy_seekers"),
    path(
        "staff/<int:application_id>/<slug:action>/",
        staff_views.application_decide,
        name="staff_decide",
    ),
]
