"""Coupons: codes that take a percent or a fixed amount off an order, counted per use."""
