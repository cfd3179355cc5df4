from django.urls import path

from mobility.resettlement import views

app_name = "resettlement"

urlpatterns = [
    path("calculator/", views.calculator, name="calculator"),
]
