"""Web pages of the collaboration domain (namespace "collaboration", mounted at /collaboration/)."""

from django.urls import path

from escp4i.web import views_collaboration as views

app_name = "collaboration"

urlpatterns = [
    path("services/", views.service_list, name="service-list"),
    path("services/<slug:slug>/", views.service_detail, name="service-detail"),
    path("dialogues/", views.dialogue_list, name="dialogue-list"),
    path("markets/", views.market_list, name="market-list"),
    path("markets/<slug:code>/", views.market_detail, name="market-detail"),
    path(
        "partnerships/<slug:slug>/recommendations/",
        views.partnership_recommendations,
        name="partnership-recommendations",
    ),
    path(
        "partnerships/<slug:slug>/services/",
        views.partnership_services,
        name="partnership-services",
    ),
]
