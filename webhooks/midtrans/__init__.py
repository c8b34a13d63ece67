"""Midtrans QRIS: Core API charges out, notifications in (confirmed by GET status)."""
