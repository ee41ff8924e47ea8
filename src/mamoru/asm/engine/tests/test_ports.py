from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mamoru.asm.engine.ports import TOP_PORTS, PortSpecError, format_ports, parse_ports, top_ports


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("22,80,443", (22, 80, 443)),
        ("443,22, 80", (22, 80, 443)),
        ("1-5", (1, 2, 3, 4, 5)),
        ("8080-8080", (8080,)),
        ("5,1-3,2", (1, 2, 3, 5)),
        ("65535", (65535,)),
    ],
)
def test_it_parses_lists_and_ranges(spec: str, expected: tuple[int, ...]) -> None:
    assert parse_ports(spec) == expected


def test_it_mixes_named_sets_lists_and_ranges() -> None:
    ports = parse_ports("top100,8443,9000-9010")
    assert set(TOP_PORTS[:100]) <= set(ports)
    assert {8443, *range(9000, 9011)} <= set(ports)
    assert len(ports) == len(set(TOP_PORTS[:100]) | {8443, *range(9000, 9011)})


def test_all_means_every_port() -> None:
    assert parse_ports("all") == tuple(range(1, 65536))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty item"),
        ("22,,80", "empty item"),
        ("80,", "empty item"),
        ("http", "'http'"),
        ("0", "ports are 1-65535"),
        ("65536", "ports are 1-65535"),
        ("100-1", "start is above the end"),
        ("1-", "'1-'"),
        ("-5", "'-5'"),
        ("top", "top<N>"),
        ("topfifty", "top<N>"),
        ("top0", "between 1 and"),
        ("top99999", "between 1 and"),
        ("22;80", "'22;80'"),
    ],
)
def test_it_rejects_bad_specs_naming_the_bad_part(spec: str, message: str) -> None:
    with pytest.raises(PortSpecError, match=message.replace("(", r"\(").replace("*", r"\*")):
        parse_ports(spec)


def test_the_ranked_lists_are_unique_and_nested() -> None:
    assert len(TOP_PORTS) >= 1000
    assert len(set(TOP_PORTS)) == len(TOP_PORTS)
    assert all(1 <= port <= 65535 for port in TOP_PORTS)
    assert len(parse_ports("top100")) == 100
    assert len(parse_ports("top1000")) == 1000
    assert set(top_ports(100)) < set(top_ports(1000))


def test_the_top_ten_are_the_services_everyone_expects() -> None:
    assert {80, 443, 22, 21, 25, 3389} <= set(top_ports(10))
    # services the identification and checks engineers cover are all within the top 100
    assert {110, 143, 3306, 5432, 6379, 11211, 23, 445, 10443, 4443} <= set(top_ports(100))


# Drawing sets of up to 300 ports can take over a second on a loaded machine (seen with -n 2).
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.sets(st.integers(min_value=1, max_value=65535), min_size=1, max_size=300))
def test_format_and_parse_round_trip(ports: set[int]) -> None:
    spec = format_ports(ports)
    assert parse_ports(spec) == tuple(sorted(ports))
    assert format_ports(parse_ports(spec)) == spec


@given(st.integers(min_value=1, max_value=65535), st.integers(min_value=0, max_value=500))
def test_a_range_yields_exactly_its_ports(start: int, length: int) -> None:
    end = min(65535, start + length)
    assert parse_ports(f"{start}-{end}") == tuple(range(start, end + 1))
    assert format_ports(range(start, end + 1)) == (str(start) if start == end else f"{start}-{end}")
