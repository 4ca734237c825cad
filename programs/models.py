"""programs models."""
