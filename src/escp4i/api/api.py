"""The django-ninja API instance at /api/v1/."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="escp4i API",
    version="1",
    description="Programme registry, key figures and (later) events, labels and calls of ESCP-4i.",
    urls_namespace="api-v1",
)
