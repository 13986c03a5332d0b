import datetime as dt

from escp4i.core.countries import eu_member_codes, is_eu_member, resolve_country


def test_eu_membership_by_date():
    assert len(eu_member_codes(dt.date(2016, 3, 8))) == 28
    assert len(eu_member_codes(dt.date(2021, 1, 1))) == 27
    assert is_eu_member("GB", dt.date(2016, 3, 8))
    assert not is_eu_member("GB", dt.date(2020, 2, 1))
    assert not is_eu_member("HR", dt.date(2013, 6, 30))
    assert is_eu_member("HR", dt.date(2013, 7, 1))
    assert not is_eu_member("TR", dt.date(2016, 3, 8))


def test_resolve_country_accepts_codes_and_english_names():
    assert resolve_country("fr") == "FR"
    assert resolve_country("DEU") == "DE"
    assert resolve_country("Germany") == "DE"
    assert resolve_country("United Kingdom") == "GB"
    assert resolve_country("South Korea") == "KR"
    assert resolve_country("Atlantis") is None
    assert resolve_country("") is None
