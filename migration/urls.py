from django.urls import path

from migration import views

app_name = "foreign"

urlpatterns = [
    path("self-assessment/", views.self_assessment, name="self_assessment"),
    path("rounds/", views.rounds, name="rounds"),
]
