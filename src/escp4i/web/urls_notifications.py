"""Web pages of the notifications domain (namespace "notifications")."""

from django.urls import URLPattern, URLResolver

app_name = "notifications"

urlpatterns: list[URLPattern | URLResolver] = []
