"""Lifecycle tests: the real `python bot.py` process started, signalled, killed and restarted."""
