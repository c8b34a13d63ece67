"""Local stand-ins for the payment providers' HTTP APIs, with state the tests control."""
