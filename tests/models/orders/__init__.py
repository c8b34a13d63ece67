"""Tests for models/orders."""
