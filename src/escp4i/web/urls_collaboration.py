"""Web pages of the collaboration domain (namespace "collaboration")."""

from django.urls import path  # noqa: F401

app_name = "collaboration"

urlpatterns: list = []
