"""forums views."""
