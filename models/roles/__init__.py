"""Shop roles held from before Stockroom: adopted, remembered, kept until a strict resync."""
