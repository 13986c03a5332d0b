"""Web pages of the notifications domain (namespace "notifications")."""

from django.urls import URLPattern, path

from escp4i.web import views_notifications as v

app_name = "notifications"

urlpatterns: list[URLPattern] = [
    path("", v.inbox, name="inbox"),
    path("read-all/", v.read_all, name="read-all"),
    path("<int:notification_id>/read/", v.read, name="read"),
    path("settings/", v.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", v.unsubscribe, name="unsubscribe"),
]
