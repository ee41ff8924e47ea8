"""What the vulnerability intelligence tells the layers above it (it imports none of them).

``vulnerabilities_added`` is sent after an import has committed, with

* ``source``: the importer (``kev``, ``cve5``, ``nvd``, ``jvn``, ``osv``…);
* ``kev_ids``: CVE ids that the KEV catalogue did not list before this import;
* ``vulnerability_ids``: vulnerability records this import created or whose affected
  products it replaced (an advisory that may match services it did not match before).

The attack-surface app receives it and alerts the organisations whose services match.
"""

from __future__ import annotations

from django.dispatch import Signal

vulnerabilities_added = Signal()

__all__ = ["vulnerabilities_added"]
