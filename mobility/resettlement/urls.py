from django.urls import path

from mobility.resettlement import staff_views, views

app_name = "resettlement"

urlpatterns = [
    path("calculator/", views.calculator, name="calculator"),
    path("staff/dashboard/", staff_views.dashboard, name="dashboard"),
]
