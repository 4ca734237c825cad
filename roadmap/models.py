"""roadmap models."""
