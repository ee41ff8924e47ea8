"""Port specifications: ``22,80,443``, ``1-1024``, ``top100``, ``top1000``, ``all`` and mixtures.

The ranked list below is mamoru's own, written from what is commonly exposed on the
internet by public bodies and the appliances they buy: web and its alternative ports,
mail, remote administration, databases and caches, VPN and remote-access portals,
file sharing, printers, IoT/ICS and container control planes. It is ordered by how
often each service is met on internet-facing hosts, roughly; ``topN`` takes the first
N. After the curated ranks the list continues with the rest of the well-known range
(1–1023) in ascending order, because that is where unranked IANA services live.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "MAX_PORT",
    "TOP_PORTS",
    "PortSpecError",
    "format_ports",
    "parse_ports",
    "top_ports",
]

MAX_PORT = 65535

# Curated ranks. Each line is a family; the order of lines and within lines is the rank.
_CURATED: tuple[int, ...] = (
    # the ten that matter most: web, remote login, mail, name service, file sharing
    80, 443, 22, 21, 25, 23, 3389, 8080, 110, 143,
    53, 445, 139, 993, 995, 587, 465, 8443, 135, 111,
    # databases and caches exposed by mistake
    3306, 5432, 1433, 6379, 27017, 11211, 1521, 9200, 5984, 9042,
    # remote desktop / administration
    5900, 5985, 5986, 2222, 10000, 8291, 5901, 5800, 2323, 4899,
    # web alternatives seen on appliances and development servers
    8000, 8888, 8081, 81, 8008, 8082, 8001, 4443, 9443, 10443,
    3000, 5000, 9000, 9090, 8090, 8088, 7443, 8181, 8880, 8009,
    # VPN and remote access portals (SSL-VPN, IPsec over TCP, PPTP, OpenVPN)
    1723, 1194, 4433, 8444, 9001, 6443, 2000, 1443, 11443, 4500,
    # directory, authentication and Windows domain services
    389, 636, 88, 464, 3268, 3269, 593, 49152, 49153, 49154,
    # proxies
    3128, 1080, 8118, 8123, 8899, 3129, 6588, 8010, 8085, 8086,
    # telephony and messaging
    5060, 5061, 5222, 5269, 1883, 8883, 5672, 15672, 61616, 6667,
    # file transfer, NFS, printing, storage
    2049, 873, 990, 989, 548, 631, 515, 9100, 3260, 5357,
    # hosting control panels and webmail
    2082, 2083, 2086, 2087, 2095, 2096, 8083, 8089, 8834, 7080,
    # containers, orchestration and cloud-native control planes
    2375, 2376, 2379, 2380, 10250, 10255, 2377, 9091, 9093, 9094,
    # application servers and middleware
    7001, 7002, 8180, 8140, 8161, 4848, 9060, 9080, 9043, 8500,
    # analytics, search and big data
    5601, 9300, 8983, 50070, 50075, 8020, 8032, 7474, 7687, 9092,
    # further databases
    1434, 3050, 5433, 6380, 7000, 7199, 8529, 9160, 26257, 28017,
    # network management, routing and embedded devices
    179, 7547, 8728, 8729, 2869, 7548, 37777, 34567, 554, 8554,
    # industrial control protocols that should never face the internet
    502, 102, 20000, 44818, 47808, 1911, 4911, 2404, 789, 9600,
    # classic UNIX services
    79, 113, 119, 513, 514, 512, 992, 540, 4444, 6000,
    # Windows and Microsoft products
    1025, 1026, 1027, 1028, 1029, 47001, 3387, 3390, 2179, 5722,
    # mail extras
    24, 26, 106, 109, 209, 2525, 4190, 10024, 3535, 10025,
    # backup, monitoring and management agents
    10050, 10051, 9102, 9103, 5666, 6556, 4949, 6060, 199, 8192,
    # more web alternatives
    8002, 8003, 8004, 8005, 8006, 8007, 8011, 8012, 8014, 8015,
    8016, 8018, 8021, 8022, 8031, 8042, 8045, 8060, 8069, 8084,
    8087, 8091, 8095, 8096, 8099, 8100, 8200, 8222, 8300, 8400,
    8800, 8808, 8886, 8889, 8989, 9002, 9003, 9009, 9010, 9083,
    9081, 9082, 9099, 9999, 10001, 10080, 10081, 12345, 16080, 18080,
    # developer tooling frequently left exposed
    3001, 4000, 4200, 5001, 5002, 5555, 6001, 7070, 7777, 8765,
    9229, 9418, 11111, 20080, 30000, 32400, 50000, 55555, 60000, 65535,
)  # fmt: skip


def _build_top_ports() -> tuple[int, ...]:
    seen: dict[int, None] = {}
    for port in _CURATED:
        seen.setdefault(port, None)
    for port in range(1, 1024):
        seen.setdefault(port, None)
    return tuple(seen)


TOP_PORTS: tuple[int, ...] = _build_top_ports()
"""mamoru's ranked list of common internet-facing TCP ports (at least 1,000 entries)."""


