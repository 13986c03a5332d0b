"""Web pages of the notifications domain (namespace "notifications")."""

from django.urls import path  # noqa: F401

app_name = "notifications"

urlpatterns: list = []
