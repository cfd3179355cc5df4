from django.urls import path

from mobility.api import views

app_name = "api_keys"

urlpatterns = [
    path("employer/api-keys/", views.api_keys, name="list"),
    path("employer/api-keys/<int:key_id>/<str:action>/", views.api_key_action, name="action"),
    path("accounts/api-tokens/", views.personal_tokens, name="tokens"),
    path("accounts/api-tokens/<int:token_id>/revoke/", views.personal_token_revoke, name="token-revoke"),
]
