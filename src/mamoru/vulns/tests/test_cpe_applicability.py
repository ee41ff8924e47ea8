from typing import Any

import pytest

from mamoru.vulns import cpe
from mamoru.vulns.applicability import Target, VersionRange, evaluate


def test_it_parses_formatted_strings_with_escapes() -> None:
    name = cpe.parse(r"cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*")
    assert name.vendor == "hp"
    assert name.update == "-"
    assert name.target_hw == "x64"
    escaped = cpe.parse(r"cpe:2.3:a:foo\:bar:big\$money:2010:*:*:*:special:ipod_touch:80gb:*")
    assert escaped.value("vendor") == "foo:bar"
    assert escaped.value("product") == "big$money"
    assert str(escaped).startswith(r"cpe:2.3:a:foo\:bar:")


def test_it_reads_the_uri_binding_that_jvn_uses() -> None:
    name = cpe.parse("cpe:/a:openbsd:openssh:9.2p1")
    assert (name.part, name.product_key, name.version) == ("a", "openbsd:openssh", "9.2p1")
    assert cpe.parse("cpe:/o:paloaltonetworks:pan-os").version == "*"


@pytest.mark.parametrize(
    "text",
    [
        "cpe:2.3:a:openbsd",
        "cpe:2.3:x:a:b:c:d:e:f:g:h:i:j",
        "not-a-cpe",
        "cpe:2.3:a:b:c:d:e:f:g:h:i:j:\\",
    ],
)
def test_it_rejects_malformed_names(text: str) -> None:
    with pytest.raises(cpe.InvalidCpeError):
        cpe.parse(text)


def test_attribute_matching_follows_any_na_and_wildcards() -> None:
    assert cpe.attribute_matches("*", "anything")
    assert cpe.attribute_matches("-", "-")
    assert not cpe.attribute_matches("-", "fips")
    assert cpe.attribute_matches("net*", "netscaler")
    assert not cpe.attribute_matches(r"net\*", "netscaler")
    assert not cpe.attribute_matches("fips", "ndcpp")


def _target(
    key: str, version: str, scheme: str = "generic", platforms: tuple[str, ...] = ()
) -> Target:
    vendor, product = key.split(":")
    return Target(
        cpe.Cpe("*", vendor, product), version, scheme, tuple(cpe.parse(p) for p in platforms)
    )


OPENSSH: list[dict[str, Any]] = [
    {
        "nodes": [
            {
                "operator": "OR",
                "cpeMatch": [
                    {
                        "vulnerable": True,
                        "criteria": "cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*",
                        "versionStartIncluding": "8.5p1",
                        "versionEndExcluding": "9.8p1",
                    }
                ],
            }
        ]
    }
]


@pytest.mark.parametrize(
    ("version", "expected"), [("8.4p1", False), ("8.5p1", True), ("9.7p1", True), ("9.8p1", False)]
)
def test_it_evaluates_version_ranges(version: str, expected: bool) -> None:
    result = evaluate(OPENSSH, _target("openbsd:openssh", version, "openssh")).result
    assert result is expected


# A vulnerable firmware only on some hardware: "running on" as an AND of two OR nodes.
FIRMWARE_ON_HARDWARE: list[dict[str, Any]] = [
    {
        "operator": "AND",
        "nodes": [
            {
                "operator": "OR",
                "cpeMatch": [
                    {
                        "vulnerable": True,
                        "criteria": "cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*",
                        "versionStartIncluding": "7.2.0",
                        "versionEndExcluding": "7.2.7",
                    }
                ],
            },
            {
                "operator": "OR",
                "cpeMatch": [
                    {
                        "vulnerable": False,
                        "criteria": "cpe:2.3:h:fortinet:fortigate-60f:-:*:*:*:*:*:*:*",
                    }
                ],
            },
        ],
    }
]


def test_an_unobservable_platform_makes_the_result_unknown_not_false() -> None:
    evaluation = evaluate(FIRMWARE_ON_HARDWARE, _target("fortinet:fortios", "7.2.3", "fortios"))
    assert evaluation.result is None
    assert evaluation.hits[0][1].describe() == ">= 7.2.0, < 7.2.7"
    assert (
        evaluate(FIRMWARE_ON_HARDWARE, _target("fortinet:fortios", "7.2.7", "fortios")).result
        is False
    )


def test_a_known_platform_decides_the_and_node() -> None:
    config: list[dict[str, Any]] = [
        {
            "operator": "AND",
            "nodes": [
                OPENSSH[0]["nodes"][0],
                {
                    "operator": "OR",
                    "cpeMatch": [
                        {
                            "vulnerable": False,
                            "criteria": "cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*",
                        }
                    ],
                },
            ],
        }
    ]
    on_debian = _target(
        "openbsd:openssh", "9.2p1", "openssh", ("cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*",)
    )
    assert evaluate(config, on_debian).result is True
    negated = [
        {**config[0], "nodes": [config[0]["nodes"][0], {**config[0]["nodes"][1], "negate": True}]}
    ]
    assert evaluate(negated, on_debian).result is False


def test_platform_only_vulnerable_matches_never_flag_the_service() -> None:
    config = [{"nodes": [{"operator": "OR", "cpeMatch": [
        {"vulnerable": True, "criteria": "cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*"}]}]}]  # fmt: skip
    on_debian = _target(
        "openbsd:openssh", "9.2p1", "openssh", ("cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*",)
    )
    assert evaluate(config, on_debian).result is False


def test_update_field_is_folded_into_vendor_versions() -> None:
    config = [{"nodes": [{"operator": "OR", "cpeMatch": [
        {"vulnerable": True, "criteria": "cpe:2.3:o:paloaltonetworks:pan-os:10.2.8:h1:*:*:*:*:*:*"},
        {"vulnerable": True, "criteria": "cpe:2.3:a:ivanti:connect_secure:22.6:r2:*:*:*:*:*:*"}]}]}]  # fmt: skip
    assert evaluate(config, _target("paloaltonetworks:pan-os", "10.2.8-h1", "panos")).result
    assert not evaluate(config, _target("paloaltonetworks:pan-os", "10.2.8-h3", "panos")).result
    assert evaluate(config, _target("ivanti:connect_secure", "22.6R2", "ivanti")).result


def test_changes_apply_only_within_their_hotfix_line() -> None:
    pan = VersionRange(
        "panos",
        start_including="11.1.0",
        end_excluding="11.1.2-h3",
        changes=(("11.1.0-h3", "unaffected"), ("11.1.1-h1", "unaffected")),
    )
    assert pan.contains("11.1.0-h2") is True
    assert pan.contains("11.1.0-h3") is False
    assert pan.contains("11.1.1") is True  # 11.1.0-h3 does not fix the 11.1.1 line
    assert pan.contains("11.1.1-h1") is False
    assert pan.contains("11.1.2") is True
    assert pan.contains("11.1.2-h3") is False
    assert pan.contains("garbage") is None
