from django.urls import path

from mobility.core.privacy import views

app_name = "privacy"

urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/views/", views.my_data_views, name="my_data_views"),
]
