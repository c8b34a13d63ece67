"""Tests for webhooks/ecwid."""
