"""End-to-end tests: the real bot against the Discord emulator."""
