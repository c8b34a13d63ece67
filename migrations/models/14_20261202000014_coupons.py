"""Coupons: tables coupon and coupon_redemption (one redemption per discounted order).

coupon.uses counts the orders holding a use; a redemption released (refund, cancellation,
expiry) gives it back. coupon_redemption.once_key is unique while a once-per-customer use is
held, so one buyer cannot hold two uses of such a coupon even when their clicks race.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE = """
CREATE TABLE IF NOT EXISTS "coupon" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "code" VARCHAR(14) NOT NULL UNIQUE,
    "kind" VARCHAR(8) NOT NULL /* PERCENT: percent\nFIXED: fixed */,
    "value" BIGINT NOT NULL,
    "currency" VARCHAR(3),
    "product_keys" JSON NOT NULL,
    "max_uses" INT,
    "uses" INT NOT NULL,
    "once_per_customer" INT NOT NULL,
    "valid_from" TIMESTAMP,
    "valid_until" TIMESTAMP,
    "active" INT NOT NULL,
    "created_by" BIGINT
);
CREATE TABLE IF NOT EXISTS "coupon_redemption" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "discount" BIGINT NOT NULL,
    "once_key" VARCHAR(48) UNIQUE,
    "released_at" TIMESTAMP,
    "coupon_id" INT NOT NULL REFERENCES "coupon" ("id") ON DELETE RESTRICT,
    "customer_id" INT NOT NULL REFERENCES "customer" ("id") ON DELETE RESTRICT,
    "order_id" INT NOT NULL UNIQUE REFERENCES "order" ("id") ON DELETE CASCADE
);
"""

POSTGRES = """
CREATE TABLE IF NOT EXISTS "coupon" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" SERIAL NOT NULL PRIMARY KEY,
    "code" VARCHAR(14) NOT NULL UNIQUE,
    "kind" VARCHAR(8) NOT NULL,
    "value" BIGINT NOT NULL,
    "currency" VARCHAR(3),
    "product_keys" JSONB NOT NULL,
    "max_uses" INT,
    "uses" INT NOT NULL,
    "once_per_customer" BOOL NOT NULL,
    "valid_from" TIMESTAMPTZ,
    "valid_until" TIMESTAMPTZ,
    "active" BOOL NOT NULL,
    "created_by" BIGINT
);
COMMENT ON COLUMN "coupon"."kind" IS 'PERCENT: percent\nFIXED: fixed';
CREATE TABLE IF NOT EXISTS "coupon_redemption" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" SERIAL NOT NULL PRIMARY KEY,
    "discount" BIGINT NOT NULL,
    "once_key" VARCHAR(48) UNIQUE,
    "released_at" TIMESTAMPTZ,
    "coupon_id" INT NOT NULL REFERENCES "coupon" ("id") ON DELETE RESTRICT,
    "customer_id" INT NOT NULL REFERENCES "customer" ("id") ON DELETE RESTRICT,
    "order_id" INT NOT NULL UNIQUE REFERENCES "order" ("id") ON DELETE CASCADE
);
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES if db.schema_generator.DIALECT == "postgres" else SQLITE


async def downgrade(db: BaseDBAsyncClient) -> str:
    return '''
DROP TABLE IF EXISTS "coupon_redemption";
DROP TABLE IF EXISTS "coupon";
'''


