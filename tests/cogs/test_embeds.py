"""Every embed the bot sends stays inside Discord's limits."""

from __future__ import annotations

import disnake
from hypothesis import given
from hypothesis import strategies as st

from cogs._embeds import COMPLETED, DISPUTED, colour_for, fit

texts = st.text(min_size=1, max_size=5000)


@given(
    title=texts,
    description=texts,
    footer=texts,
    fields=st.lists(st.tuples(texts, texts), max_size=40),
)
def test_fit_keeps_every_limit(title, description, footer, fields) -> None:
    embed = disnake.Embed(title=title, description=description)
    embed.set_footer(text=footer)
    for name, value in fields:
        embed.add_field(name=name, value=value)
    fit(embed)
    assert len(embed) <= 6000
    assert len(embed.title or "") <= 256
    assert len(embed.description or "") <= 4096
    assert len(embed.fields) <= 25
    assert all(len(f.name) <= 256 and len(f.value) <= 1024 for f in embed.fields)
    assert len(embed.footer.text or "") <= 2048


def test_small_embed_is_unchanged() -> None:
    embed = disnake.Embed(title="Order SR-1", description="Paid")
    embed.add_field(name="Amount", value="$5.00")
    fit(embed)
    assert (embed.title, embed.description, embed.fields[0].value) == (
        "Order SR-1",
        "Paid",
        "$5.00",
    )


def test_status_colours() -> None:
    assert colour_for("delivered") == COMPLETED
    assert colour_for("disputed") == DISPUTED
