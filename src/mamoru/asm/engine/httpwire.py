"""HTTP/1.1 on the wire, shared by identification and the checks."""

from __future__ import annotations


def host_header(ip: str, port: int, hostname: str | None, tls: bool) -> str:
    """The Host header for a request to ``ip:port`` reached as ``hostname``."""
    name = hostname or (f"[{ip}]" if ":" in ip else ip)
    default = 443 if tls else 80
    return name if port == default else f"{name}:{port}"


def request_bytes(method: str, target: str, *, host: str, user_agent: str) -> bytes:
    """One request with no body; ``Connection: close`` bounds the read of the answer."""
    return (
        f"{method} {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {user_agent}\r\n"
        "Accept: */*\r\nConnection: close\r\n\r\n"
    ).encode("latin-1")
