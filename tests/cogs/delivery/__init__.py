"""Tests for cogs/delivery/."""