class PortSpecError(ValueError):
    """A port specification that cannot be understood; the message names the bad part."""


def top_ports(count: int) -> tuple[int, ...]:
    """The ``count`` highest-ranked ports of :data:`TOP_PORTS`."""
    if not 1 <= count <= len(TOP_PORTS):
        raise PortSpecError(f"top{count}: the ranked list has between 1 and {len(TOP_PORTS)} ports")
    return TOP_PORTS[:count]


def _parse_port(text: str, item: str) -> int:
    if not text.isdigit():
        raise PortSpecError(
            f"bad port spec item {item!r}: expected a port number, a range such as 1-1024, "
            "or a named set (top100, top1000, all)"
        )
    port = int(text)
    if not 1 <= port <= MAX_PORT:
        raise PortSpecError(f"bad port {port} in {item!r}: ports are 1-{MAX_PORT}")
    return port


def _parse_item(item: str) -> Iterable[int]:
    lowered = item.lower()
    if lowered == "all":
        return range(1, MAX_PORT + 1)
    if lowered.startswith("top"):
        digits = lowered[3:]
        if not digits.isdigit():
            raise PortSpecError(f"bad named port set {item!r}: expected top<N>, e.g. top100")
        return top_ports(int(digits))
    if "-" in item:
        low_text, _, high_text = item.partition("-")
        low = _parse_port(low_text.strip(), item)
        high = _parse_port(high_text.strip(), item)
        if low > high:
            raise PortSpecError(f"bad port range {item!r}: the start is above the end")
        return range(low, high + 1)
    return (_parse_port(item, item),)


def parse_ports(spec: str) -> tuple[int, ...]:
    """Parse a port specification into sorted, unique port numbers.

    Items are separated by commas: single ports (``443``), inclusive ranges (``1-1024``),
    ranked sets (``top100``, ``top1000``, any ``top<N>``) and ``all``. Raises
    :class:`PortSpecError` with a message naming the offending item.
    """
    items = [item.strip() for item in spec.split(",")]
    if not spec.strip() or any(not item for item in items):
        raise PortSpecError(f"bad port spec {spec!r}: empty item (check for stray commas)")
    ports: set[int] = set()
    for item in items:
        ports.update(_parse_item(item))
    return tuple(sorted(ports))


def format_ports(ports: Iterable[int]) -> str:
    """The shortest comma-and-range spelling of ``ports`` (the inverse of :func:`parse_ports`)."""
    ordered = sorted(set(ports))
    parts: list[str] = []
    index = 0
    while index < len(ordered):
        start = end = ordered[index]
        while index + 1 < len(ordered) and ordered[index + 1] == end + 1:
            index += 1
            end = ordered[index]
        parts.append(str(start) if start == end else f"{start}-{end}")
        index += 1
    return ",".join(parts)
