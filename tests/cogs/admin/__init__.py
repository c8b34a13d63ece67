"""Tests for cogs/admin/."""
