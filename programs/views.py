"""programs views."""
