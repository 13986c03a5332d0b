"""Account commands: create_user, grant_role, create_api_token, revoke_api_token."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from escp4i.accounts.models import ApiToken, User
from escp4i.accounts.selectors import user_roles
from escp4i.accounts.services import api_token_authenticate


def test_create_user_with_organisation_and_role(cluster_manager, capsys):
    call_command(
        "create_user",
        "alice",
        "--email",
        "alice@example.org",
        "--organisation",
        cluster_manager.organisation.slug,
        "--role",
        "cluster_manager",
    )
    alice = User.objects.get(username="alice")
    assert alice.organisation == cluster_manager.organisation
    assert user_roles(alice) == {"cluster_manager"}
    assert "No password set" in capsys.readouterr().out


def test_create_user_password_from_stdin(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-enough-passphrase\n"))
    call_command("create_user", "bob", "--password-stdin")
    assert User.objects.get(username="bob").check_password("a-long-enough-passphrase")


def test_create_user_errors(user, db):
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_user", "plain")
    with pytest.raises(CommandError, match="No organisation"):
        call_command("create_user", "carol", "--organisation", "nope")


def test_grant_and_revoke_role(user, registry_data, capsys):
    call_command("grant_role", "plain", "partnership_coordinator", "--partnership", "ecca")
    assert "Granted partnership_coordinator for ECCA to plain." in capsys.readouterr().out
    assert user_roles(User.objects.get(pk=user.pk)) == {"partnership_coordinator"}
    call_command(
        "grant_role", "plain", "partnership_coordinator", "--partnership", "ECCA", "--revoke"
    )
    assert user_roles(User.objects.get(pk=user.pk)) == set()


def test_grant_role_errors(user, registry_data):
    with pytest.raises(CommandError, match="needs a partnership"):
        call_command("grant_role", "plain", "partnership_coordinator")
    with pytest.raises(CommandError, match="No user"):
        call_command("grant_role", "nobody", "participant")
    with pytest.raises(CommandError, match="No partnership"):
        call_command("grant_role", "plain", "partnership_coordinator", "--partnership", "NOPE")


def test_create_api_token_prints_secret_once(user, capsys):
    call_command("create_api_token", "plain", "import script")
    captured = capsys.readouterr()
    secret = captured.out.strip()
    assert api_token_authenticate(secret=secret) == user
    assert "not shown again" in captured.err
    token = ApiToken.objects.get(user=user)
    assert secret not in {token.digest, token.prefix}


def test_revoke_api_token(user, capsys):
    call_command("create_api_token", "plain", "one")
    secret = capsys.readouterr().out.strip()
    prefix = ApiToken.objects.get(user=user).prefix
    call_command("revoke_api_token", "plain", prefix)
    assert api_token_authenticate(secret=secret) is None
    with pytest.raises(CommandError, match="No matching"):
        call_command("revoke_api_token", "plain", "--all")
    with pytest.raises(CommandError, match="prefix or --all"):
        call_command("revoke_api_token", "plain")
