"""Orders: lifecycle, facts, effects, purchases, entitlements, the orders-channel embeds."""
