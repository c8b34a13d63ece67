"""Coupon reads for the admin list."""

from __future__ import annotations

from models.coupons.tables import Coupon

LIST_MAX = 25


async def list_coupons(*, include_withdrawn: bool = False) -> list[Coupon]:
    """Newest first, at most LIST_MAX (one embed's fields)."""
    query = Coupon.all() if include_withdrawn else Coupon.filter(active=True)
    return await query.order_by("-created_at", "-id").limit(LIST_MAX)
