"""The inbox of provider callbacks, stored before they are answered, and API idempotency keys."""
