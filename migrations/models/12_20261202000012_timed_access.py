"""Timed access and subscriptions: product.duration_days and interval, order.access_until.

A product with duration_days grants its role for that long per purchase; one with an
interval ("month" or "year") sells as a Stripe subscription. order.access_until is when the
role an order grants ends (NULL: never); the index serves the access sweep ("orders whose
access ended since the last sweep"), and access_swept_until is the end it last revoked for. A
partial index holds only the orders whose end is not swept yet (models/orders/access.py
reads them with the same predicate), so the sweep costs the same however many ended before.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE = """
ALTER TABLE "product" ADD "duration_days" INT;
ALTER TABLE "product" ADD "interval" VARCHAR(8);
ALTER TABLE "order" ADD "access_until" TIMESTAMP;
ALTER TABLE "order" ADD "access_swept_until" TIMESTAMP;
CREATE INDEX IF NOT EXISTS "idx_order_access__527842" ON "order" ("access_until");
CREATE INDEX IF NOT EXISTS "idx_order_access_open" ON "order" ("access_until") WHERE "access_until" IS NOT NULL AND ("access_swept_until" IS NULL OR "access_swept_until" <> "access_until");
"""

POSTGRES = """
ALTER TABLE "product" ADD COLUMN IF NOT EXISTS "duration_days" INT;
ALTER TABLE "product" ADD COLUMN IF NOT EXISTS "interval" VARCHAR(8);
ALTER TABLE "order" ADD COLUMN IF NOT EXISTS "access_until" TIMESTAMPTZ;
ALTER TABLE "order" ADD COLUMN IF NOT EXISTS "access_swept_until" TIMESTAMPTZ;
CREATE INDEX IF NOT EXISTS "idx_order_access__527842" ON "order" ("access_until");
CREATE INDEX IF NOT EXISTS "idx_order_access_open" ON "order" ("access_until") WHERE "access_until" IS NOT NULL AND ("access_swept_until" IS NULL OR "access_swept_until" <> "access_until");
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES if db.schema_generator.DIALECT == "postgres" else SQLITE


async def downgrade(db: BaseDBAsyncClient) -> str:
    return ""


