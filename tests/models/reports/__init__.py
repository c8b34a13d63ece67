"""Tests for models/reports."""
