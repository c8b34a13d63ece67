"""How the shop looks: the buying steps, the wallet and My orders, as embeds and components."""
