from __future__ import annotations

import asyncio
import ipaddress
import re
import time
from collections.abc import Coroutine
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mamoru.asm.engine.model import Target
from mamoru.asm.engine.targets import (
    TargetError,
    TargetGroup,
    TargetPlan,
    build_plan,
    parse_resolver,
    parse_target,
    read_targets_file,
    scope_violation,
)
from mamoru.asm.engine.tests.fakedns import fake_dns

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


@pytest.mark.parametrize(
    ("text", "network", "hostname", "ports"),
    [
        ("8.8.8.8", "8.8.8.8/32", None, ()),
        (" 8.8.4.0/24 ", "8.8.4.0/24", None, ()),
        ("8.8.4.7/24", "8.8.4.0/24", None, ()),
        ("2606:4700::1111", "2606:4700::1111/128", None, ()),
        ("[2606:4700::1111]:8443", "2606:4700::1111/128", None, (8443,)),
        ("www.City.Example.lg.jp.", None, "www.city.example.lg.jp", ()),
        ("mail.example.jp:587", None, "mail.example.jp", (587,)),
        ("https://www.example.jp/login?x=1", None, "www.example.jp", (443,)),
        ("http://www.example.jp:8080/", None, "www.example.jp", (8080,)),
        ("ssh://8.8.8.8", "8.8.8.8/32", None, (22,)),
        ("https://[2606:4700::1111]:10443/remote/login", "2606:4700::1111/128", None, (10443,)),
        ("gopher://www.example.jp/", None, "www.example.jp", ()),
        ("例え.jp", None, "xn--r8jz45g.jp", ()),
    ],
)
def test_it_parses_every_kind_of_target(
    text: str, network: str | None, hostname: str | None, ports: tuple[int, ...]
) -> None:
    spec = parse_target(text)
    assert (str(spec.network) if spec.network else None) == network
    assert spec.hostname == hostname
    assert spec.ports == ports


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty target"),
        ("foo..bar", "not a valid hostname"),
        ("-bad-.example.jp", "not a valid hostname"),
        ("exa mple.jp", "not a valid hostname"),
        ("8.8.8.8/33", "not a valid CIDR range"),
        ("https://", "has no host"),
        ("http://www.example.jp:99999/", "not a valid URL"),
        ("www.example.jp:0", "bad port"),
        ("www.example.jp:http", "bad port"),
    ],
)
def test_it_rejects_what_is_not_a_target(text: str, message: str) -> None:
    with pytest.raises(TargetError, match=message):
        parse_target(text)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.10.1", "private"),
        ("127.0.0.1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("100.64.0.1", "CGNAT"),
        ("224.0.0.251", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 - a scope check, nothing binds
        ("192.0.2.10", "documentation"),
        ("198.51.100.1", "documentation"),
        ("203.0.113.9", "documentation"),
        ("198.18.0.1", "benchmarking"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fd00::1", "unique local"),
        ("ff02::1", "multicast"),
        ("2001:db8::1", "documentation"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
    ],
)
def test_it_refuses_non_public_addresses_and_says_why(address: str, reason: str) -> None:
    assert reason in (scope_violation(ipaddress.ip_address(address)) or "")
    with pytest.raises(TargetError, match=f"'{address}' is out of scope: .*{reason}"):
        run(build_plan([address]))
    plan = run(build_plan([address], allow_private=True))
    assert plan.address_count() == 1


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2606:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_in_scope(address: str) -> None:
    assert scope_violation(ipaddress.ip_address(address)) is None
    assert run(build_plan([address])).address_count() == 1


def test_a_range_that_merely_overlaps_a_refused_one_is_refused() -> None:
    with pytest.raises(
        TargetError, match=r"'172.0.0.0/8' is out of scope: private .*172.16.0.0/12"
    ):
        run(build_plan(["172.0.0.0/8"]))


def test_a_range_larger_than_a_slash_8_is_refused_even_when_private_is_allowed() -> None:
    with pytest.raises(TargetError, match="larger than the limit"):
        run(build_plan(["8.0.0.0/7"], allow_private=True))
    with pytest.raises(TargetError, match="larger than the limit"):
        run(build_plan(["2606:4700::/64"]))


def test_it_reports_every_bad_target_at_once() -> None:
    with pytest.raises(TargetError) as raised:
        run(build_plan(["8.8.8.8", "10.0.0.1", "foo..bar", "192.168.0.0/24"]))
    message = str(raised.value)
    assert "'10.0.0.1'" in message
    assert "'foo..bar'" in message
    assert "'192.168.0.0/24'" in message
    assert "8.8.8.8" not in message


def test_an_empty_target_list_is_an_error() -> None:
    with pytest.raises(TargetError, match="no targets"):
        run(build_plan([]))


def test_an_ipv4_mapped_address_is_scanned_as_ipv4() -> None:
    plan = run(build_plan(["::ffff:8.8.8.8"]))
    assert [target.ip for target, _ in plan.items([80])] == ["8.8.8.8"]


def test_a_slash_8_is_iterated_lazily() -> None:
    plan = run(build_plan(["10.0.0.0/8"], allow_private=True))
    started = time.perf_counter()
    assert plan.address_count() == 1 << 24
    assert plan.probe_count([80, 443]) == 2 << 24
    first = [target.ip for target, _ in islice(plan.items([80]), 3)]
    assert first == ["10.0.0.0", "10.0.0.1", "10.0.0.2"]
    assert time.perf_counter() - started < 0.5  # materialising 16M addresses takes far longer


def test_url_ports_are_scanned_besides_the_port_spec() -> None:
    plan = run(build_plan(["https://8.8.8.8:8443/", "1.1.1.1"]))
    assert list(plan.items((22, 443))) == [
        (Target("8.8.8.8"), (22, 443, 8443)),
        (Target("1.1.1.1"), (22, 443)),
    ]
    assert plan.probe_count((22, 443)) == 5


@given(
    st.one_of(
        st.builds(
            lambda n, p: ipaddress.IPv4Network((n, p), strict=False),
            st.integers(0, 2**32 - 1),
            st.integers(22, 32),
        ),
        st.builds(
            lambda n, p: ipaddress.IPv6Network((n, p), strict=False),
            st.integers(0, 2**128 - 1),
            st.integers(118, 128),
        ),
    )
)
def test_range_iteration_yields_each_address_once_in_order(network: Any) -> None:
    group = TargetGroup(parse_target(str(network)), network=network)
    addresses = [target.ip for target in group]
    assert group.count() == network.num_addresses == len(addresses)
    assert addresses == [str(address) for address in network]


def test_targets_files_skip_blank_lines_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "targets.txt"
    path.write_text(
        "# 庁内から見える公開サーバ\n8.8.8.8\n\n  1.1.1.0/30   # DNS\nwww.example.jp\n",
        encoding="utf-8",
    )
    assert read_targets_file(path) == ["8.8.8.8", "1.1.1.0/30", "www.example.jp"]
    with pytest.raises(TargetError, match="cannot read targets file"):
        read_targets_file(tmp_path / "missing.txt")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1", ("127.0.0.1", 53)),
        ("127.0.0.1:5353", ("127.0.0.1", 5353)),
        ("::1", ("::1", 53)),
        ("[::1]:5353", ("::1", 5353)),
    ],
)
def test_resolver_specs(text: str, expected: tuple[str, int]) -> None:
    assert parse_resolver(text) == expected


