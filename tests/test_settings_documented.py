"""Every ESCP4I_* variable the settings read is documented and listed in .env.example."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _read_names() -> set[str]:
    names: set[str] = set()
    for module in ("settings.py", "gunicorn_conf.py"):
        source = (ROOT / "src" / "escp4i" / module).read_text(encoding="utf-8")
        names |= set(re.findall(r"env_\w+\(\s*\"([A-Z0-9_]+)\"", source))
    return names


def test_every_setting_variable_is_documented():
    names = _read_names()
    assert "ESCP4I_DEBUG" in names
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    missing_doc = sorted(n for n in names if f"`{n}`" not in doc)
    missing_example = sorted(n for n in names if not re.search(rf"^#?\s*{n}=", example, re.M))
    assert missing_doc == []
    assert missing_example == []
