"""Tortoise app "models": domain packages; the tables are re-exported here for Tortoise, aerich."""

from models.audit.tables import AuditEntry
from models.bot_state import BotState
from models.catalog.tables import Package, Product
from models.coupons.tables import Coupon, CouponRedemption
from models.customers.tables import Customer, RestockRequest, TopUp, WalletTransaction
from models.inbox.tables import IdempotencyRecord, WebhookEvent
from models.orders.tables import Order, OrderEvent
from models.outbox.tables import Job
from models.roles.tables import AdoptedRole
from models.stock.tables import StockItem
from models.subscriptions.tables import Subscription

__all__ = [
    "AdoptedRole",
    "AuditEntry",
    "BotState",
    "Coupon",
    "CouponRedemption",
    "Customer",
    "IdempotencyRecord",
    "Job",
    "Order",
    "OrderEvent",
    "Package",
    "Product",
    "RestockRequest",
    "StockItem",
    "Subscription",
    "TopUp",
    "WalletTransaction",
    "WebhookEvent",
]
