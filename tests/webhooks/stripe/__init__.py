"""Tests for webhooks/stripe."""
