"""API fixtures: tokens for the shared users, and an authenticated request helper."""

from __future__ import annotations

import json

import pytest

from escp4i.accounts.services import api_token_create


def _token(user) -> str:
    _row, secret = api_token_create(user=user, name="tests")
    return secret


@pytest.fixture
def officer_token(officer) -> str:
    return _token(officer)


@pytest.fixture
def coordinator_token(coordinator) -> str:
    return _token(coordinator)


@pytest.fixture
def manager_token(cluster_manager) -> str:
    return _token(cluster_manager)


@pytest.fixture
def participant_token(participant) -> str:
    return _token(participant)


@pytest.fixture
def patch_json(client):
    def patch(url: str, data: dict, token: str | None = None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return client.patch(
            url, data=json.dumps(data), content_type="application/json", headers=headers
        )

    return patch
