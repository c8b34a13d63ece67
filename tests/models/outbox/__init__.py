"""Tests for models/outbox."""
