"""Ecwid: signed order webhooks in; the order re-fetched and fulfilment updated over REST."""
