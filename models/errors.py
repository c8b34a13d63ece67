"""Domain errors that carry a message fit to show the customer or admin who caused them."""

from __future__ import annotations


class ShopError(Exception):
    """A refusal the user can act on; `message` is shown to them as it is (ephemeral)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ShopError):
    """A product, order, customer or package that does not exist."""


class InvalidInput(ShopError):
    """An argument that is malformed or out of range."""


class InsufficientFunds(ShopError):
    """The wallet balance does not cover the purchase."""


class OutOfStock(ShopError):
    """Not enough codes to sell right now."""


class InvalidTransition(ShopError):
    """An admin asked for a status change the order's lifecycle does not allow."""


class PurchaseOnHold(ShopError):
    """The buyer owes the wallet money, or a top-up of theirs is disputed: no purchase now."""
