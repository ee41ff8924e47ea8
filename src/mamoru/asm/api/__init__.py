"""The attack-surface REST API (``/api/v1/asm/``): assets, scans, services, findings."""
