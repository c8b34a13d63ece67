"""Payment-provider webhooks and the admin HTTP API: verify, parse, store, answer, process."""
