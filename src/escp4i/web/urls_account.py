"""The logged-in user's own account pages (namespace "account", mounted at /account/)."""

from django.urls import URLPattern, path

from escp4i.web import views_account as v

app_name = "account"

urlpatterns: list[URLPattern] = [
    path("", v.account_detail, name="detail"),
    path("my-data.json", v.account_export, name="export"),
    path("delete/", v.account_delete, name="delete"),
]
