"""Tests for webhooks."""
