"""The admin audit trail: table audit_entry (actor, time, action, target, details)."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE = """
CREATE TABLE "audit_entry" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "actor_id" BIGINT NOT NULL,
    "action" VARCHAR(64) NOT NULL,
    "target" VARCHAR(191) NOT NULL,
    "details" JSON NOT NULL
);
CREATE INDEX "idx_audit_entry_created_817289" ON "audit_entry" ("created_at");
CREATE INDEX "idx_audit_entry_actor_i_81d906" ON "audit_entry" ("actor_id", "created_at");
"""

POSTGRES = """
CREATE TABLE "audit_entry" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "actor_id" BIGINT NOT NULL,
    "action" VARCHAR(64) NOT NULL,
    "target" VARCHAR(191) NOT NULL,
    "details" JSONB NOT NULL
);
CREATE INDEX "idx_audit_entry_created_817289" ON "audit_entry" ("created_at");
CREATE INDEX "idx_audit_entry_actor_i_81d906" ON "audit_entry" ("actor_id", "created_at");
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES if db.schema_generator.DIALECT == "postgres" else SQLITE


async def downgrade(db: BaseDBAsyncClient) -> str:
    return ""


MODELS_STATE = (
    "eJztXetzm7gW/1cYPnXnZjup07TdzJ07QxzSdevYGZu03a13GBnkmA2WKIikmd3+71fiYd"
    "4UbONgom+JpIPhd/Q4T51/xBXWoem8lFzdIDIi9qN4JvwjIrCC9I+c3iNBBJYV9bEGAuam"
    "NxywcSpcD5w7xAYaoV0LYDqQNunQ0WzDIgZGtBW5pskasUYHGug2anKR8c2FKsG3kCyhTT"
    "u+/kWbDaTD79Bh/34VNRsCAnUVEJH2fRXpL2FbNXT20/E+RmjdqQsDmnri6/yhXrtKHi2v"
    "bYDIpTeQvddc1bDprlA02HokS4zWow1EWOstRNBmv0fbiO2yD2XfEcASfrv/TdEQ/2NiND"
    "pcANckMWDmatQmquporKhTWVFVsQaUGkaMDfRVHe/rb9kr/Np79frt63cnb16/o0O811y3"
    "vP3h/3QEjE/owTNSxB9ePyDAH+FxIwI1hnwG3AvaQ4wVzEc4SZlCWg9IX4Z/pHEPUS4DPm"
    "yIkI/m5T6gpx+oj5H5GLC8BGdlcCVPFenqmv3cynG+mR5+kiKznp7X+phqffHmF9aO6ZLz"
    "l+P6IcLngfK7wP4V/hyPZA9e7JBb2/vFaJzyp8jeCbgEqwg/qECPzc6wNUSNjoy4Hl97SZ"
    "6fG7eFaypO9fOVdQgc9hfXb73eycnb3vHJm3enr9++PX13vF5l2a6y5XY+eM9WXIKr4RJM"
    "gM/eMwN9fwnsQuADihTs9GMOEfYV+K6aEN2SJf33zesSRD9Jk/7v0uTFm9epxTIKenpeVx"
    "JgAmx6DtUBOKLYH8CiuBd4X/32qgK+dFQhwF5fEmEdEmD40kQS4g/T8Sgf4hhJ+qwwNCL8"
    "K5iG09geIv534SJvEQlz1zCJgZyX7Gf/1xQPSiBnECWOiRDpF1fSlzQT+sPxeXr/Zw84pw"
    "xhgtLiLnaqs4Y50O4egK2rmR7cw0Vjs12r3irdAhC49eBlX8y+L5A2zzGZEsqvPEl03Vcq"
    "h84xUZ31sJ9JoeJ0BUxT0F2b0dNBGnHoqbeEgrPElmABBE1hBR2Hvu6R124ChwjY1qHt/K"
    "otAYoNENgZ/1JM8bShn/i5lMxlXy77tuOI7q7s61r6hlxPUnKut4XrIUYxtgdvH3H9Dj7W"
    "EQiD4buRBp92E21Y2L4HpgvrCIJrAi4GdkkM7LsOwStPqsmIgeu+UjFQi49q0hbJpSwuZf"
    "HzlktZnOu7lrJ0w9GoFlzbspyk241tuQ2b6p4ty3NgAqTlSGNl2MeI9mfUP+4U7ppr2xBp"
    "tTSMOM0ejc4304v92J1PKigaJ4V6xknGpo8JMFXHgijnQCmb3ilCPsU3m+I+jARbFj2aXW"
    "sTHiSIOR8244O+clTNxA7MO2ExNiFABUdsgjAF/5xSNoX/umW/+vX5eDxMSE3ngxS4o5ur"
    "c3nywnd80UEGiWFeQ6uOmOM7AHIYE9BdfpxAExT4cgNdecyeUYEXgTTTFqH2RzjfwtY88Z"
    "DuAK61JT4Ktm6sA5T6KwH0AEwTEpUOQI7v9N8Src/eA5XoeV1Crklz1kCHKwsTJqFNINNN"
    "xBy7VnbQUZmBy4iGq3Y0npu69jWTuKmLGz2OuKmLc507FLfgafPhZTak3+kQdQmcZR2Q03"
    "Q8WrKCA5cuCYv+IvRCsNwcebNQLMih3Eitb5kqsxspIQfgOdZz9oxiT3mGcCuPectQfkau"
    "8Q94LuZoD6y5VF/4OxjQbF5OtHgR/E6oLEKolkLWaTo4tEfcUSqencMVipbsHwcqWnKF4j"
    "lyvZJCwfbXXGFXRu7K4/eAYhH6apPaRUDbZoFXvJCHg0/yRO2PL+TpmUCPO+Me2vQr6LgZ"
    "ej+RRoo6GQ/lM+HWBoioNjbhDE3kT+OPctBhw3t8B4Oe6/FUUS9l+eJMYKxQFxDqM0TfYH"
    "D5hypdXA1G9DUxMRaPlAsrA83QzTVjtDpVxhP5cjIeKWeCv2KoBIttuLCxfwTVFcp7VYTy"
    "XrFQ3ssI5RZ4NDHImQ/F0mKMhEdW7kR8jDOkSDmqtj4LFaQmXf0WRDqDsOYyvZZHF4PRe7"
    "qofHq6BG9GI6/FdhHyWi7oFkhXMEZsGUqTj94aBPad71ysbUN4U8WEkN6aYxaEN+nlEwix"
    "dZTZOElnnNM702HTqkFNuSSHvIPCyeEKI1kZ1ITAgSp+QL7yV9UClyLbaLdrmaGiafubDx"
    "n8bhmUfRusrTz6HSyulnGhU2sLUGkV2jbOWVoK3SkL+Jyg6kCeehlL5S9KuQi35uhwPHof"
    "Dk/Ldemkdd21oFrTcZOk2smG1nX3jWcyzI0BL5S+4iTch1AQgpZCOAvvJVVijVv0ET5m1J"
    "FnEWxGm23wsDZOJ2YV/Xj6ydCP8aMvIIxuhkPxx9N4BHzcc3wCa4YUewXWvN+tX+Cr6GDX"
    "9icLPYOgjYDJoPurxGGQvtIrnsEXjOIOA+4waMemcaCmY+4weI5cr+IwQO5qXk87jyg6F4"
    "d00quSb9QrTjjqpaXY6DjcyOK7pm63T2Yw7Y8nF2dCkIE5Q1NlMriWzwSGvgVnSO5/HtB+"
    "qD0YtPdqcKFMpNH0TFgZuhemzjw0lxOprzDvzILJI5Tm6pxZhCGdbZRGuh6cCcAyZui9PJ"
    "Ing/6Z4H29obXDWByXdmosphRZ90xdjeiGcAUMsxbMIUH3AO6dVvIbnpY4Dk+znkMb665G"
    "VO//Gjin6TpgYEqjfVoJ7dMStE/TaH9zASIGybEoFaoycZL9OZpetVqhiXnuVtitm+Ib0X"
    "TGcccT2LuWwP6cAwiupYEXIMAkSOmzNFBoN4vC6X+kguEDMAgdxUJwtLsZCqKEmPwYRAgx"
    "GfJSGgxZ04IKA+x/+cv1wBvj+71oS18a9eWhN0hjEJreOCqb3owuWCMVTl36sboXsKAMpO"
    "HwDzXqtYBNDGCaLDEvHEdl4+sbRfaFY8slmwU3NBIbtIKIqCtIZ8LGIWPZp7RaUflMGSZT"
    "HcPPkM2qKXmKifxFkScjachmiS+r03HS6Ia1rABygdkOBURbQu0Ou6SmApIia0g+7phvKp"
    "z2dJnXko6TZBzramlc/laqbiLU5RBz6W4z6Q5BqDte+BXKrzxQenFIDjW/PeQnt4ekYxE9"
    "5OjmAZyahR9yaLliXkUx5xUKWhZAvXmAGw9ta6tLKuuJZDreBiyOkXH+tpm/a5V8AyanaT"
    "mn28zpMJanXhxfioqH8mXlQQtod+AW1sM1ScRhzYE18F/VgzVBxGH9aeBpPMJvy9jTeFGA"
    "w8K4avhpajNMRKBOZGbB7Cti3iTeAbrX0ZO6CW5y6VbB1t9Cd4Ft9KSOYps4bWpHTkeY/4"
    "3nW15gGVyS0g2ckwrxPUR5Gaq1L4uV7+FBVl+thJLnFVQNAldbQjVlDxrQ53RoOjWeouBP"
    "raI8hfXE+0myggrXA3ecsrDOhdCA63gbsg0XkIUlwEziAk9E4IkIrVjOBxqSzhMRniPXqy"
    "QiLGy8Krw9slo0SuoRLY715eFNDYc30Xm23VxKPKDVQU18KjU7ldZSYeWQqpCgzdNmQzd7"
    "EzcHh7J2DYgTRB2EuZFIKqoy4XxPTGlcfIyqQ7btfVdc8sJCssj/LJAkT47lcSRbx5E8xe"
    "UirdtxunW7SNvg3fp6kb407UsX8lPdLhL6J3LsdjHXRbHRLuYp2bXBLubgWufBcUMdN9S1"
    "ch84UJMNN9Q9R65XMdQdTLZy6/fTeMiGUbfi9pqkS4DuWStj1Szv83AvS2WJiPaYwRIKCw"
    "ebwPJUkXUtnehNaV1PEfvVNoh3EPxVQffiBZufKqgknJl5mmk0aUs009ggXjb3kDa+I66C"
    "PiNlhKugz5HrVVRQXja3IWds3fve9n/P2/5csMfHVVywx8fFLljWl3YDRm9WA+YUWeeS90"
    "8rYX1agvVpFuvOl8JjJfDOBFb5boaCynZeSTvWrkqji6DcHRvwH9YjbrIKdn5PETd18cv5"
    "2rHD7/huPrbEakfXxIj4xUSbzWyTio5eMGMNpTpBsz/gT5sFfmfuiDU8KjChHURi1jCR59"
    "Lz+57q3PfEPRNNQp2xoHM77/ZZlkHEz5YIVc+Lbpt00d5U1INBqkm3QQRYjuMggWax6yDi"
    "3u69B1+Tzjt0C22q+FBsssWzYgOjJBVWZovVz1oHXvLiWdwP0aplf6AWae6HeI5cr+KH0A"
    "xryfSb7zlcL67Bm6TqhGGljKdNVOGNH48Z5IsNWimyTkDftEvoAEtOgHtg+E+oh7kofZIG"
    "Q+mcWc3Xz2BJrVN58slPanWgfe8lq+amzU7kT+OP/sB7fLdZAuvuLe7hW29wOKVI+WWb7T"
    "mMsjIIv1b1uXCaDqWcmuc4c0ozeWNUPJN3U3cDr0vfmVtXWyfK8djwA4gNz78YdN/pzi3b"
    "ErbOdq5yJWiT1mEFWzeWmGMZ9juOyqzCfjkxlWDLtSrZhUVJ0KisZVDuCpTqV9cSANKFhy"
    "UggkEcISgUJdBZeG9QwAQHGLrgGHTmhDfrOB5FcFOO8zKtaez+F2ZohpQlpF+kUXqMzEcB"
    "aJq7ck06SYUXQFiY4FZwIBHoFH902F9HAqEE/tMEw/H+M4F9Cx0iBJRU6JwhvzgTpYDoly"
    "PBwd5AzQQPjLWChlfebUACu96Lda3CZzmUU4KB6Hs+Ct7EEvBC8G9E9QDhIfrcNH4g59KB"
    "Gkm5afw5cr2Kabwt13q1KFyfl6I8cKwPpax452wuPHi56eBlX1lQ6ZZgP9Ys1pSl7NJM35"
    "mRy1eDtqhiy2vYbr2PrMsBG0hd0PfKYUNZfG0eOY9qrhHVHBgTVGxReOoGlWeJOfYbYP9Q"
    "u3ZzipKjvgHqJnbyNv0qsIekHPcauDPrYe4OU3LMRjT8fN1UTn+qcp9dlB5LXHlPU0GxbS"
    "BXdTpVK6H4NH6nz57vSLEBcoAWAJDxQWUHHVXxR6XG7zhbIcyR58WyuHel5RvFgdrZuXfl"
    "OXK9inel83ebKOPrm+szwQupmKHrG2a3nMpnguXa2hI4MCw1FAYrzJB08eFmqlzJI+VMAP"
    "rf9MhnDo4Z6g+lz+cSK30URhSI1WZPw1HZ3JnAnQlPCH2TzoQ5MNnOo4IFyVNRymZ4hpRP"
    "9G2s3a1wwT81+M07hhEm9a7NC8Z37iK33ulpBXTpqOL6e6yP1y1ryx7CLXrcosctevUsen"
    "C+xPiusOp9ov+o1I7nj2yu8n0Y/c2e7f0IwzN73UiUxGtDDRpBPii/V4Sb99qxaxyooYeb"
    "954j16uY9+L7cuWI3hhNF/W2nRvg1gdeDZDjNF0EuQnlOC4z1NzDUqR8E2vLJlbl6HKo0k"
    "LlRhuqOOdq3tLQpzQpv860euSTv0V5UNXe2EKqztmldn8tElNH51jP8SIUX/wVp+nE6bHv"
    "a78O8C6q8AirOc/FidyXB8GlU/4TZuh6Mu7L0ylrpNKeBh2HtQ7ej8beRVR008TeNVSX0m"
    "DIGhbAMNtyCRW0bZwjzxYvljVBBzajfa8TQAhcWSRnpRSby2MknQl/3eUNNf5y20CITdPy"
    "q7Xao3n7UmvGLP80hmMJ2oa2FHNMxkHPUZmxGERjeFHLfc38po2+99B2atYKi5F0Qsbch4"
    "PZsuogHAzvILqN1Lyjv0hgXqTbh+l4VOCxiEjSp6WhEeFfwTScQ/Qhl4DLwCiXA9MiX+rw"
    "Yw84r1faZPeH2Y//A67VmkM="
)
