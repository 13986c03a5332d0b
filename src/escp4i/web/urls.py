from django.urls import path, register_converter

from escp4i.web import views


class _ExportFormat:
    regex = "csv|xlsx|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(_ExportFormat, "exportfmt")

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("partnerships/", views.partnership_list, name="partnership-list"),
    path("partnerships/<slug:slug>/", views.partnership_detail, name="partnership-detail"),
    path("partnerships/<slug:slug>/edit/", views.partnership_edit, name="partnership-edit"),
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation-detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation-edit"),
    path("countries/", views.country_list, name="country-list"),
    path("countries/<str:code>/", views.country_detail, name="country-detail"),
    path("key-figures/", views.keyfigure_list, name="keyfigure-list"),
    path("privacy/", views.privacy, name="privacy"),
    path("registry/import/", views.registry_import_view, name="registry-import"),
    path(
        "registry/export/<slug:kind>.<exportfmt:fmt>",
        views.registry_export_view,
        name="registry-export",
    ),
]
