"""Stock codes: encrypted at rest, imported in bulk, reserved atomically, revealed under audit."""
