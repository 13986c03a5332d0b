"""gunicorn settings for the escp4i web process (``gunicorn --config python:escp4i.gunicorn_conf``).

Read from the environment like the Django settings (docs/configuration.md). gunicorn's own
access log is off: ``escp4i.ops.middleware.RequestLogMiddleware`` writes one line per request,
with the request id, in the configured log format.
"""

from __future__ import annotations

from escp4i.core.env import env_int, env_str

wsgi_app = "escp4i.wsgi:application"
bind = env_str("ESCP4I_WEB_BIND", "127.0.0.1:8000")
workers = env_int("ESCP4I_WEB_WORKERS", 3)
threads = env_int("ESCP4I_WEB_THREADS", 1)
timeout = env_int("ESCP4I_WEB_TIMEOUT_S", 60)
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (a slow leak never grows without bound); jitter avoids all
# workers restarting at once.
max_requests = 1000
max_requests_jitter = 100
# Proxies whose X-Forwarded-Proto/-For gunicorn believes (nginx on the same machine).
forwarded_allow_ips = env_str("ESCP4I_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None
errorlog = "-"
loglevel = env_str("ESCP4I_LOG_LEVEL", "INFO").lower()
proc_name = "escp4i-web"
