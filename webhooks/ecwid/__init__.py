"""Ecwid: order webhooks in (receive.py); orders re-fetched, fulfilment set (client.py)."""

from webhooks.ecwid.client import update_storefront

__all__ = ["update_storefront"]
