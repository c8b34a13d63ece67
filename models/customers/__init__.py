"""Customers and their wallets: the append-only ledger whose sum is the balance."""
