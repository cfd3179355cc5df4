from django.urls import path

from mobility.notifications import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:message_id>/", views.inbox_message, name="message"),
    path("settings/", views.notification_settings, name="settings"),
    path("withdraw/<str:token>/", views.withdraw, name="withdraw"),
    path("offers/<int:offer_id>/", views.offer, name="offer"),
]

# Mounted under /staff/ by mobility.urls.
staff_urlpatterns = [
    path("offers/", views.staff_offers, name="proactive_offers"),
    path("background/", views.staff_health, name="background_health"),
    path("background/retry/", views.staff_health_retry, name="background_retry"),
]
