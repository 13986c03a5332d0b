from django.urls import path

from escp4i.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
]
