"""Local stand-ins for the payment providers' HTTP APIs, for the demo and the tests."""
