"""The English catalogue: every message translated, none fuzzy, and the pages that were
added after it (the incident pages) shown in English for ``Accept-Language: en``.

The compiled ``.mo`` is git-ignored and built by ``scripts/build-assets.sh``; the page
tests compile it themselves when it is missing or older than the ``.po``, so that a fresh
clone's test run works even when the assets were not built.
"""

from __future__ import annotations

import ast
import contextlib
import fcntl
import gettext as gettext_module
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import translation

from mamoru.incidents import services
from mamoru.incidents.testing import add_member, content_dict, principal
from mamoru.testing import CHIYODA, Cast, SignIn

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
CATALOGUE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def read_catalogue(path: Path) -> list[Entry]:
    """The entries of a ``.po`` file, header included; obsolete (``#~``) ones left out.

    Entries are separated by blank lines, as gettext's tools and makemessages write them.
    """
    entries: list[Entry] = []
    block: list[tuple[int, str]] = []
    for number, raw in enumerate([*path.read_text(encoding="utf-8").splitlines(), ""], 1):
        line = raw.strip()
        if not line:
            entry = _entry(block)
            if entry is not None:
                entries.append(entry)
            block = []
        elif line.startswith("#,") or not line.startswith("#"):
            block.append((number, line))  # comments, references and #| lines are skipped
    return entries


def _entry(block: list[tuple[int, str]]) -> Entry | None:
    entry = Entry()
    fields: dict[str, str] = {}
    keyword = ""
    for number, line in block:
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith('"'):
            fields[keyword] += ast.literal_eval(line)
        else:
            keyword, _, rest = line.partition(" ")
            fields[keyword] = ast.literal_eval(rest)
            entry.line = number if keyword == "msgid" else entry.line
    if "msgid" not in fields:
        return None
    entry.msgid = fields["msgid"]
    entry.msgid_plural = fields.get("msgid_plural")
    entry.msgstr = {
        0 if key == "msgstr" else int(key.removeprefix("msgstr[").removesuffix("]")): value
        for key, value in fields.items()
        if key.startswith("msgstr")
    }
    return entry


def test_the_catalogue_parser_reads_plurals_continuations_and_flags(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#, fuzzy, python-format\nmsgid "%(n)s件"\nmsgid_plural "%(n)s件"\n'
        'msgstr[0] "%(n)s item"\nmsgstr[1] ""\n\n'
        'msgid ""\n"長い"\n"文"\nmsgstr "A long "\n"sentence"\n\n'
        '#~ msgid "古い"\n#~ msgstr "Old"\n',
        encoding="utf-8",
    )
    header, plural, long = read_catalogue(po)
    assert header.msgid == ""
    assert header.msgstr == {0: "Language: en\n"}
    assert plural.flags == {"fuzzy", "python-format"}
    assert plural.msgid_plural == "%(n)s件"
    assert plural.msgstr == {0: "%(n)s item", 1: ""}
    assert (long.msgid, long.msgstr) == ("長い文", {0: "A long sentence"})


def test_every_message_of_the_english_catalogue_is_translated_and_none_is_fuzzy() -> None:
    messages = [e for e in read_catalogue(CATALOGUE) if e.msgid]
    assert len(messages) > 500, "the catalogue looks truncated"
    untranslated = [f"line {e.line}: {e.msgid}" for e in messages if not all(e.msgstr.values())]
    fuzzy = [f"line {e.line}: {e.msgid}" for e in messages if "fuzzy" in e.flags]
    assert untranslated == [], "untranslated messages:\n" + "\n".join(untranslated)
    assert fuzzy == [], "fuzzy messages:\n" + "\n".join(fuzzy)
    plurals = [e for e in messages if e.msgid_plural is not None]
    assert plurals, "the catalogue has plural messages"
    assert all(set(e.msgstr) == {0, 1} for e in plurals), "English has two plural forms"


def _stale() -> bool:
    return not COMPILED.exists() or COMPILED.stat().st_mtime < CATALOGUE.stat().st_mtime


@pytest.fixture(scope="module")
def compiled_catalogue() -> None:
    """Compile our catalogue (only ours) if its ``.mo`` is missing or older than the ``.po``.

    An exclusive lock on the ``.po`` keeps parallel workers from reading a half-written
    ``.mo``. compilemessages walks the current directory for ``locale`` folders, so it runs
    from inside ours: it then finds nothing but ``LOCALE_PATHS``.
    """
    with CATALOGUE.open("rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if _stale():
                with contextlib.chdir(LOCALE_DIR):
                    call_command("compilemessages", locale=["en"], verbosity=0)
                # Forget catalogues this process has already read (Python's gettext caches
                # them by file; the setting_changed signal resets Django's own cache).
                getattr(gettext_module, "_translations", {}).clear()
                with override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS)):
                    pass
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    assert not _stale()


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    """LocaleMiddleware leaves the last request's language active in the thread: put the
    default back, so that later tests (pytest-django runs database-free ones last) are not
    run in English."""
    yield
    translation.deactivate()


def english(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_catalogue")
def test_the_incident_inbox_is_in_english(cast: Cast, signed_in: SignIn) -> None:
    ciso = add_member("chiyoda_ciso", cast.org(CHIYODA))
    report = services.report_create(
        principal=principal(cast.chiyoda), content=content_dict(people=101)
    )
    services.report_approve_and_submit(report=report, principal=principal(ciso), final=False)

    response = english(signed_in(cast.ppc)).get("/incidents/inbox/")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="en">' in html
    assert "<h1>Inbox</h1>" in html
    for heading in [
        "Incident reports addressed to this organisation.",
        "Reports received (",
        "Reporting organisation",
        "Received at",
        "Acknowledgement",
        "Final report due",
        "Not acknowledged",
        "Preliminary report",  # the phase of the version received
        "Statistics",
        "Notifications",
    ]:
        assert heading in html, heading
    assert report.title in html  # what the reporter wrote stays as written
    for japanese in [
        "受信箱",
        "届いた報告",
        "報告した団体",
        "届いた日時",
        "受領確認",
        "確報の期限",
    ]:
        assert japanese not in html, japanese


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_catalogue")
def test_the_new_report_form_is_in_english(cast: Cast, signed_in: SignIn) -> None:
    response = english(signed_in(cast.chiyoda)).get("/incidents/reports/new/")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="en">' in html
    assert "<h1>What happened and when it was noticed</h1>" in html
    for heading in [
        "What happened?",
        "Ransomware",
        "Files are encrypted and cannot be opened",  # each choice explained
        "When was it noticed?",
        "Time (leave blank if unknown)",
        "Use the time now",
        "Save and continue",
        "Step 1 of",
    ]:
        assert heading in html, heading
    for japanese in [
        "新しいインシデント報告",
        "何が起きましたか",
        "ランサムウェア",
        "気づきましたか",
        "今の日時を入れる",
        "保存して次へ",
    ]:
        assert japanese not in html, japanese
