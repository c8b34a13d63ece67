"""Midtrans QRIS: Core API charges out (client.py), notifications in (receive.py)."""

from webhooks.midtrans.client import QrisCharge, create_qris_charge, new_topup_ref, order_ref_for

__all__ = ["QrisCharge", "create_qris_charge", "new_topup_ref", "order_ref_for"]
