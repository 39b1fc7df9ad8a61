"""Simplified Chinese first, English second: the catalog is complete and compiled (SPEC "Users")."""
from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

CATALOG = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_has_a_chinese_translation():
    po = polib.pofile(str(CATALOG / "django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_the_compiled_catalog_matches_the_source():
    po = polib.pofile(str(CATALOG / "django.po"))
    mo = polib.mofile(str(CATALOG / "django.mo"))
    # Keyed by context too: "from" as a filter's lookup word (msgctxt "filter lookup") is not "from" elsewhere.
    assert {(e.msgctxt, e.msgid): e.msgstr for e in mo if e.msgid and not e.msgid_plural} == {
        (e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries() if not e.msgid_plural
    }


def test_chinese_is_the_default_and_english_is_available():
    from cadres.services.id_numbers import ERR_ID_CHECKSUM

    assert settings.LANGUAGE_CODE == "zh-hans"
    with translation.override("zh-hans"):
        assert str(ERR_ID_CHECKSUM) == "公民身份号码的校验码错误。"
    with translation.override("en"):
        assert str(ERR_ID_CHECKSUM) == "The check digit of the resident ID number is wrong."


def test_pages_are_chinese_whatever_the_browser_asks_until_the_user_switches(world, client):
    client.force_login(world.staff_a)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "工作台" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Dashboard" in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
