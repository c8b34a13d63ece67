"""Tests for models/customers."""
