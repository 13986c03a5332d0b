"""The `escp4i` console script.

`escp4i schedule ...` runs the Django-free scheduler CLI; `escp4i init-secret` writes a local
secret key under var/; every other sub-command is a Django management command
(`escp4i migrate`, `escp4i load_escp4i`, `escp4i runserver`...).
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path


def _init_secret() -> int:
    from escp4i.core.env import env_str

    base = Path(__file__).resolve().parent.parent.parent
    var_dir = Path(env_str("ESCP4I_VAR_DIR", str(base / "var")))
    key_file = Path(env_str("ESCP4I_SECRET_KEY_FILE", str(var_dir / "secret_key")))
    if key_file.exists():
        print(f"secret key already present at {key_file}")
        return 0
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    key_file.chmod(0o600)
    print(f"wrote a new secret key to {key_file}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "schedule":
        from escp4i.scheduler.cli import main as schedule_main

        return int(schedule_main(args[1:]))
    if args and args[0] == "init-secret":
        return _init_secret()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "escp4i.settings")
    from django.core.management import execute_from_command_line

    # Accept dashed spellings (load-escp4i) for the underscore command names.
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["escp4i", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
