"""Ecwid: order webhooks in (receive.py), carts split into line orders (cart.py), orders
re-fetched and their fulfilment set (client.py, fulfilment.py)."""

from webhooks.ecwid.fulfilment import update_storefront

__all__ = ["update_storefront"]
