from django.urls import path

from escp4i.ops import views

app_name = "ops"

urlpatterns = [
    path("health", views.health, name="health"),
    path("health/ready", views.health_ready, name="health-ready"),
]
