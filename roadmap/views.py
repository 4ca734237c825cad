"""roadmap views."""
