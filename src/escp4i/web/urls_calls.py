"""Web pages of the calls domain (namespace "calls")."""

from django.urls import path  # noqa: F401

app_name = "calls"

urlpatterns: list = []
