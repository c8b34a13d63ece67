"""The catalog: products, packages, the copy from config.toml, and what the shop panel shows."""
