"""Tortoise models and the domain operations that own the shop's invariants."""

from models.catalog import Package, Product
from models.customer import Customer, WalletTransaction
from models.job import Job
from models.order import Order, OrderEvent
from models.stock_item import StockItem
from models.webhook_event import BotState, IdempotencyRecord, WebhookEvent

__all__ = [
    "BotState",
    "Customer",
    "IdempotencyRecord",
    "Job",
    "Order",
    "OrderEvent",
    "Package",
    "Product",
    "StockItem",
    "WalletTransaction",
    "WebhookEvent",
]
