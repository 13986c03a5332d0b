"""Web pages of the labels domain (namespace "labels")."""

from django.urls import URLPattern, URLResolver

app_name = "labels"

urlpatterns: list[URLPattern | URLResolver] = []
