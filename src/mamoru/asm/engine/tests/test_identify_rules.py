"""The YAML rules: validation on load, and what they say about real-looking banners."""

from __future__ import annotations

from pathlib import Path

import pytest

from mamoru.asm.engine.identify import RuleError, RuleSet, default_rules
from mamoru.asm.engine.identify.rules import cpe_escape, cpe_name


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("source: x\nrules:\n  - id: r1\n    pattern: '(unclosed'\n", "bad.yaml: rule r1: bad"),
        ("source: x\nrules:\n  - id: r1\n    pattern: a\n    produt: X\n", "unknown keys"),
        ("source: x\nrules:\n  - pattern: a\n", "needs an 'id'"),
        ("source: x\nrules:\n  - {id: a, pattern: a}\n  - {id: a, pattern: b}\n", "duplicate id"),
        ("source: x\nrules:\n  - {id: a, pattern: a, product: '{nope}'}\n", "unknown groups"),
        ("source: x\nrules:\n  - {id: a, pattern: a, cpe: 'openbsd openssh'}\n", "cpe must"),
        ("rules: []\n", "needs a 'source'"),
    ],
)
def test_a_bad_rule_fails_with_its_file_and_id(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(RuleError, match=message) as info:
        RuleSet.from_dir(write(tmp_path, body))
    assert "bad.yaml" in str(info.value)


def test_the_shipped_rules_load_and_every_source_has_rules() -> None:
    rules = default_rules()
    for source in ("ssh", "ftp", "smtp", "imap", "pop3", "http.server", "mysql", "telnet", "redis"):
        assert rules.rules(source), source
    assert default_rules() is rules  # compiled once


def test_openssh_keeps_the_debian_package_for_backports() -> None:
    found = default_rules().match("ssh", "OpenSSH_9.2p1 Debian-2+deb12u3")
    assert found is not None
    assert (found.product, found.vendor, found.version) == ("OpenSSH", "OpenBSD", "9.2p1")
    assert found.extra == {"os": "Debian", "distro_package": "2+deb12u3"}
    assert found.cpe == "cpe:2.3:a:openbsd:openssh:9.2p1:*:*:*:*:*:*:*"
    assert found.rule.id == "ssh.openssh-distro"


@pytest.mark.parametrize(
    ("source", "text", "product", "version", "cpe_prefix"),
    [
        (
            "ssh",
            "OpenSSH_8.9p1 Ubuntu-3ubuntu0.6",
            "OpenSSH",
            "8.9p1",
            "cpe:2.3:a:openbsd:openssh:8.9p1",
        ),
        ("ssh", "OpenSSH_for_Windows_8.1", "OpenSSH", None, "cpe:2.3:a:openbsd:openssh"),
        ("ssh", "dropbear_2022.83", "Dropbear SSH", "2022.83", "cpe:2.3:a:dropbear_ssh_project"),
        ("ftp", "(vsFTPd 3.0.3)", "vsFTPd", "3.0.3", "cpe:2.3:a:beasts:vsftpd:3.0.3"),
        (
            "ftp",
            "ProFTPD 1.3.8 Server (Debian) [::ffff:10.0.0.1]",
            "ProFTPD",
            "1.3.8",
            "cpe:2.3:a:proftpd",
        ),
        ("ftp", "Microsoft FTP Service", "IIS", None, "cpe:2.3:a:microsoft:internet_information"),
        (
            "smtp",
            "mail.example.jp ESMTP Postfix (Debian/GNU)",
            "Postfix",
            None,
            "cpe:2.3:a:postfix",
        ),
        (
            "smtp",
            "mx.example.jp ESMTP Exim 4.96 Mon, 01 Jan 2024",
            "exim",
            "4.96",
            "cpe:2.3:a:exim:exim:4.96",
        ),
        (
            "smtp",
            "mx ESMTP Sendmail 8.15.2/8.15.2; Mon, 1 Jan 2024",
            "Sendmail",
            "8.15.2",
            "cpe:2.3:a:sendmail",
        ),
        (
            "imap",
            "[CAPABILITY IMAP4rev1 SASL-IR] Dovecot (Debian) ready.",
            "Dovecot",
            None,
            "cpe:2.3:a:dovecot",
        ),
        ("pop3", "Dovecot ready.", "Dovecot", None, "cpe:2.3:a:dovecot"),
        ("http.server", "nginx/1.22.1", "nginx", "1.22.1", "cpe:2.3:a:f5:nginx:1.22.1"),
        (
            "http.server",
            "Apache/2.4.62 (Debian)",
            "Apache httpd",
            "2.4.62",
            "cpe:2.3:a:apache:http_server",
        ),
        (
            "http.server",
            "Microsoft-IIS/10.0",
            "IIS",
            "10.0",
            "cpe:2.3:a:microsoft:internet_information",
        ),
        (
            "mysql",
            "5.5.5-10.11.6-MariaDB-0+deb12u1",
            "MariaDB",
            "10.11.6",
            "cpe:2.3:a:mariadb:mariadb",
        ),
        ("mysql", "8.0.36-0ubuntu0.22.04.1", "MySQL", "8.0.36", "cpe:2.3:a:oracle:mysql:8.0.36"),
        (
            "telnet",
            "MikroTik v6.49.10 (long-term)\r\nLogin:",
            "RouterOS",
            "6.49.10",
            "cpe:2.3:o:mikrotik",
        ),
    ],
)
def test_rules_name_common_products(
    source: str, text: str, product: str, version: str | None, cpe_prefix: str
) -> None:
    found = default_rules().match(source, text)
    assert found is not None, text
    assert (found.product, found.version) == (product, version)
    assert found.cpe is not None
    assert found.cpe.startswith(cpe_prefix)


def test_apache_and_nginx_keep_the_os_they_announce() -> None:
    apache = default_rules().match("http.server", "Apache/2.4.62 (Debian)")
    nginx = default_rules().match("http.server", "nginx/1.18.0 (Ubuntu)")
    assert apache is not None
    assert apache.extra["os"] == "Debian"
    assert nginx is not None
    assert nginx.extra["os"] == "Ubuntu"


def test_generic_http_servers_are_named_without_a_cpe() -> None:
    found = default_rules().match("http.server", "MiniUPnPd/2.1")
    assert found is not None
    assert found.product == "MiniUPnPd"
    other = default_rules().match("http.server", "Foobar-Web/3.2")
    assert other is not None
    assert (other.product, other.version, other.cpe) == (
        "Foobar-Web",
        "3.2",
        None,
    )


def test_cpe_components_are_escaped() -> None:
    assert cpe_escape("2.4.57+dfsg") == "2.4.57\\+dfsg"
    assert cpe_name("a:exim:exim", None) == "cpe:2.3:a:exim:exim:*:*:*:*:*:*:*:*"
    assert cpe_name("a:x:y", "1.0 beta").count(":") == 12


def test_text_nothing_claims_gives_no_match() -> None:
    assert default_rules().match("ssh", "TotallyUnknownSSHd") is None


@pytest.mark.parametrize(
    ("source", "text", "product", "vendor", "version"),
    [
        ("telnet", "\r\nRTX1210 Rev.14.01.42 (Tue Nov  8 10:22:14 2022)\r\n"
         "  Copyright (c) 1994-2022 Yamaha Corporation. All Rights Reserved.\r\n>",
         "RTX1210", "Yamaha", "14.01.42"),
        ("telnet", "NVR510 Rev.15.01.24 (Fri Mar 10 12:00:00 2023)\nCopyright (c) 1994-2023 "
         "Yamaha Corporation. All Rights Reserved.\n", "NVR510", "Yamaha", "15.01.24"),
        ("telnet", "NEC Portable Internetwork Core Operating System Software\r\n"
         "IX Series IX2215 (magellan-sec) Software, Version 10.7.18, RELEASE SOFTWARE\r\n",
         "UNIVERGE IX", "NEC", "10.7.18"),
        ("telnet", "AlliedWare Plus (TM) 5.4.2 09/25/13 12:57:26\r\n\r\nawplus login: ",
         "AlliedWare Plus", "Allied Telesis", "5.4.2"),
        ("http.title", "TeraStation", "TeraStation", "Buffalo", None),
        ("http.title", "AirStation 設定画面", "AirStation", "Buffalo", None),
        ("http.title", "Aterm WG2600HP4 クイック設定Web", "Aterm", "NEC", None),
        ("http.wwwauth", 'Basic realm="AirStation"', "AirStation", "Buffalo", None),
        ("http.wwwauth", 'Digest realm="Aterm", qop="auth"', "Aterm", "NEC", None),
    ],
)  # fmt: skip
def test_appliances_common_in_japanese_public_bodies(
    source: str, text: str, product: str, vendor: str, version: str | None
) -> None:
    found = default_rules().match(source, text)
    assert found is not None, text
    assert found.rule.origin == "mamoru"
    assert (found.product, found.vendor, found.version) == (product, vendor, version)
    assert "device_type" in found.extra


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("telnet", "RTX1210 Rev.14.01.42 (a look-alike without the vendor's copyright)\r\n>"),
        ("telnet", "IX Series router, Version 10.7.18"),
        ("http.title", "My LinkStationery shop"),
        ("http.title", "Materm"),
        ("http.wwwauth", 'Basic realm="office"'),
    ],
)
def test_look_alikes_of_those_appliances_are_not_named(source: str, text: str) -> None:
    assert default_rules().match(source, text) is None
