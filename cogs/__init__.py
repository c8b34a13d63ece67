"""Discord adapters: one extension module per feature; modules starting with _ are helpers."""
