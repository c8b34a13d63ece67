"""Tests for cogs/shop/."""
