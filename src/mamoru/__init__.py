"""mamoru: the cybersecurity platform for Japan's local governments."""

__version__ = "0.1.0"
