"""Inbox leases: webhook_event.claimed_by and lease_until, and an index for the claim.

Several worker processes share the inbox: a row is processed by the worker holding its
lease, and a dead worker's rows are claimable again once lease_until has passed. The
(status, lease_until) index serves "received rows whose lease is free".
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE = """
ALTER TABLE "webhook_event" ADD "claimed_by" VARCHAR(64);
ALTER TABLE "webhook_event" ADD "lease_until" TIMESTAMP;
CREATE INDEX IF NOT EXISTS "idx_webhook_eve_status_a464cc" ON "webhook_event" ("status", "lease_until");
"""

POSTGRES = """
ALTER TABLE "webhook_event" ADD COLUMN IF NOT EXISTS "claimed_by" VARCHAR(64);
ALTER TABLE "webhook_event" ADD COLUMN IF NOT EXISTS "lease_until" TIMESTAMPTZ;
CREATE INDEX IF NOT EXISTS "idx_webhook_eve_status_a464cc" ON "webhook_event" ("status", "lease_until");
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES if db.schema_generator.DIALECT == "postgres" else SQLITE


async def downgrade(db: BaseDBAsyncClient) -> str:
    return ""


MODELS_STATE = (
    "eJztXWtzm7ga/isMn7pzsp3Uadpu5syZIQ7punXsjE3a7tY7jAxyzAZLFETSzG7/+5G4mD"
    "sF2ziY6Fsi6cXwvLq8d/0jrrAOTeel5OoGkRGxH8Uz4R8RgRWkf+T0HgkisKyojzUQMDe9"
    "4YCNU+F64NwhNtAI7VoA04G0SYeOZhsWMTCircg1TdaINTrQQLdRk4uMby5UCb6FZAlt2v"
    "H1L9psIB1+hw7796uo2RAQqKuAiLTvq0h/CduqobOfjvcxQutOXRjQ1BNf5w/12lXyaHlt"
    "A0QuvYHsveaqhk13haLB1iNZYrQebSDCWm8hgjb7PdpGbJd9KPuOAJbw2/1viob4HxOj0e"
    "ECuCaJATNXozZRVUdjRZ3KiqqKNaDUMGJsoK/qeF9/y17h196r129fvzt58/odHeK95rrl"
    "7Q//pyNgfEIPnpEi/vD6AQH+CI8bEagx5DPgXtAeYqxgPsJJyhTSekD6MvwjjXuIchnwYU"
    "OEfDQv9wE9/UB9jMzHgOUlOCuDK3mqSFfX7OdWjvPN9PCTFJn19LzWx1Trize/sHZMl5y/"
    "HNcPET4PlN8F9q/w53gke/Bih9za3i9G45Q/RfZOwCVYRfhBBXpsdoatIWp0ZMT1+NpL8v"
    "zcuC1cU3Gqn6+sQ+Cwv7h+6/VOTt72jk/evDt9/fbt6bvj9SrLdpUtt/PBe7biElwNl2AC"
    "fPaeGej7S2AXAh9QpGCnH3OIsK/Ad9WE6JYs6b9vXpcg+kma9H+XJi/evE4tllHQ0/O6kg"
    "ATYNNzqA7AEcX+ABbFvcD76rdXFfClowoB9vqSCOuQAMOXJpIQf5iOR/kQx0jSZ4WhEeFf"
    "wTScxvYQ8b8LF3mLSJi7hkkM5LxkP/u/pnhQAjmDKHFMhEi/uJK+pJnQH47P0/s/e8A5ZQ"
    "gTlBZ3sVOdNcyBdvcAbF3N9OAeLhqb7Vr1VukWgMCtBy/7YvZ9gbR5jsmUUH7lSaLrvlI5"
    "dI6J6qyH/UwKFacrYJqC7tqMng7SiENPvSUUnCW2BAsgaAor6Dj0dY+8dhM4RMC2Dm3nV2"
    "0JUGyAwM74l2KKpw39xM+lZC77ctm3HUd0d2Vf19I35HqSknO9LVwPMYqxPXj7iOt38LGO"
    "QBgM3400+LSbaMPC9j0wXVhHEFwTcDGwS2Jg33UIXnlSTUYMXPeVioFafFSTtkguZXEpi5"
    "+3XMriXN+1lKUbjka14NqW5STdbmzLbdhU92xZngMTIC1HGivDPka0P6P+cadw11zbhkir"
    "pWHEafZodL6ZXuzH7nxSQdE4KdQzTjI2fUyAqToWRDkHStn0ThHyKb7ZFPdhJNiy6NHsWp"
    "vwIEHM+bAZH/SVo2omdmDeCYuxCQEqOGIThCn455SyKfzXLfvVr8/H42FCajofpMAd3Vyd"
    "y5MXvuOLDjJIDPMaWnXEHN8BkMOYgO7y4wSaoMCXG+jKY/aMCrwIpJm2CLU/wvkWtuaJh3"
    "QHcK0t8VGwdWMdoNRfCaAHYJqQqHQAcnyn/5ZoffYeqETP6xJyTZqzBjpcWZgwCW0CmW4i"
    "5ti1soOOygxcRjRctaPx3NS1r5nETV3c6HHETV2c69yhuAVPmw8vsyH9ToeoS+As64Ccpu"
    "PRkhUcuHRJWPQXoReC5ebIm4ViQQ7lRmp9y1SZ3UgJOQDPsZ6zZxR7yjOEW3nMW4byM3KN"
    "f8BzMUd7YM2l+sLfwYBm83KixYvgd0JlEUK1FLJO08GhPeKOUvHsHK5QtGT/OFDRkisUz5"
    "HrlRQKtr/mCrsyclcevwcUi9BXm9QuAto2C7zihTwcfJInan98IU/PBHrcGffQpl9Bx83Q"
    "+4k0UtTJeCifCbc2QES1sQlnaCJ/Gn+Ugw4b3uM7GPRcj6eKeinLF2cCY4W6gFCfIfoGg8"
    "s/VOniajCir4mJsXikXFgZaIZurhmj1akynsiXk/FIORP8FUMlWGzDhY39I6iuUN6rIpT3"
    "ioXyXkYot8CjiUHOfCiWFmMkPLJyJ+JjnCFFylG19VmoIDXp6rcg0hmENZfptTy6GIze00"
    "Xl09MleDMaeS22i5DXckG3QLqCMWLLUJp89NYgsO9852JtG8KbKiaE9NYcsyC8SS+fQIit"
    "o8zGSTrjnN6ZDptWDWrKJTnkHRRODlcYycqgJgQOVPED8pW/qha4FNlGu13LDBVN2998yO"
    "B3y6Ds22Bt5dHvYHG1jAudWluASqvQtnHO0lLoTlnA5wRVB/LUy1gqf1HKRbg1R4fj0ftw"
    "eFquSyet664F1ZqOmyTVTja0rrtvPJNhbgx4ofQVJ+E+hIIQtBTCWXgvqRJr3KKP8DGjjj"
    "yLYDPabIOHtXE6Mavox9NPhn6MH30BYXQzHIo/nsYj4OOe4xNYM6TYK7Dm/W79Al9FB7u2"
    "P1noGQRtBEwG3V8lDoN0Sa94Bl8wijsMuMOgHZvGgZqOucPgOXK9isMAuat5Pe08ouhcHN"
    "JJr0q+Ua844aiXlmKj43Aji++aut0+mcG0P55cnAlBBuYMTZXJ4Fo+Exj6Fpwhuf95QPuh"
    "9mDQ3qvBhTKRRtMzYWXoXpg689BcTqS+wrwzCyaPUJqrc2YRhnS2URrpenAmAMuYoffySJ"
    "4M+meC9/WG1g5jcVzaqbGYUmTdM3U1ohvCFTDMWjCHBN0DuHdayW94WuI4PM16Dm2suxpR"
    "vf9r4Jym64CBKY32aSW0T0vQPk2j/c0FiBgkx6JUqMrESfbnaHrVaoUm5rlbYbduim9E0x"
    "nHHU9g71oC+3MOILiWBl6AAJMgpc/SQKHdLAqn/5EKhg/AIHQUC8HR7mYoiBJi8mMQIcRk"
    "yEtpMGRNCyoMsP/lL9cDb4zv96ItfWnUl4feII1BaHrjqGx6M7pgjVQ4denH6l7AgjKQhs"
    "M/1KjXAjYxgGmyxLxwHJWNr28U2ReOLZdsFtzQSGzQCiKiriCdCRuHjGWf0mpF5TNlmEx1"
    "DD9DNqum5Ckm8hdFnoykIZslvqxOx0mjG9ayAsgFZjsUEG0JtTvskpoKSIqsIfm4Y76pcN"
    "rTZV5LOk6ScayrpXH5W6m6iVCXQ8ylu82kOwSh7njhVyj/5oHSwiE51Lx6yE+qh6RjET3k"
    "6OYBnJoXP+TQcsW8imLObyhoWQD15gFuPLStrS6prCeS6XgbsDhGxvnbZv6uVfINmJym5Z"
    "xuM6fDWJ56cXwpKh7Kl5UHLaDdgVtYD9ckEYc1B9bAf1UP1gQRh/WngafxCL8tY0/jlwIc"
    "FsZVw09Tm2EiAnUiMwtmXxHzJvEO0L2OntRNcJNLtwq2/ha6C2yjJ3UU28RpUztyOsL8bz"
    "zfsoBlUCSlGzgnFeJ7iPIyVGsXi5Xv4UHevloJJc8rqBoErraEasoeNKDP6dB0ajxFwZ9a"
    "RXkK64n3k2QFFa4H7jhlYZ0LoQHX8TZkGy4gC0uAmcQFnojAExFasZwPNCSdJyI8R65XSU"
    "RY2HhVWD2yWjRK6hEtjvXl4U0NhzfRebbdXEo8oNVBTXwqNTuV1lJh5ZCqkKDN02ZDN3sT"
    "lYNDWbsGxAmiDsLcSCQVVZlwviemNC4+RtUh2/a+b1zywkKyyP8skCRPjuVxJFvHkTxFcZ"
    "HW7Tjdqi7SNni3Li/Sl6Z96UJ+quoioX8ix24Xc10UG+1inpJdG+xiDq51Hhw31HFDXSv3"
    "gQM12XBD3XPkehVD3cFkK7d+P42HbBh1b9xek3QJ0D1rZew2y/s83MtSWSKiPWawhMLCwS"
    "awPFVkXUsnelNa11PEfrUN4h0Ef1XQvfiFzU8VVBLOzDzNNJq0JZppbBC/NveQNr4jroI+"
    "I2WEq6DPketVVFB+bW5Dzti69d72X+dtfy7Y4+MqLtjj42IXLOtLuwGjN6sBc4qsc8n7p5"
    "WwPi3B+jSLdeevwmNX4J0J7Oa7GQputvOutGPtqjS6CK67YwP+w3rETVbBzusUcVMXL87X"
    "jh1+x7X52BKrHV0TI+KFiTab2SYVHb1gxhpKdYJmf8CfNgv8ztwRa3hUYEI7iMSsYSLPpe"
    "f1nurUe+KeiSahzljQuZ13+yzLIOJnS4Sq50W3TbpobyrqwSDVpNsgAizHcZBAs9h1EHFv"
    "996Dr0nnHbqFNlV8KDbZy7NiA6MkFXbNFrs/ax14yS/P4n6IVi37A7VIcz/Ec+R6FT+EZl"
    "hLpt98z+F68R28SapOGFbKeNrELbzx4zGDfLFBK0XWCeibdgkd4JUT4B4Y/hPqYS5Kn6TB"
    "UDpnVvP1M1hS61SefPKTWh1o33vJqrlpsxP50/ijP/Ae322WwLp7i3v41hscTilSXmyzPY"
    "dRVgbhZVWfC6fpUMqpeY4zpzSTN0bFM3k3dTfwe+k7U3W1daIcjw0/gNjw/MKg+053btmW"
    "sHW2c5WSoE1ahxVs3VhijmXY7zgqswr714mpBFuuVckuLEqCRmUtg3JXoFS/upYAkC48LA"
    "ERDOIIwUVRAp2F9wYFTHCAoQuOQWdOWFnH8SiCSjnOy7SmsftfmKEZUpaQfpFG6TEyHwWg"
    "ae7KNekkFV4AYWGCW8GBRKBT/NFhfx0JhBL4TxMMx/vPBPYtdIgQUFKhc4b8y5koBUS/HA"
    "kO9gZqJnhgrBU0vPKqAQmsvBfrWoXPciinBAPR93wUvIkl4IXgV0T1AOEh+tw0fiDn0oEa"
    "Sblp/DlyvYppvC1lvVoUrs+vojxwrA/lWvHO2Vx48HLTwcu+sqDSLcF+rHlZU5aySzN9Z0"
    "YuXw3a4hZbfoft1vvI+jpgA6kL+l45bCiLr80j51HNNaKaA2OCii0KT92g8iwxx34D7B9q"
    "392couSob4C6iZ28Tb8K7CEpx70G7sx6mLvDlByzEQ0/XzeV05/qus8uSo8lrrynuUGxbS"
    "BXdTpVu0LxafxOnz3fkWID5AAtACDjg8oOOqrij0qN33G2Qpgjzy/L4t6Vlm8UB2pn596V"
    "58j1Kt6Vztc2UcbXN9dnghdSMUPXN8xuOZXPBMu1tSVwYHjVUBisMEPSxYebqXIlj5QzAe"
    "h/0yOfOThmqD+UPp9L7OqjMKJArDZ7Go7K5s4E7kx4QuibdCbMgcl2HhUsSJ6KUjbDM6R8"
    "om9j7W6FC/6pwW/eMYwwqVc2LxjfuUJuvdPTCujSUcX377E+fm9ZW/YQbtHjFj1u0atn0Y"
    "PzJcZ3hbfeJ/qPSu14/sjmbr4Po7/Zs70fYXhmy41ESbw21KAR5IN6xUaiLhNStUyl6olh"
    "8pIj3PLXkg3lQG1A3PL3HLlexfIX37IrB/vGaLqo0u3cNrc+C2uAHKfpIshN6M1xcaLmHp"
    "Yi5ZtYWzaxKkeXQ/UZKjfaUMU5VXtLo6LSpLzSafWgKH+L8qCqvbGFVJ0zWe2+YhLTVOdY"
    "z3EwFNcEi9N04vTYd0WwAyxTFR5hNee5OJH78iCoR+U/YYauJ+O+PJ2yRirtadBxWOvg/W"
    "js1aiimyb2KlRdSoMha1gAw2xLfSpo2zhHni1eLGuCDmxG+14ngBC4skjOSim2pMdIOhMZ"
    "u8viNf5y20CITdPyqlvt0byzUqtmAsqD/LpbJaEDCaqGEm2fUDHcvfwUtyTXXFApUr6e2r"
    "aeMh6wp/HRSNA2tKWY450Jeo7K/DIgGsPvj93brtOwE+Ue2k7Na/liJJ3Q2fYRy2FZdRAO"
    "hncQ3Uaul6S/SGBeUOmH6XhUIJ5EJOnT0tCI8K9gGs4hhmuUgMvAKNer0ipU6vBjDzivd4"
    "vQ7g+zH/8HJ4Wx+Q=="
)
