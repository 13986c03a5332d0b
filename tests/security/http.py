"""Requests for the security tests: each in a savepoint that is rolled back, with the client's
cookies restored afterwards (a logout or a flash message must not change the next request)."""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.test import Client


def request(client: Client, method: str, url: str, data: Any = None) -> HttpResponse:
    cookies = SimpleCookie()
    cookies.load(client.cookies.output(header="", sep=";"))
    try:
        with transaction.atomic():
            if method == "POST":
                response = client.post(url, data or {})
            elif method == "GET" and data:
                response = client.get(url, data)
            else:
                response = client.generic(method, url)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    drain(response)
    return response


def drain(response: HttpResponse) -> None:
    """Read a streamed response (a file download) to the end: the test client then closes it
    (and its file), as a WSGI server would, without closing the database connection."""
    if response.streaming:
        b"".join(response.streaming_content)
