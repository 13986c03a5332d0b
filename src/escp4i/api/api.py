"""The django-ninja API instance at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /docs).

Reads are public; writes need ``Authorization: Bearer <token>`` (see api/auth.py).
"""

from escp4i.api import accounts, calls, collaboration, events, figures, labels, registry
from escp4i.api.docs import AccessibleSwagger
from escp4i.api.errors import register_error_handlers
from escp4i.api.openapi import Escp4iAPI
from escp4i.api.ratelimit import register_rate_limit_handler

api = Escp4iAPI(
    title="escp4i API",
    version="1",
    description=(
        "Programme registry and key figures of ESCP-4i, calls, labels, events and the "
        "collaboration layer (partner search, forum). Public reads (the forum needs a token); "
        "writes (profile edits, officer imports, partner searches, posts) need an API token: "
        "`Authorization: Bearer <token>` "
        "(`manage.py create_api_token USER NAME`)."
    ),
    urls_namespace="api-v1",
    docs=AccessibleSwagger(),
)
register_error_handlers(api)
register_rate_limit_handler(api)
api.add_router("", registry.router)
api.add_router("", figures.router)
api.add_router("", accounts.router)
api.add_router("/calls", calls.router)
api.add_router("/labels", labels.router)
api.add_router("/events", events.router)
api.add_router("/collaboration", collaboration.router)
