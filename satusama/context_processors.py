"""The current tenant for every template; never queries tenant-owned tables (it also runs on 404 pages)."""


def tenant(request):
    return {
        "tenant": getattr(request, "tenant", None),
        "is_tenant_admin": getattr(request, "is_tenant_admin", False),
    }
