"""umkm models."""
