"""Timed access and subscriptions: product.duration_days and interval, order.access_until.

A product with duration_days grants its role for that long per purchase; one with an
interval ("month" or "year") sells as a Stripe subscription. order.access_until is when the
role an order grants ends (NULL: never); the index serves the access sweep ("orders whose
access ended since the last sweep").
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE = """
ALTER TABLE "product" ADD "duration_days" INT;
ALTER TABLE "product" ADD "interval" VARCHAR(8);
ALTER TABLE "order" ADD "access_until" TIMESTAMP;
CREATE INDEX IF NOT EXISTS "idx_order_access__527842" ON "order" ("access_until");
"""

POSTGRES = """
ALTER TABLE "product" ADD COLUMN IF NOT EXISTS "duration_days" INT;
ALTER TABLE "product" ADD COLUMN IF NOT EXISTS "interval" VARCHAR(8);
ALTER TABLE "order" ADD COLUMN IF NOT EXISTS "access_until" TIMESTAMPTZ;
CREATE INDEX IF NOT EXISTS "idx_order_access__527842" ON "order" ("access_until");
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
    "TtJKTteZ01DTkOOo4jblqpxO0u6F0/tUnprE6CBoq1rAZoJKxmymBX8Lao/wIfs23FxcV4kk"
    "rBmw+o7KarCuEElYfxhhHA/l3DDIOH7bxnFhXDbOOLEYroQa82PGw1533MoaxFtA9zbqqZng"
    "rk7dMth6S+g2sI16aii2K7tN5RD5CPM/yf2GWU79TDrNwHnV8vGE8Ka5hcW5AOUJHeW1xqVQ"
    "8jIxGxTNN4RqxDvqsX4aNJx2fhbFG1p5B1LCgfeDUykqChtu+WxKeOhFg64jFmQbTRGPP0Gp"
    "EyryxIk8cVKL6XykZw/kiZPnyPUyJ06mNpnnphgtF3aU6KLGQd0yjm3HcWxsnG02llY6qHX0"
    "mhxKux1KoVRYOnYuIKjzsFkznmIX6aUDWbsCxCtEDYR5JyFzTGUi2Z6YwgMQMaoG2bb3fZWZ"
    "iP9JI/+jiKEsOVYGDG0cMHSILDK1W3GalUambvBunEem2xl1O5fKodLIBP6JDLtdzHWRb7SL"
    "eUq2bbCLObjCA4/SUCcNdbVcB47UZCMNdc+R62UMdUdzLL3262k8ZMOoepV9SNIkQPeslfEr"
    "T5+ycC86sxQR7fGoUiAsHO1JpUNF1tV0oO9K6zpE7FfdIN5C8FcJ3UvehH6ooJJgZGZpptGg"
    "LdBMY43k3crHtPCdSBX0GSkjUgV9jlwvo4LKu5V35Iytmthv/wn99ueCPT0t44I9Pc13wfK6"
    "pBswerMKMCfIGpel4bwU1ucFWJ+nsW78fYn8nsQ24NcjTrB//aG495CXq53+pX8nIm/wD17T"
    "WmcWbD0hlTR1ySyM9Vjht5yEkU+xytE1MSKZgWq9kW0y0TG8XbWkUr1Csz/gz3cL/NbcESE8"
    "KjSR7UdiVjCRZ9LLxF5VEntJz8S+oNZdWxhnVR0uq1zqmqJrUHTk1lYS1i+yn2ClrPxxmhqf"
    "4VhT6nhfQup4nyt1vE+lfkZIz1qf8wNLI4qNAktrBvI+IkhTfjfpHdr8bLYfJ7ghQuWzKdRN"
    "JykFEhuIQpyyEXtnZ9MD/0Ovt6HXWVMxO8ih/6NBapcO2sT4yvDTpkdgvrs2MfZLuW1bfUKN"
    "6RLMEVjMEAZ+H0hvAwiCjDrAPwoHpsQGBCPgEFP/hbgU+B5i8IKXWqylBQ3755dJA9punjLB"
    "E/wH5j0bwj31BzAc4CDqPQMGTwEMDYYHoDNk2ODyps1/AR8kTkJ5c8dCmJ4AiHUAJ5iNdPaY"
    "oIPLG9FoDuADGxns3cwlMKa8aAmg8+gXv1jMDG0G2P4IbQcY1IMhMy47ntcpcLKnr/iMud9j"
    "Xykv85Tu8pqsmUfqOJXu8ufI9TLu8vgyW5HtCVKZVrc+bE7P7sNlW63dZG5IXtAm4loQvXyY"
    "xKB1A7ls/HJRZtAwgPnQiUGPFdzNgsN3qV1H5ogMxXrFVpGvU0e2kVLqdKUo6K+r4ww/INuy"
    "OdCFqmCUbIchzhrG0vL5Vb/zobyKEfpmse3TYS8pilqTGNsmInZp0uK//nHKqWMK5Tc1QkCF"
    "T9DwhiuHyB/oLdE9g4X/AZ9/VYYK8F4E/B/4KST5yRsFUm+VeuvBl7Yj1WCk3vocuV5Gb9UM"
    "a8bDR75lcH3MSnPm+QpVI+LWiniqfBkXOzdDll4P+h+C5kmP56q6E9+1U8jnO+4TZI2AftcR"
    "90d4dfOKvFQlYLnzqdO77lzwoOSwD54zcKQMP3k5Ax1kP4lcgJlZCYfKp8FHr+ETeVwvP+D2"
    "A5qDt15jc0qQSutafTajtAwiryd7LpxmTRmn7jNi5QsTJcaoGhQKuOdo7kNk5qsn8NJ4XUNc"
    "ZeqNw9y7tO9skjVbEsrimptMssyNS7s0Wo+JdWe1MgzWXsVJkbF6AU32GSollmuVMle3OkBj"
    "spbBuAsY1S+uJQKgFjNIgUEdYMHlHGERgPVkMMCAAw0dOAYbOUHickdQ+InInXTk19afwKO+"
    "xjPEvkhj9CIWC2qaO3d5zBZ4AcHUhA8iDIwN8aUICDvxI754b37AFzCh/cDjv3xKJnROGODE"
    "Ze/iIIR/PgEOEQ01Ey44a4FG5iLZOuC3J3jxYH5fDuMUMDB7zyUQAwuQKfAunMqLAZMZUKRp"
    "vI770pEaSaVp/DlyvYxpvC63JtQoG8pO7kzwN3J+TUkVpBNkOzrF1jCsPTmlotElpGmSiipz"
    "Qxza0bPl3BCesqCyJcFeVozOTFM2aaRvzcjlqUHqOmtIilRm4lhvHQnu8lINrE7Ze2WwoSh9"
    "QRa5TBpRJZOBZ0xQicXgqZqzI00ssV8D+0VWZrdSwC8yz6BK1MugbhIna9EvA3tAKnGvgDu3"
    "HmauMAXbbEQj99d15XR5vkeeQ6md06noHErkzTuM3+mz8B2NbYgdqPkApHxQ6UYnZfxRifZb"
    "PkQRpCCNjHbyijPpXanlQnGkdnbpXXmOXC/jXWl86ujx4Pbutg1ESMUE395xu+VIaQPLtbUZ"
    "dFBwk3sQrDDBncvf7kbjG6U/bgOo/8m2fO7gmODudefzRYffLB9EFLTKjZ4dR2VLZ4J0JhwQ"
    "+l06E+6hyVceFU5plopSNMJTpHKgb2LtroUL/tDg794xjAmtdiuJ375x92ScnZ+XQJe1ykVX"
    "1KVSTZNsk1LhXhmjalDQvbToSYuetOjV2qKH7meEPCo8DrmVZcyL158U2vG8lioKm24/D4qI"
    "/uZ9i4dwPNNZUKJDvDbSkOGfBxU5UKIqEzG1TGXqiWHKVJnS8leTBeVIbUDS8vccuV7G8hdf"
    "sksH+8ZomqjSbd02F+6FFUCO0zQR5F3ozXFxouIaliCVi1hdFrEyW5fD9BkmN9pIJRmXohVG"
    "RSVJ5UVS5YOivCVKQFV5YQuoGmey2n7GJK6p3hM9w8GQnxMsTtOI3WPfGcGOME1VsIVVHOet"
    "odJVen4+Kq+HCb4dDrrKaMQLmbSnIcfhpb0P/YHIUcUWTSIyVF11ete8YAoNsy75qZBtkwx5"
    "Nn+yhAQNWIz2PU8gpWhuZV3QlG9Jj5E0JjJ2m8lrvOm2hhCbpJVZt+qjeaelVs2EjAfZebcK"
    "QgdWqJp3XeT25ae4JbnihEqQyvlUt/mU8oAdxkfTQbahzVoZ3hm/5qTILwOjNlt1yMjw6QM6"
    "UZ6Q7RhZZ+Pyl/YYSSN0tn3EclhWFYT95g1E99XpaRk96vQ0X5HidYloDYIpygoqzb9sOUay"
    "0W3LdUO7ANxDXLe8/c3s+38BDH+bBA=="
)
