"""forums models."""
