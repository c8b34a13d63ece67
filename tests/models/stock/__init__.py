"""Tests for models/stock."""
