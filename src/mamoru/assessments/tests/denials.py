"""Who is refused each URL of the assessments app (filled as the URLs are routed)."""

from mamoru.testing import Denial

DENIALS: list[Denial] = []
