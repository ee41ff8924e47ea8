import itertools
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mamoru.vulns import versions
from mamoru.vulns.versions import InvalidVersionError, dpkg, rpm


@pytest.mark.parametrize(
    ("scheme", "lower", "higher"),
    [
        ("dpkg", "1:9.2p1-2+deb12u2", "1:9.2p1-2+deb12u3"),
        ("dpkg", "9.2p1-2+deb12u3", "1:8.0-1"),  # the epoch wins
        ("dpkg", "1.0~rc1-1", "1.0-1"),  # ~ sorts before the end
        ("dpkg", "1.0-1", "1.0-1+b1"),
        ("dpkg", "1:8.9p1-3ubuntu0.9", "1:8.9p1-3ubuntu0.10"),
        ("rpm", "0:8.7p1-38.el9", "0:8.7p1-38.el9_4.1"),
        ("rpm", "1.0~rc1", "1.0"),
        ("rpm", "1.0", "1.0^git1"),
        ("rpm", "1.0^git1", "1.0.1"),
        ("rpm", "1.0a", "1.0.1"),  # numbers are newer than letters
        ("rpm", "8.7p1-38.el9", "1:8.0-1"),
        ("generic", "1.2.0-rc1", "1.2.0"),
        ("generic", "2.4.49", "2.4.50"),
        ("generic", "1.1.1", "1.1.1w"),
        ("generic", "1.9", "1.10"),
        ("fortios", "7.2.6", "7.2.7"),
        ("fortios", "7.0.14", "7.2.0"),
        ("panos", "10.2.9", "10.2.9-h1"),
        ("panos", "10.2.9-h1", "10.2.10"),
        ("panos", "11.1.0-h3", "11.1.1"),
        ("ivanti", "22.7R2", "22.7R2.3"),
        ("ivanti", "9.1R18.2", "22.1R1"),
        ("ivanti", "22.7R1.1", "22.7R2"),
        ("netscaler", "13.1-49.9", "13.1-49.15"),  # build numbers are numbers, not decimals
        ("netscaler", "13.0-92.19", "13.1-4.42"),
        ("openssh", "9.2p1", "9.8p1"),
        ("openssh", "9.8", "9.8p1"),
        ("openssh", "8.9p1", "9.0"),
    ],
)
def test_it_orders_versions(scheme: str, lower: str, higher: str) -> None:
    assert versions.compare(scheme, lower, higher) < 0
    assert versions.compare(scheme, higher, lower) > 0
    assert versions.compare(scheme, lower, lower) == 0


@pytest.mark.parametrize(
    ("scheme", "a", "b"),
    [("generic", "1.2", "1.2.0"), ("generic", "v1.2.3", "1.2.3"), ("rpm", "1.0", "1_0")],
)
def test_it_treats_spellings_of_one_version_as_equal(scheme: str, a: str, b: str) -> None:
    assert versions.compare(scheme, a, b) == 0


@pytest.mark.parametrize(
    ("scheme", "text"),
    [("dpkg", "a:1.0"), ("dpkg", "abc"), ("dpkg", ""), ("panos", "ten"), ("ivanti", "R2")],
)
def test_it_rejects_unreadable_versions(scheme: str, text: str) -> None:
    with pytest.raises(InvalidVersionError):
        versions.compare(scheme, text, "1.0")


def test_it_knows_hotfix_lines() -> None:
    assert versions.same_line("panos", "11.1.0-h3", "11.1.0-h1")
    assert not versions.same_line("panos", "11.1.0-h3", "11.1.1")
    assert versions.same_line("generic", "1.0", "2.0")


def test_it_chooses_vendor_schemes_by_product() -> None:
    assert versions.scheme_for_product("paloaltonetworks:pan-os") == "panos"
    assert versions.scheme_for_product("citrix:netscaler") == "netscaler"
    assert versions.scheme_for_product("apache:http_server") == "generic"


# Versions assembled from pieces that exercise every rule: epochs, ~, ^, +, letters.
_PIECES = ["0", "1", "2", "10", "a", "b", "z", "~", "+", ".", "~rc1", "p1", "deb12u", "ubuntu0."]
_digit = st.sampled_from(["0", "1", "2", "9", "10"])


def _joined(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda first, rest: first + "".join(rest),
        _digit,
        st.lists(st.sampled_from(pieces), max_size=4),
    )


debian_versions = st.builds(
    lambda epoch, up, rev: f"{epoch}{up}" + (f"-{rev}" if rev else ""),
    st.sampled_from(["", "", "1:", "2:"]),
    _joined(_PIECES),
    st.one_of(st.just(""), _joined(_PIECES)),
)
rpm_versions = st.builds(
    lambda up, rel: up + (f"-{rel}" if rel else ""),
    _joined([*_PIECES, "^", "^git1", "_"]),
    st.one_of(st.just(""), _joined(["1", "2", ".el9", ".el8", "_4", ".1"])),
)
generic_versions = _joined(["0", "1", "2", "10", ".", "-", "rc1", "beta", "a", "b"])


def _sign(number: int) -> int:
    return (number > 0) - (number < 0)


@pytest.mark.parametrize(
    ("scheme", "strategy"),
    [("dpkg", debian_versions), ("rpm", rpm_versions), ("generic", generic_versions)],
)
def test_ordering_is_antisymmetric_and_transitive(
    scheme: str, strategy: st.SearchStrategy[str]
) -> None:
    @settings(max_examples=200, deadline=None)
    @given(strategy, strategy, strategy)
    def check(a: str, b: str, c: str) -> None:
        ab, bc, ac = (versions.compare(scheme, x, y) for x, y in ((a, b), (b, c), (a, c)))
        assert _sign(ab) == -_sign(versions.compare(scheme, b, a))
        if ab <= 0 and bc <= 0:
            assert ac <= 0
        if ab == 0 and bc == 0:
            assert ac == 0

    check()


def _dpkg_says(a: str, op: str, b: str) -> bool:
    return subprocess.run(["dpkg", "--compare-versions", a, op, b], check=False).returncode == 0


@settings(max_examples=120, deadline=None)
@given(debian_versions, debian_versions)
def test_it_agrees_with_dpkg(a: str, b: str) -> None:
    ours = _sign(dpkg.compare(a, b))
    theirs = -1 if _dpkg_says(a, "lt", b) else (0 if _dpkg_says(a, "eq", b) else 1)
    assert ours == theirs, (a, b)


def test_it_agrees_with_dpkg_on_real_openssh_revisions() -> None:
    ladder = [
        "1:9.2p1-2",
        "1:9.2p1-2+deb12u1",
        "1:9.2p1-2+deb12u2",
        "1:9.2p1-2+deb12u3",
        "1:9.7p1-7",
    ]
    for lower, higher in itertools.pairwise(ladder):
        assert dpkg.compare(lower, higher) < 0
        assert _dpkg_says(lower, "lt", higher)


def test_rpm_parses_epoch_version_release() -> None:
    assert rpm.parse("0:8.7p1-38.el9_4.1") == rpm.Evr(0, "8.7p1", "38.el9_4.1")
    assert rpm.parse("8.7p1") == rpm.Evr(0, "8.7p1", "")
