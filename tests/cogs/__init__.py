"""Tests for cogs."""
