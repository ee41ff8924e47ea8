"""A lab of real Debian server software on loopback addresses, for tests and benchmarks."""
