"""Every exception of the webhooks and provider clients: refusals, ignored events, provider faults.

Cogs catch the provider errors (a checkout that cannot be created), the inbox processor the
rest; both import them from here, so no module has to reach into another's internals.
"""

from __future__ import annotations

from models.errors import ShopError


class Refused(Exception):
    """A request turned away before anything was stored; becomes a JSON error response."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class BadSignature(Refused):
    """The request's signature or token does not verify: 401."""

    def __init__(self, message: str = "signature does not verify") -> None:
        super().__init__(401, message)


class MalformedBody(Refused):
    """The body is not what the provider sends: 400."""

    def __init__(self, message: str) -> None:
        super().__init__(400, message)


class EventIgnored(Exception):
    """A genuine event that asks nothing of the shop (another integration's session, ...)."""


class OrderNotYetKnown(Exception):
    """An event naming an order only by a payment handle arrived before the event that
    stored the handle (a refund before the checkout completion): retried later."""


class ProviderError(ShopError):
    """A provider call that did not do what the shop asked; `detail` is for the log."""

    customer_message = "The payment provider could not take this request."

    def __init__(self, detail: str) -> None:
        super().__init__(self.customer_message)
        self.detail = detail

    def __str__(self) -> str:
        return self.detail


class ProviderUnavailable(ProviderError):
    """A provider call failed in a way worth retrying (network, 5xx, timeout)."""

    customer_message = "The payment provider is not reachable right now; try again shortly."


class ProviderRefused(ProviderError):
    """A provider rejected a request the shop made (bad parameters, bad credentials)."""

    customer_message = "The payment provider refused this payment; try another way to pay."


class RefundNotMade(ShopError):
    """A refund the provider refused or could not be asked for; the message is for the admin."""
