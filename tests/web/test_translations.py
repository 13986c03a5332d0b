"""The translation catalogues: complete, compiled, placeholders intact.

French is complete: every entry translated, none fuzzy. German is complete for the public pages:
every entry referenced (``#:`` lines) from a file in ``GERMAN_PUBLIC_SOURCES`` is translated. The
committed ``.mo`` files must match their ``.po`` files, because install, demo and test do not run
compilemessages. See docs/translations.md.
"""

from __future__ import annotations

import collections
import fnmatch
import gettext
import re
from pathlib import Path

import polib
import pytest

import escp4i

LOCALE_DIR = Path(escp4i.__file__).parent / "locale"
LANGUAGES = ["fr", "de"]

# Source files (paths as in the .po references, relative to src/escp4i/) whose strings a visitor
# of the public pages can see: the layout, home, catalogue, partnership/organisation/country
# pages, key figures, label registry and verification, calls, events list/detail/agenda, markets,
# services, dialogues, partner search and forum read views, privacy, login, error pages, and the
# Python modules that label their filters, charts, figures and choices. Documented in
# docs/translations.md ("Public pages in German").
GERMAN_PUBLIC_SOURCES = [
    "settings.py",
    "web/templates/web/base.html",
    "web/templates/web/home.html",
    "web/templates/web/_*.html",
    "web/templates/web/partnership_list.html",
    "web/templates/web/partnership_detail.html",
    "web/templates/web/organisation_list.html",
    "web/templates/web/organisation_detail.html",
    "web/templates/web/country_list.html",
    "web/templates/web/country_detail.html",
    "web/templates/web/keyfigure_list.html",
    "web/templates/web/privacy.html",
    "web/templates/web/error.html",
    "web/templates/registration/*",
    "web/templates/labels/label_list.html",
    "web/templates/labels/_label_results.html",
    "web/templates/labels/_status.html",
    "web/templates/labels/label_detail.html",
    "web/templates/labels/label_certificate.html",
    "web/templates/labels/charter_detail.html",
    "web/templates/calls/call_list.html",
    "web/templates/calls/call_detail.html",
    "web/templates/events/event_list.html",
    "web/templates/events/event_detail.html",
    "web/templates/events/agenda.html",
    "web/templates/events/_event_nav.html",
    "web/templates/collaboration/_*.html",
    "web/templates/collaboration/market_list.html",
    "web/templates/collaboration/market_detail.html",
    "web/templates/collaboration/service_list.html",
    "web/templates/collaboration/service_detail.html",
    "web/templates/collaboration/dialogue_list.html",
    "web/templates/collaboration/partner_search_list.html",
    "web/templates/collaboration/partner_search_detail.html",
    "web/templates/collaboration/partner_search_recommendations.html",
    "web/templates/collaboration/partnership_recommendations.html",
    "web/templates/collaboration/forum_index.html",
    "web/templates/collaboration/forum_space.html",
    "web/templates/collaboration/forum_thread.html",
    "web/templates/collaboration/forum_search.html",
    "web/views/public.py",
    "web/views/figures.py",
    "web/views/errors.py",
    "web/views_collaboration.py",
    "web/figures.py",
    "web/charts.py",
    "web/forms.py",
    "web/forms_collaboration.py",
    "web/middleware.py",
    "web/templatetags/web_tags.py",
    "dashboards/selectors.py",
    "registry/models.py",
    "labels/workflow.py",
    "events/models.py",
    "collaboration/models/directory.py",
    "collaboration/models/partner_search.py",
]

# %(name)s, %s, %d ... (python-format), {0} / {name} (python-brace-format), HTML tags.
PLACEHOLDER = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr%]|\{[^{}]*\}|</?[a-zA-Z][^>]*>"
)


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


def _entries(language: str) -> list[polib.POEntry]:
    return [entry for entry in _catalogue(language) if not entry.obsolete]


def _label(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt + ' | ' if entry.msgctxt else ''}{entry.msgid!r}"


def _is_public(reference: str) -> bool:
    return any(fnmatch.fnmatch(reference, pattern) for pattern in GERMAN_PUBLIC_SOURCES)


