"""Web pages of the events domain (namespace "events")."""

from django.urls import path  # noqa: F401

app_name = "events"

urlpatterns: list = []