MODELS_STATE = (
    "eJztXVlz2zi2/isovXS6xp3rOHGSUd17q2SZTqtjSy5JTjITdbFhErLYpgA2CVpR9eS/DwCu"
    "4hZSK0XjTQJwQPI7WM6Gg79bc6Ij03nZ0YlFkT4kJmq1wd8tDOf8R1b1CWhBy4oqeQGF94Kw"
    "Bb2Gqh20vHeoDTXK6qbQdBAr0pGj2YZFDYI5xQAjMEfze2T/5ABnRizAacGUuFgHBgaWCTUE"
    "FgadAUwAsXVkg3s0M3gtBS/Qy4eXYGqTOYCMxp7zWkJ/fskfrhONPd3ADzt8zgRPMIcF2Egj"
    "WDNMA/IvAyaCT8jhpEHfJwCyviBrOOWP1AmrxoQCCh8RbwcXcHkCXEwNk7WcYKjPGantYgf8"
    "8T/+H+Qsscbfm30C+zKNtse2i/44AYuZoc1Y/Zzwp9IZ8r6OP9H7sxCIuNj4y0UqJQ+IFdsM"
    "l69fW7rhaOx7VUPnTTgd//n77+wP+3r0DTm8Hf9rPapTA5n6yhDxyES5SpeWKOtheiUaci7c"
    "qxox3TmOGltLOiM4bG1gyksfEEY2ZKOHlVH2WawIu6bpD61g+HifEDXxXjFGo6MpdE0+4ji1"
    "9wJRWUtV+4OxOlLGqtpKjcaAIjZw/CLGXD6S2as64usf+Cv8cvbqzbs371+/ffOeNRGvGZa8"
    "++49OgLGIxTw9Met76IeUui1EBhHoGo24kiokKbBvWQ11JijbIRXKRNI6z7py+BHEvcA5SLg"
    "g4II+Whq7wN69oH6AJtLn+UFOI97N8po3Lm55Y+bO85fpsCvM1Z4zZkoXSZKX7z9mZcTtmp5"
    "S1rYCfjcG/8K+F/w70FfEfAShz7Y4olRu/G/W/ydoEuJislChXpsdAalAWqsZcT11Zm4yvUL"
    "4yF3Vq3S/Xh2HQOXvQn2z7Oz16/fnZ2+fvv+/M27d+fvT8OZlq4qmnIXvQ981q1wNpiGEQOC"
    "xa8S+jEiCX0l6PmeMn2MLYC84B5qjwvIRnOqhpyRvLbpqvnZPFkCMXwQcPLv5i8cSDeublAF"
    "U3uZKftEtcWiD2+norDhjySffH5k7NKJzfhrfJlndV9b7EnE9kdhvE5u23Lbrseq0txtOz73"
    "ym8bcSq5b6y9ZTMY+XumoO/OoJ0LvE+RgJ19zDHCPoffVBPhBzpjf9++KUD0U2fY/bUzfPH2"
    "TWKy9P2aM1G1CjCFNtuHqgAcUewP4FZrL/C++uerEviyVrkAi7pVhHVEoeFJE6sQ/zYa9HMk"
    "/ogkuVcYGgX/Aabh7GwNaf3v1MViEoF71zCpgZ2X/LH/vyseFEDOIVrZJgKkX9x0viSZ0L0e"
    "XCTXf97BRX1k0QtCR5TxK0sSDesK5dB7QlUnbPZD+9toDk0T6K7N6VkjjTptYTMSNjILYmSC"
    "OXIc9ronotyEDvXsY84v2gziWAPA9/i06W03j/ixlCxlXyn71mOLbq7s61r6mlxfpZRcrwvX"
    "A4xibPffPuL6I1pWEQj95tuRBg+7iO5Y2H6CpouqCIIhgRQDmyQGdl2HkrmQalJiYFhXKAZq"
    "8Va7tEVKKUtKWXK/lVKW5Pq2paw6uYPrsKju2bJ8D02ItQxprAj7GNH+jPqnjcJdc20bYa2S"
    "hhGn2aPR+W50uR+78+sSisbrXD3jdcqmTyg0VcdCOGNDKRreCUI5xNcb4h6MlFgW25pdax0e"
    "rBBLPqzHB33uqJpJHJS1wxJiIohzttgVwgT894xyV/iHJfvVry8Gg+sVqemilwC3f3dzoQxf"
    "eI4v1sigMcwraNURczwHQAZjfLqrj0Nkwhxfrq8rD3gfJXjhSzN1EWq/B+MtKM0SD5mgSYn2"
    "qNqIvbNDN0Rq6PU29Do7QkWgFGZs1XStDZEaE+vOaipAC2iaiKqsAXa8QIkN0fosOhxH/TUJ"
    "uV2aAHs6mluEcql2iLg+18qwBaYbnRQZBY2ouWpH7aV5cF8jSZoHpaHoRJoHJdelE3YDnu4+"
    "JM+XqdUZdGZVQE7SyQjTEk5vNiUs9kQkwtbcDHkz/+hNmnItU0jN1L/tSAkZAN8TPWPNyI8u"
    "SBFuFGVQM5SfUTjBb+S+laE98OJCfeFPv8FuzzJFkxejb5TJIpRpKTQ82kQCG84jo5InmqRC"
    "UZP140hFS6lQPEeul1Io+PqaKewq2J0LfvcYFoF/e1W78GnrLPC2LpXr3idlqHYHl8qoDdh2"
    "Zzwhm30FazfBH4ad/lgdDq6VNniwIaYii8kED5VPg4+KX2GjJ/KI/JrbwWisXinKZRtwVqhT"
    "hPQJZm/Qu/qX2rm86fXbPMWHMV2qIoHHBN/dckaro/FgqFwNB/1xG3gzhkmwxEZTm2Aa9nBx"
    "9y9lGPZw7y6RHdYNGbMH3Y9hre8MaK0h0J+VEejP8gX6s5RAb8GlSWDGWMqXNGMkMpJ1K6Jn"
    "nCF5ilW5uZ2rXO0ytMJCWOcQVpzit0r/stf/wCakR8+m712/L0psF2NRcsmWTzb7CeZTuDP8"
    "KOYvtB89Z25l+8PbMuaH5LIesz68TU4fXwCuogjHSRoTDLA1/TepVlSUaTLIGyjYHK8gk5Zf"
    "TQQdpJIF9hTHsta7BNlaq13NjBy7tt15kKFvlsHYt8bcyqLfwuSqGRcaNbcgk3SRbZOMqTVm"
    "K2UOn1eoGpAXoIilypdxsQgXcvR60P8QNE/KdckkAbprIbWi02eVaisLWtNdP8LcmBlznyt9"
    "xUmk/yEn5C+BcBreK6YAGw/4I1qm1JFnEdzHim24CA3bK6OKfTz7ZOTFVLIXAP276+vW98N4"
    "EzzcM/wJIUPyPQoh77frU/jacohre4OF7UHIxtDMymIadzYkU6jFT0z6raSzQTob6rFoHKnZ"
    "WTobniPXyzgbsMtzcVeRZSOKxsUwvT4rc77rLP+A11lSio22w7UsviF1vf05vVF3MLxsA//E"
    "6wSPxsPerdIW2dEtNMFK93OP1SNtYbDam97leNjpj9pgbugixJ17d66Gne6Ye3amXB5hNDcX"
    "3CLMc8Uzms5trw2gZUzwB6WvDHvdNhBfb2j1MBbHpZ0KkylB1jxT1050QzSHhlkJ5oCgeQCf"
    "nZfyG54XOA7P055Dm+iuRlXxvwLOSboGGJiSaJ+XQvu8AO3zJNp/uRBTg2ZYlHJVmTjJ/hxN"
    "r2qt0MQ8d3PiVj1SHdE0xnEnEwY0LWHAcw4guO30RIAAlyA7nzu9MatW/egbuIAGZa1UEX0z"
    "wX6EEZcf/egiLkNedXrXvGjKhAH+X/ly2xNtPL8XK+l2+l3lWjTSOISmaMdk07v+JS/0Lg3i"
    "Zbed4bjXub7mIUBBrQVtakDT5GFAQTsmG9/ejRVPOLZcul5ww05ig+YIU3WO2EhYO9ws3Uut"
    "FZXPjGEK0zG807VpNSVLMVG+jJVhv3PNR4knq7N2nf4dL5lD7EKzHgqINkPaI3FpRQUkQbYj"
    "+bhhvqlg2LNpXkk6XiWTWJc7AuYtpeo6Ql0GsZTu1pPuMEK6I8KvcPZND4WJWjKoZbaWH2Rr"
    "ScYiCuTY4gGdihdtZNBKxbyMYi5vhKhZAPX6AW4ytK2uLqm0J5LreGuwOEYm+Vtn/oYq+RpM"
    "TtJKTteZ01DTkOOo4jblqpxO0u6F0/tUnhrIaGeBLLoRuxM9yOldZ64HoXrVwnQTVDJSN63u"
    "WVB7hA/ZdyDn4rpKJGHNgNV3T1eDdYVIwvrDuPJ4AO+GoeXxO1aOC+Oy0eWJxXAlwJwfLh/2"
    "uuNW1iDeArq3UU/NBHd16pbB1ltCt4Ft1FNDsV3ZbSofjIgw/5Pcb5jb1s+f1AycV+1dTwhv"
    "mlFanAZRntBRXmZdCiUv/7ZB0XxDqEa8ox7rp0HDaecnkLyhlXcMKRx4PziLpKKw4ZZPJIVH"
    "nTToOmJBttEU8agjlDqXJM8ZyXNGtZjOR3riRJ4zeo5cL3POaGqTeW5i2XLBZokuahzKL6MX"
    "dxy9yMbZZmNppYNaxyzKobTboRRKhaUjJgOCOg+bNaNodpFUPJC1K0C8QtRAmHcSKMlUJpLt"
    "iSk89hKjapBte98X2ImorzTyP4oTy5JjZZjYxmFih8gdVLsVp1nJg+oG78bZg7qdUbdzqRwq"
    "eVDgn8iw28VcF/lGu5inZNsGu5iDKzzmKg110lBXy3XgSE020lD3HLlexlB3NMkIar+exkM2"
    "jCwFuEgvC0maBOietTJ+0e1TFu5FJ9Uioj0eUAuEhaM9n3aoyLqaDvRdaV2HiP2qG8RbCP4q"
    "oXslNN1txOAcnzHtIEElwcjM0kyjQVugmcYayRu1j2nhO5Eq6DNSRqQK+hy5XkYFlTdq78gZ"
    "WzWd4/7TOO7PBXt6WsYFe3qa74LldUk3YPRmFWBOkDUuN8d5KazPC7A+T2Pd+Fsy+e2YbcAv"
    "xZxg/9JLcdslL1c7/Uv/Jkze4B+8prXOLNh6GjJp6pK5N+uxwm859SafYpWja2JEMu/YeiPb"
    "ZKJjeKduSaV6hWZ/wJ/vFvituSNCeFRoItuPxKxgIs+kl+ncqqRzk56JfUGtu7Ywzqo6XFa5"
    "yjdF16DoyK2tJKxfZD/BSncxxGlqfIZjTanjfQmp432u1PE+lfAbIT1rfc4PLI0oNgosrRnI"
    "+4ggTfndpHdo87PZfpzghgiVz6ZQN52kFEhsIApxykbsnZ1ND/wPvd6GXmdNxewgh/6PBqld"
    "OmgT4yvDT5segfnu2sTYL+W2bfUJNaZLMEdgMUMY+H0gvQ0gCDLqAP8oHJgSGxCMgENM/Rfi"
    "UuB7iMELXmqxlhY07J9fJg1ou3nKBE/wH5j3bAj31B/AcICDqPcMGDwFMDQYHoDOkGGDy5s2"
    "/wV8kDgJ5c0dC2F6AiDWAZxgNtLZY4IOLm9EozmAD2xksHczl8CY8qIlgM6jX/xiMTO0GWD7"
    "I7QdYFAPhsy47Hhep8DJnr7YNeZ+j32lvMJVustrsmYeqeNUusufI9fLuMvjy2xFtidIZbbV"
    "+rA5PbsPl221dpO5IXlBm4hrQfTyYRKD1g3ksvHLRZlBwwDmQycGPVZwNwsO36V2HZkjMhTr"
    "FVtFvk4d2UZKqdOVoqC/ro4z/IBsy+ZAF6qCUbIdhjhrGEvL51f9zofyKkbom8W2T4e9pChq"
    "TWJsm4jYpUmL//rHKaeOKZTf1AgBFT5BwxuuHCJ/oLdE9wwW/gd8/lUZKsB7EfB/4KeQ5Cdv"
    "FEi9VeqtB1/ajlSDkXrrc+R6Gb1VM6wZDx/5lsH1MSvNmecrVI2IWyviqfJlXOzcDFl6Peh/"
    "CJonPZ6r6k58104hn++4T5A1AvpdR9wf4YXdK/JSlYDlzqdO77pzwYOSwz54zsCRMvzk5Qx0"
    "kP0kcgFmZiUcKp8GH72GT+RxvfyA2w9oDt56jc0pQSqta/XZjNIyiLyU7rlwmjVlnLrPiJUv"
    "TJQYo2pQKOCeo7kPkZmvnsBL43UNcZWpNw5z79K+s0nWbEkoi2tuMskyNy7t0mg9Jtad1cow"
    "WHsVJ0XG6gU02WeolFiuVcpc3eoAjclaBuMuYFS/uJYIgFrMIAUGdYAFl3OERQDWk8EAAw40"
    "dOAYbOQEicsdQeEnInfSkV9bfwKP+hrPEPsijdGLWCyoae7c5TFb4AUEUxM+iDAwNsSXIiDs"
    "xI/44r35AV/AhPYDj//yKZnQOWGAE5e9i4MQ/vkEOEQ01Ey44KwFGpmLZOuA357gxYP5fTmM"
    "U8DA7D2XQAwsQKbAu3AqLwZMZkCRpvE67ktHaiSVpvHnyPUypvG63JpQo2woO7kzwd/I+TUl"
    "VZBOkO3oFFvDsPbklIpGl5CmSSqqzA1xaEfPlnNDeMqCypYEe1kxOjNN2aSRvjUjl6cGqeus"
    "ISlSmYljvXUkuMtLNbA6Ze+VwYai9AVZ5DJpRJVMBp4xQSUWg6dqzo40scR+DewXWZndSgG/"
    "yDyDKlEvg7pJnKxFvwzsAanEvQLu3HqYucIUbLMRjdxf15XT5fkeeQ6ldk6nonMokTfvMH6n"
    "z8J3NLYhdqDmA5DyQaUbnZTxRyXab/kQRZCCNDLaySvOpHellgvFkdrZpXflOXK9jHel8amj"
    "x4Pbu9s2ECEVE3x7x+2WI6UNLNfWZtBBwU3uQbDCBHcuf7sbjW+U/rgNoP4n2/K5g2OCu9ed"
    "zxcdfrN8EFHQKjd6dhyVLZ0J0plwQOh36Uy4hyZfeVQ4pVkqStEIT5HKgb6JtbsWLvhDg797"
    "xzAmtNqtJH77xt2TcXZ+XgJd1ioXXVGXSjVNsk1KhXtljKpBQffSoictetKiV2uLHrqfEfKo"
    "8DjkVpYxL15/UmjH81qqKGy6/TwoIvqb9y0ewvFMZ0GJDvHaSEOGfx5U5ECJqkzE1DKVqSeG"
    "KVNlSstfTRaUI7UBScvfc+R6GctffMkuHewbo2miSrd121y4F1YAOU7TRJB3oTfHxYmKa1iC"
    "VC5idVnEymxdDtNnmNxoI5VkXIpWGBWVJJUXSZUPivKWKAFV5YUtoGqcyWr7GZO4pnpP9AwH"
    "Q35OsDhNI3aPfWcEO8I0VcEWVnGct4ZKV+n5+ai8Hib4djjoKqMRL2TSnoYch5f2PvQHIkcV"
    "WzSJyFB11eld84IpNMy65KdCtk0y5Nn8yRISNGAx2vc8gZSiuZV1QVO+JT1G0pjI2G0mr/Gm"
    "2xpCbJJWZt2qj+adllo1EzIeZOfdKggdWKFq3nWR25ef4pbkihMqQSrnU93mU8oDdhgfTQfZ"
    "hjZrZXhn/JqTIr8MjNps1SEjw6cP6ER5QrZjZJ2Ny1/aYySN0Nn2EcthWVUQ9ps3EN1Xp6dl"
    "9KjT03xFitclojUIpigrqDT/suUYyUa3LdcN7QJwD3Hd8vY3s+//BVFJPL4="
)
