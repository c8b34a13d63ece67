"""Read-only reports across domains: the /admin views and the shop statistics."""
