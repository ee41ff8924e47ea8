"""What the vulnerability intelligence needs to know of a service someone observed.

The scanning engine's ``Service`` (``mamoru.asm.engine.model``) has these attributes, so
the matcher takes it as it is; this app never imports the engine (the attack-surface
platform, a layer above, calls this one). ``ObservedProduct`` is the same record for the
callers that have no scan: a banner typed at ``mamoru vulns match``, a stored row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


class ServiceLike(Protocol):
    @property
    def ip(self) -> str: ...

    @property
    def port(self) -> int: ...

    @property
    def service(self) -> str: ...

    @property
    def transport(self) -> str: ...

    @property
    def product(self) -> str | None: ...

    @property
    def vendor(self) -> str | None: ...

    @property
    def version(self) -> str | None: ...

    @property
    def cpe(self) -> str | None: ...

    @property
    def hostname(self) -> str | None: ...

    @property
    def extra(self) -> Mapping[str, str]: ...


@dataclass(frozen=True, slots=True)
class ObservedProduct:
    """A product and version seen on an address and port (a ``ServiceLike``)."""

    ip: str
    port: int
    service: str
    transport: str = "tcp"
    product: str | None = None
    vendor: str | None = None
    version: str | None = None
    cpe: str | None = None
    hostname: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
