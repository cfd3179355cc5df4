from django.urls import path

from migration import views

app_name = "foreign"

urlpatterns = [
    path("self-assessment/", views.self_assessment, name="self_assessment"),
    path("rounds/", views.rounds, name="rounds"),
]

# The applicant's, the officers' and the employer's pages (`migration/web/`).
from migration.web.urls import urlpatterns as web_urlpatterns  # noqa: E402

urlpatterns += web_urlpatterns