def _placeholders(text: str) -> collections.Counter[str]:
    return collections.Counter(PLACEHOLDER.findall(text))


def _translations(entry: polib.POEntry) -> list[tuple[str, list[str]]]:
    """Each translation with the source texts it may take its placeholders from."""
    if not entry.msgid_plural:
        return [(entry.msgstr, [entry.msgid])]
    forms = [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    # The singular form may follow the singular or the plural source (French uses the singular
    # for 0 and 1); the other forms follow the plural source.
    return [(forms[0], [entry.msgid, entry.msgid_plural])] + [
        (form, [entry.msgid_plural]) for form in forms[1:]
    ]


def test_french_catalogue_is_complete_with_no_fuzzy_entries():
    entries = _entries("fr")
    untranslated = [_label(entry) for entry in entries if not entry.translated()]
    fuzzy = [_label(entry) for entry in entries if entry.fuzzy]
    assert len(entries) > 1000  # the real catalogue, not an empty file
    assert untranslated == []
    assert fuzzy == []


def test_every_german_entry_of_the_public_pages_is_translated():
    public = [
        entry for entry in _entries("de") if any(_is_public(ref) for ref, _ in entry.occurrences)
    ]
    missing = [_label(entry) for entry in public if not entry.translated() or entry.fuzzy]
    assert len(public) > 500
    assert missing == []


def test_every_public_source_pattern_still_names_a_file_with_strings():
    references = {ref for entry in _entries("de") for ref, _ in entry.occurrences}
    stale = [
        pattern
        for pattern in GERMAN_PUBLIC_SOURCES
        if not any(fnmatch.fnmatch(reference, pattern) for reference in references)
    ]
    assert stale == []  # a renamed or deleted file: update the list (and docs/translations.md)


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_and_markup_match_the_source(language):
    mismatched = []
    for entry in _entries(language):
        for translation, sources in _translations(entry):
            if not translation:
                continue
            found = _placeholders(translation)
            if all(found != _placeholders(source) for source in sources):
                mismatched.append(f"{_label(entry)} -> {translation!r}")
    assert mismatched == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_python_format_translations_format_like_the_source(language):
    # Catches a bare "%" (e.g. "50 %" must be "50 %%") and broken conversions, which the
    # placeholder comparison above cannot see.
    broken = []
    for entry in _entries(language):
        if "python-format" not in entry.flags:
            continue
        for translation, sources in _translations(entry):
            if not translation:
                continue
            names = set(re.findall(r"%\(([^)]+)\)", " ".join(sources)))
            values: dict[str, object] | tuple[object, ...]
            values = (
                dict.fromkeys(names, 1)
                if names
                else (1,) * len(re.findall(r"(?<!%)%[sdifr]", sources[0]))
            )
            try:
                translation % values  # only checking that it formats
            except (TypeError, ValueError, KeyError) as error:
                broken.append(f"{_label(entry)} -> {translation!r}: {error}")
    assert broken == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_compiles_and_the_committed_mo_is_current(language, tmp_path):
    catalogue = _catalogue(language)
    compiled = tmp_path / "django.mo"
    catalogue.save_as_mofile(str(compiled))
    with compiled.open("rb") as handle:
        gettext.GNUTranslations(handle)  # raises on a malformed catalogue

    def messages(entries) -> dict[tuple[str | None, str], object]:
        return {
            (e.msgctxt, e.msgid): (dict(e.msgstr_plural) if e.msgid_plural else e.msgstr)
            for e in entries
            if e.msgid
        }

    compiled_entries = [e for e in catalogue if e.translated() and not e.fuzzy and not e.obsolete]
    expected = messages(compiled_entries)
    actual = messages(polib.mofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.mo")))
    missing_or_extra = sorted(str(key) for key in expected.keys() ^ actual.keys())
    changed = sorted(
        str(key) for key in expected.keys() & actual.keys() if expected[key] != actual[key]
    )
    # An out-of-date .mo: run `make messages` (it compiles after refreshing the catalogues).
    assert missing_or_extra[:5] == []
    assert changed[:5] == []