MODELS_STATE = (
    "eJztXVtz2ziW/isovXS6xp11nDjJuHa3SpbptDq25JLkJDNRFxsiIYttCmDzYsc12/99AfB+"
    "NSmREkXjJRUDOCT1HeDg3HDwn96aqEi3XvdVYthInRAd9c7Af3oYrtl/srqPQA8aRtjJGmy4"
    "4IQ96A6UTX/kwrJNqNi0bwl1C9EmFVmKqRm2RjCjGGME1mi9QOZPFrBWxACMFiyJg1WgYWDo"
    "UEHgUbNXABNATBWZYIFWGuu1wSv0+u41WJpkDSClMdesl9g/v2YvV4lC367huwbfM8dzzGAB"
    "JlIIVjRdg+yXAR3BB2QxUv/ZRwDSZ0E6cMleqRLajYkNbHiP2Dj4CJ+OgINtTacj5xiqa0pq"
    "OtgCf/yX9weynrDCvpv+BPrLFPtsZjrojyPwuNKUFe1fE/ZWe4XcX8fe6P7xyBFxsPaXg2Sb"
    "3CHabFJcvn/vqZql0N8rayobwujYf3//nf5Bfz36gSw2jv1p3MtLDelqbIq4ZLxdtp8M3jbE"
    "9iUfyLiwkBWiO2scDjae7BXBwWgN26z1DmFkQjp7aJtNfxZtwo6ue1PLnz7uTwiHuJ8YoVHR"
    "Ejo6m3GM2v2AsK0ny6PxTJ5KM1nupWajTxGZOF4TZS6byfRTLf7r79gn/HLy5t2Hdx/fvn/3"
    "kQ7hnxm0fPjbfXUIjEvI4RnNen/zfmhDdwTHOARVMRFDQoZ2GtwL2mNra5SNcJwygbTqkb72"
    "/5PE3Ue5CHi/IUQ+XNq7gJ7+QHWM9SeP5QU4z4bX0nTWv75hr1tb1l86x68/k1jPCW99SrS+"
    "ev8zaydUarkiLXgI+Dqc/QrYn+Df45HE4SWWfWfyN4bjZv/usW+Cjk1kTB5lqEZmp9/qo0ZH"
    "hlyPr8Q418+1u9xVFad7fnUdApfdBfbPk5O3bz+cHL99//H03YcPpx+Pg5WW7ipacufDT2zV"
    "xTjrL8OQAb7wq4R+hEhAXwl6tqcs7yMCkDUsoHL/COlsTvWQE5I3Nt21PlknWyCGdxxO9rvZ"
    "B/vajaNqtoRt8ylT9wl7i1UfNk5GwcDnNJ98fmTs0onN+HtUzNO+7z36JmJ6szDaJ7ZtsW23"
    "Q6p0d9uOrr3y20aUSuwbG2/ZFEb2nSnoByto5gLvUSRgpz/mEGFfwx+yjvCdvaJ/vn9XgOiX"
    "/mTwa3/y6v27xGIZeT0nvCsOsA1Nug9VATik2B3Avd5O4H3zzzcl8KWjcgHmfXGEVWRDzdUm"
    "4hD/Nh2PcjT+kCS5V2iKDf4P6JrVmAzp/ffSwXwRgYWj6baGrdfstf/bFA8KIGcQxbYJH+lX"
    "1/1vSSYMrsbnSfnPHnDeHl30nNhTm/IrSxMN+gr10AWxZSsY9qz/bbqGug5Ux2T0dJBiW2fc"
    "Z8R9ZAbESAdrZFn0c494uw4t2/WPWb8oK4gjAwDb49Out2Ze8byWLHRfofu2Y4vuru7rGOqG"
    "XI9TCq63hes+RhG2e18fcv0ePVVRCL3h9WiD+xWiDSvbD1B3UBVFMCAQamCX1MABcQwOTkoJ"
    "9HoKVUAlHNOkF1LoV0K/Ejut0K8E1+vWrxQq06soWP74zmlYb8poWG/yNaw3KQ3rnv6sbGgl"
    "7Kw5vEP6QRArKK3HerRt9hv3bqTJQBrNzoCBTAVhe44vh9+kC/p0jb1lAyZ8LMGDj7ks+FhS"
    "xy2KleRpuSJQ0isdKFEc00RYqWS4RWk2mvSe5GgN8rF5/bbEvH6bO6/fJue1YRLVUWyZWruV"
    "fPlJunZYcux9B23JRVnD2O5YKIMtuSInSrKR1Gnb1K/FPIkoptXg3ArKjSb18YEASaimIdO9"
    "WlYcyyZrZGZsjYToCOJsZDPpEzAv6AOawjlo2a2cOB+Pr2Jy4nyY2AJHt9fnEtUOudCggzQ7"
    "Z2ek2oWmyiy5u6qNFaeswcZqmdA4XJMqbUm7vOL59ZuxOSAVfG4zn1l6z0OWfVEkREOiHUpO"
    "36w+WMHpOxYXGUZFkTkXp+uQdtWunOlIXjtS0Zr/qAyd7dwjvvw8QTrMyY2LRR8mweMO0Pr+"
    "25+Nfqs3m/5uPp4TwS03shPH9rkYj2zGh4twz45XvAj3CMe/CPcIrm8V7uHn9xycwfNnT/15"
    "VMIvvrFfnPtPKiY0RWlq8Yu3KOT2rky4511+vOddKuBjImp4WRtJtQSpsLzbI8XSm5enklZS"
    "B2M0XZJitfmHfbduRVzjVALZLMnPThhUgzVKUg+mB2/EpBwSSYGQhveSmEi7w5/RUyrfosjt"
    "cIBTNs/ZQJtN+BjY0nExSP9DfzVyvW4TKpYnw8GslykU6sA28qiuohsXhjn4Vsn0TQiRNBvG"
    "GM0I/ackE8b+Uw5KfJTFPyo1Y+AP+tNB/0JKYL+dp82fzlketshUL/CsRUcJh9oh7UVHwqH2"
    "glwrwqH2Erle2qHWkkJabRCqO3apLaDuqzvlsY8QdSZJ7CWk+G6WcXo7veg1hX2TSb42saEu"
    "Wwaq6q1PEIopvtkUd2G0iWHQrdkxNuFBjFjwYTM+qGtLVnRioawdtijTKk4o8lSfSbfaKN0n"
    "lRsisn5ys35SDuEtsSrryWlnHKoYH6qg20S5pxOLfrNlb4nUxH3axH1YV+cU3W0cY0ukZsS4"
    "NboK0CPUdWTLdAC23NJ8W6L1lT9wFj6vS8g1maQ4ZPKd2MwamCBmB/cyfKjpQUdFzlQtHC6b"
    "4XjhVt3VTBJuVeFgOxJuVcF1UfZrC542XwTW06nlFbRWVUBO0rW5NsWGeNdfZo0uCWrQWogX"
    "SnWqnGPOoOzQ+aXaUqsCmBZEzZAZ+cUQUoRbVUNoGcq7KHtQwWHUpC3xG1n0MqwH1lxoL/zp"
    "DWj29oxw8WL0w6a6iM08W8FlGkFODy/4I+7QEAZFO+THgaqWwqB4iVwvZVB0vRjbhXQ1/CJN"
    "5MH4QpqeAbrdaQ+sVAvd+Kw5/jTpj2byZHwlnYE7E2Kb35s5xxPpy/iz5HWY6IHcI6/nZjyd"
    "yZcSK+fGWCEvEVLnmH7B8PJfcv/iejg6Y5dKassnmV8ZOce3N4zR8nQ2nkiXkzErDOeuGKrB"
    "EhMtTcJKxHlPOL/9lzQJnrBwnpAZ9LFE2fHgc9DrBQN6Gyj0J2UU+pN8hf4kpdAb8EknMGMu"
    "FZTdCknaUXHr4GsnRxmSZ1iVW9u5xlWTKSkGwiqDsOISv5FGF8PRJ1ZvkdPT5Xs7GvEW08GY"
    "t1xQ8UlXP8FsCfcnn/n6heb9ZvUY37wv435IivWI9+F9cvl4CnAVQzhK0pkkitrs36RZUVGn"
    "ySDvoGJzuIpMWn/lx1Rl8oizDoPke+8SZN2rsVm/786FDP0wNMq+DdZWFr04V9zqtQWppotM"
    "k2QsrRmVlDl8jlF14Ca6IpZK32bFKlzA0avx6JM/PKnXJa+lUx2jcmmEOFXXiiM0EvrZxznk"
    "lomrhg8i5xzSrHxWtmPJfUdlz2nSDwCj26uraodk64smuLhnxBMChuRHFALe1xtT+N6ziGO6"
    "k4XuQcjEUGfQ/V4QbEhe2h09aeqNEsEGEWxoh9A4ULezCDa8RK6XCTZgZ72oZp2HFJ3LYXp7"
    "UuZc3En+wbiTpBYbbocbeXwD6nbHc4bTwXhycQa8k8JzzKqH3EhngKFvoDmWBl+HtB8pjxrt"
    "vR5ezCb90fQMrDWVp7iz6M7lpD+YscjOkukjlOb6nHmEEZ1tlKZ/MzwD0NDm+JM0kibDwRng"
    "v15T2uEsjmo7FRZTgqx7rq5GbEO0hln16gtg9gm6B/DJaam44WlB4PA0HTn0bt/hf1fAOUnX"
    "AQdTEu3TUmifFqB9mkT7LwdiW7MzPEq5pkyUZHeBpjetNmgikbt19cKxIU1nAnei0ELXCi28"
    "5ASCm/6QJwgwDbL/tT+c0W7Zy76Bj1Cz6SiZZ9/MsZdhxPRHL7uI6ZCX/eEVv/ORKgPsb+nb"
    "zZCPceNetGXQHw2kKz5IYRDqfBzVTW9HF6yRKqcO/bEqT1iYDftXVywFyO81oGlrUNdZGpA/"
    "jurGN7czyVWODcfeLLmhkdygNcK2vEZ0JmycbpZ+SqsNla+UYRK1MdzTtWkzJcswkb7NpMmo"
    "f8Vmiaur03H90S1rWUPsQL0dBoiyQso9ceyKBkiCrCH9uGOxKX/a02VeSTuOkwmsyx0Bc0Wp"
    "vIlSl0EstLvNtDuMkGrx9Cvslw9I8KGowE0GtahyU+FSsQA5KjyglQV/vtjJohWGeRnDXEU2"
    "VRUr3VscIREJ1LHJX0cC9eYJbiK1ra0hqXQkktl4G7A4Qib422b+Bib5BkxO0gpOt5nT+7um"
    "pWVMrdvDbUDlHt6harjGiQSsGbB68atqsMaIBKzP34Czl3taWoZx2fTTcte0ZEziGtC9CZ/U"
    "TXDjS7cMtq4IrQPb8EkdxTa221TOnA4x/5Mstix+6RVY6QbOcYP4AeFtS87ydHHpAR3k9Xel"
    "UHIL9Go2Wm8J1ZQ9aEif06HpVOmIQkE57Xxk/Wu/GqmpfUgwVz3c4S7KvBMewZJ95piHjIKB"
    "NR/2CE6RKNCx+FZmoiViCR0odeRDHOEQRzhasUIPNJlfHOF4iVwvc4RjaZJ1bs3Ocnk8iUe0"
    "OEtaJIY1nBhG59l2cyn2gFang4mp1OxUCrTC0sloPkGbp82GCQpN1Gv2de0KEMeIOghzIzlo"
    "1GQi2TGswhMFEaoORQV2facaT6hJI/9cCk6WHisycLbOwNlHWZbWSZxu1WVpG7xbF2YZ9KeD"
    "/oW0r7osfmQnw28XCfrkO+0iMaa6HXaR0GBwglA46oSjrpVy4EBdNsJR9xK5XsZRdzDnvFsv"
    "T6PJLlqWAVxklwUkXQJ0x1YZu0P0IQv3okNAIdEOz/74ysLBHv3ZV05iSyd6U1bXPrLm2gZx"
    "DWlzJWwvcbV4bek4VS1Tb2ZmWabhpC2wTCODxGXFhyT4joQJ+oKMEWGCvkSulzFBxWXFDQVj"
    "q1bK232FvN2FYI+Py4Rgj4/zQ7CsLxkGDL+sAswJss6VPTgthfVpAdanaaw7fwEhu3jwDLD7"
    "BufYu0+QXyTI2uX+6MK7ZJAN+Afr6W2yCmqv8CRcXaKsYTskfM1VDdkSq5xdEyESJZ02m9k6"
    "VR2D60pLGtUxmt0Bf9os8LWFIwJ4ZKgj08vErOAiz6QXlbKqVMoSkYldQW0hpGbN8PzUvJBi"
    "q9S8dvpyG83BS0UuhH99+3PBXqbVlgiVP8nfNq2uFEjeleayieg3W9seNp+4T5u4D+sqZns5"
    "cH4wSDUZ4krMr4xIV3oG5ge8EnO/VOCrNyK2tnwCawQeVwgD7xlIPQMQ+NVcgHeYCCyJCQhG"
    "wCK6+gtxbODF2MAr1mrQkQbUzJ9fJ10Qzbxljuf4D8yerHEH/x9As4CFbPcd0H8LoGhQPIC9"
    "QpoJLq7P2P+ABxIjsdlwy0DYPgIQqwDOMZ3p9DX+Ay6u+aA1gHd0ZtBv05+AtmRNTwBa917z"
    "q8eVpqwA3R+haQHNdmHIzGyN1hTyw5TpWwcjAczIrxT3C4qAY0tk5oGGnkTA8SVyvUzAMSpm"
    "K7I9QSoqfbaHzenVvb9Kn61bzB2pSdlFXAvyP/dTlLJtIJfNAC2qShmkgO67KOWhgrtdem2T"
    "1nXojsgwrGO+inybOvSNlDKnK+WRfo/PM3yHTMNkQBeagmG5EnZVPbuDPjiC619Az6ZyHCP0"
    "w6Dbp0U/kjf15hG2zXn2x7zH/vePY0YdMSh/yCECMnyAmjtdGUTeRO/xx1NY2B/g66/SRALu"
    "h4D/AT8FJD+5s0DYrcJu3btoO1ALRtitL5HrZexWRTNWLAD/I4PrM9qas85jVJ3I/CniqfRt"
    "VhzcDFh6NR598ocnI55xcye6a6eQz8+4SpB1Avqmc5YP8DbZmL5UJeWz/6U/vOqfs7TO4Bms"
    "6tpUmnxxq65ZyHzg1dQy67pNpC/jz+7AB3K/WYW1+lNC/a/eYHNKkArvWns2o7QOIm5Meimc"
    "pkMppxYZ2caFpeYiVKLU3Kb5sPuobdZO4IXzuoW4iuIF+7nzZ9f1+FomEsrimluOr8xtP006"
    "rWfEuDV6GQ5rt+OoyFn9CHX6M2SbGI5Ryl3d6wOF6loa5S6gVL84Bk+AelxBG2i2Bbw74FkC"
    "1oNGAQMW1FRgaXTm+KWfLU7hlXK20plftb+BZX3NVoj+IoXS81wsqCjO2mE5W+AVBEsd3vE0"
    "MDrFn3hC2JGX8cWe5iV8AR2adyz/y6OkSuccu/euUwqEfz4CFuEDFR0+MtYChax5uWrA6s+7"
    "+WDesyzKKaBh+p1PgE8sQJbAvewoLwdM1JAQrvE27ksH6iQVrvGXyPUyrvG21J1vUT2JRqrO"
    "exs5u+ihCtIJsobucukY1q6eUtHpEtB0yUQVp+v3Heip+XS9ayzIVCSYTxWzM9OUXZrptTm5"
    "XDNI3kSGpEhFLYPN5Ih/G5KsYXlJvyuDDUUHwLPIxbH7CmfBPWeCTAwKT9WqB2ligf0G2D9m"
    "XsJbBvjHzDOoAvUyqOvEyhL6ZWD3SQXuFXBn3sNMCVOwzYY0Yn/dVE8X53vEOZTWBZ2KzqGE"
    "0bz9xJ2+8tjRzITYgooHQCoGlR50VCYelRhf8yEKv4ijuM1dRFdaLigO1M8uoisvketloiud"
    "L747G9/c3pwBnlIxxze3zG85lc6A4ZjKClrIvwvbT1aY4/7Fb7fT2bU0mp0BqP5Jt3wW4Jjj"
    "wVX/63mf3c3tZxT0ys2ehrOyRTBBBBP2CH2TwYQF1JnkkeHSzjJRimZ4ilRM9G283a0Iwe8b"
    "/OYDw5jY1e518MZ37qaBk9PTEujSUbno8r5UsV6S7VIq3CsjVB1KuhcePeHREx69Vnv00GJF"
    "yL3E8pB7Wc68aP9RoR/PHSmjYGj9dVB49jd7Nn8JwzNdBSU8xGsiBWneeVBeAyXs0hE1y2Rq"
    "nmi6KJUpPH8tESgH6gMSnr+XyPUynr+oyC6d7Buh6aJJV7tvLtgLK4AcpekiyE3YzVF1oqIM"
    "S5AKIdYWIVZm67KoPUP1RhPJJONaqcKsqCSpuIqnfFKUK6I4VJUFm0/VOZdV/RWTmKW6IGpG"
    "gCG/JliUphO7x64rgh1gmSp/C6s4z3sTaSANvXpU7hPm+GYyHkjTKWuk2p6CLIu1Dj+NxrxG"
    "FRWahFeouuwPr1jDEmp6W+pTIdMkGfps/mIJCDogjHa9TqBto7WRdUFTvic9QtKZzNg6i9e4"
    "y20DJTZJK6putcfyTmutig4pD7LrbhWkDsSoGjpou0fDsH79KepJrrigEqRiPbVtPaUiYPuJ"
    "0fSRqSmrXkZ0xus5KorLwHBMrQEZkT69xyDKAzItLetsXL5oj5B0wmbbRS6HYVRB2BveQXTf"
    "HB+XsaOOj/MNKdaXyNYg2EZZSaX5ly1HSLa6bbltaBeAu4/rluvfzP7+fy9VZGY="
)
