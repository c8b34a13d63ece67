"""Tests for webhooks/midtrans."""
