"""Discord adapters: a package (or a single module) per feature; `_` names are never extensions."""