@pytest.mark.parametrize("text", ["ns.example.jp", "127.0.0.1:dns", "127.0.0.1:0", "[::1]:70000"])
def test_bad_resolver_specs(text: str) -> None:
    with pytest.raises(TargetError, match="resolver"):
        parse_resolver(text)


ZONE = {
    ("www.example.test", "A"): ["8.8.8.8", "8.8.4.4"],
    ("www.example.test", "AAAA"): ["2606:4700::1111"],
    ("intranet.example.test", "A"): ["8.8.8.8", "10.0.0.5"],
    ("v6only.example.test", "AAAA"): ["2606:4700::1001"],
    ("empty.example.test", "TXT"): ['"v=spf1 -all"'],
    ("lab.example.test", "A"): ["127.0.0.1"],
}


def test_hostnames_resolve_through_the_configured_resolver() -> None:
    async def scenario() -> tuple[TargetPlan, list[str]]:
        async with fake_dns(ZONE) as (resolver, server):
            plan = await build_plan(
                ["www.example.test", "v6only.example.test"], resolver=resolver, timeout=2
            )
            return plan, server.queries

    plan, queries = run(scenario())
    assert sorted((t.ip, t.hostname) for t, _ in plan.items([443])) == [
        ("2606:4700::1001", "v6only.example.test"),
        ("2606:4700::1111", "www.example.test"),
        ("8.8.4.4", "www.example.test"),
        ("8.8.8.8", "www.example.test"),
    ]
    assert plan.hostnames() == ("www.example.test", "v6only.example.test")
    assert "www.example.test/AAAA" in queries


@pytest.mark.parametrize(
    ("name", "allow_private", "message"),
    [
        ("intranet.example.test", False, "resolves to 10.0.0.5, which is out of scope: private"),
        ("lab.example.test", False, "resolves to 127.0.0.1, which is out of scope: loopback"),
        ("missing.example.test", True, "no A or AAAA records"),
        ("empty.example.test", True, "no A or AAAA records"),
    ],
)
def test_resolution_problems_name_the_target(name: str, allow_private: bool, message: str) -> None:
    async def scenario() -> None:
        async with fake_dns(ZONE) as (resolver, _):
            await build_plan([name], resolver=resolver, allow_private=allow_private, timeout=2)

    with pytest.raises(TargetError, match=re.escape(f"'{name}'") + ".*" + re.escape(message)):
        run(scenario())


def test_a_private_answer_is_accepted_when_private_is_allowed() -> None:
    async def scenario() -> TargetPlan:
        async with fake_dns(ZONE) as (resolver, _):
            return await build_plan(["lab.example.test"], resolver=resolver, allow_private=True)

    assert [t.ip for t, _ in run(scenario()).items([80])] == ["127.0.0.1"]


def test_an_unanswering_resolver_is_a_clear_error() -> None:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:  # bound, never answers
        silent.bind(("127.0.0.1", 0))
        port = silent.getsockname()[1]
        with pytest.raises(TargetError, match=r"'www\.example\.test': could not be resolved"):
            run(build_plan(["www.example.test"], resolver=f"127.0.0.1:{port}", timeout=0.3))
