"""Web pages of the labels domain (namespace "labels")."""

from django.urls import path  # noqa: F401

app_name = "labels"

urlpatterns: list = []
