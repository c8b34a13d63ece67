"""The outbox of jobs: side effects queued with their cause and claimed under a lease."""
