"""umkm views."""
