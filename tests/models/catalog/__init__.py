"""Tests for models/catalog."""
