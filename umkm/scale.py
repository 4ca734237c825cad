"""UMKM scale per PP 7/2021 Pasal 35 and "naik kelas": pure functions, no database, no request."""

from __future__ import annotations

MIKRO = "mikro"
KECIL = "kecil"
MENENGAH = "menengah"
BESAR = "besar"  # above the menengah limits: outside UMKM

# Order of the scales, for "moved up a scale".
RANK = {MIKRO: 0, KECIL: 1, MENENGAH: 2, BESAR: 3}

JUTA = 1_000_000
MILIAR = 1_000 * JUTA

# Upper limits, inclusive ("up to Rp1 miliar" includes Rp1 miliar itself).
CAPITAL_LIMITS = ((MIKRO, 1 * MILIAR), (KECIL, 5 * MILIAR), (MENENGAH, 10 * MILIAR))
SALES_LIMITS = ((MIKRO, 2 * MILIAR), (KECIL, 15 * MILIAR), (MENENGAH, 50 * MILIAR))

CAPITAL = "capital"
SALES = "sales"
DECLARED = "declared"


def _by_limits(amount: int, limits: tuple[tuple[str, int], ...]) -> str:
    if amount < 0:
        raise ValueError("a money amount cannot be negative")
    for scale, limit in limits:
        if amount <= limit:
            return scale
    return BESAR


def scale_by_capital(capital: int) -> str:
    """Scale from business capital (modal usaha, excluding land and buildings)."""
    return _by_limits(capital, CAPITAL_LIMITS)


def scale_by_sales(annual_sales: int) -> str:
    """Scale from annual sales (hasil penjualan tahunan)."""
    return _by_limits(annual_sales, SALES_LIMITS)


def derive_scale(
    *, capital: int | None, annual_sales: int | None, declared: str = "", at_registration: bool = False
) -> tuple[str, str]:
    """(scale, basis) from the figures known; the declared scale only when there are no figures.

    PP 7/2021 uses capital when a business is first registered and annual sales afterwards; either figure
    stands in for the other when only one is known.
    """
    order = ((capital, scale_by_capital, CAPITAL), (annual_sales, scale_by_sales, SALES))
    if not at_registration:
        order = order[::-1]
    for amount, rule, basis in order:
        if amount is not None:
            return rule(amount), basis
    if declared:
        return declared, DECLARED
    return "", ""


def moved_up(before: str, after: str) -> bool:
    """Naik kelas: the later scale ranks above the earlier one (mikro → kecil → menengah)."""
    if before not in RANK or after not in RANK:
        return False
    return RANK[after] > RANK[before]


def naik_kelas(scales: list[str]) -> bool:
    """Whether a business moved up between any two consecutive reports (scales in date order)."""
    known = [s for s in scales if s in RANK]
    return any(moved_up(a, b) for a, b in zip(known, known[1:], strict=False))
