"""The versioned REST API (`/api/v1/`). Reference data first; the rest of the labour
exchange joins as its endpoints land."""

from django.urls import path

from matching import apis as matching_apis

app_name = "api"

urlpatterns = [
    path("reference/skills/", matching_apis.SkillSearchApi.as_view(), name="skill-search"),
    path("reference/occupations/", matching_apis.OccupationSearchApi.as_view(), name="occupation-search"),
]
