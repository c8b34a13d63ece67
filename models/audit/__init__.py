"""The admin audit trail: who did what, when, to which target."""
