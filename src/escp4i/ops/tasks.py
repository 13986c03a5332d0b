"""Operations tasks: ``ops.ping`` proves a worker consumes from the broker and reaches the
database (used by the deployment test and handy after an upgrade:
``celery --app escp4i call ops.ping``)."""

from __future__ import annotations

import socket

from django.db import connection

from escp4i.celery import app


@app.task(name="ops.ping")  # type: ignore[untyped-decorator]  # celery is untyped
def ping_task(payload: str = "") -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"pong": payload, "host": socket.gethostname(), "database": connection.vendor}
