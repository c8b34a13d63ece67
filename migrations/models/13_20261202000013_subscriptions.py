"""Stripe subscriptions: one row per subscription, tied to the order its checkout made.

The columns (status, current_period_end, cancel_at_period_end, grace_until, renewals) are
derived from `facts`, every fact Stripe reported merged commutatively, so events in any
order end the same (models.subscriptions.state). The order_id index serves "the
subscription of this order" (My orders, /admin customer, /admin processorder cancel).
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE = """
CREATE TABLE IF NOT EXISTS "subscription" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "stripe_id" VARCHAR(191) NOT NULL UNIQUE,
    "stripe_customer_id" VARCHAR(191),
    "status" VARCHAR(16) NOT NULL,
    "current_period_end" TIMESTAMP,
    "cancel_at_period_end" INT NOT NULL,
    "grace_until" TIMESTAMP,
    "renewals" INT NOT NULL,
    "facts" JSON NOT NULL,
    "customer_id" INT REFERENCES "customer" ("id") ON DELETE SET NULL,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE,
    "product_id" INT REFERENCES "product" ("id") ON DELETE SET NULL
) /* A Stripe subscription and the order its checkout made, its columns derived from facts. */;
CREATE INDEX IF NOT EXISTS "idx_subscriptio_order_i_a0b82c" ON "subscription" ("order_id");
"""

POSTGRES = """
CREATE TABLE IF NOT EXISTS "subscription" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" SERIAL NOT NULL PRIMARY KEY,
    "stripe_id" VARCHAR(191) NOT NULL UNIQUE,
    "stripe_customer_id" VARCHAR(191),
    "status" VARCHAR(16) NOT NULL,
    "current_period_end" TIMESTAMPTZ,
    "cancel_at_period_end" BOOL NOT NULL,
    "grace_until" TIMESTAMPTZ,
    "renewals" INT NOT NULL,
    "facts" JSONB NOT NULL,
    "customer_id" INT REFERENCES "customer" ("id") ON DELETE SET NULL,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE,
    "product_id" INT REFERENCES "product" ("id") ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS "idx_subscriptio_order_i_a0b82c" ON "subscription" ("order_id");
COMMENT ON TABLE "subscription" IS 'A Stripe subscription and the order its checkout made, its columns derived from facts.';
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES if db.schema_generator.DIALECT == "postgres" else SQLITE


async def downgrade(db: BaseDBAsyncClient) -> str:
    return ""


MODELS_STATE = (
    "eJztXVtz2ziW/isovXS6xp11O3GSUe1ulWzTaXVsySXJSWaiLjZMQhbbFMAmQTuq2fz3BcD7"
    "1aSuFI03CcABye/gcm44+E9nQXRkOq97OrEo0kfERJ0u+E8HwwX/kVd9BDrQsqJKXkDhnSDs"
    "QK+hagct7xxqQ42yuhk0HcSKdORotmFRg2BOMcQILNDiDtk/OcCZEwtwWjAjLtaBgYFlQg2B"
    "J4POASaA2DqywR2aG7yWglfo9f1rMLPJAkBGYy94LaE/v+YP14nGnm7g+y0+Z4qnmMMCbKQR"
    "rBmmAfmXARPBR+Rw0qDvIwBZX5A1nPFH6oRVY0IBhQ+It4NPcHkEXEwNk7WcYqgvGKntYgf8"
    "+V/+H+Qsscbfm30C+zKNdie2i/48Ak9zQ5uz+gXhT6Vz5H0df6L350kg4mLjbxeplNwjVmwz"
    "XL596+iGo7HvVQ2dN+F0/Ocff7A/7OvRd+Twdvyv9aDODGTqiSHikYlylS4tUdbH9FI05Fy4"
    "UzViugscNbaWdE5w2NrAlJfeI4xsyEYPK6Pss1gRdk3TH1rB8PE+IWrivWKMRkcz6Jp8xHFq"
    "7wWiso6qDoYTdaxMVLWTGY0BRWzg+EWMuXwks1d1xNff81f45eTXt+/ffnjz7u0H1kS8Zljy"
    "/of36AgYj1DAM5h0foh6SKHXQmAcgarZiCOhQpoF94LVUGOB8hFOUqaQ1n3S18GPNO4BymXA"
    "BwUR8tHU3gX07AP1ITaXPstLcJ70r5XxpHd9wx+3cJy/TYFfb6LwmhNRukyVvnr3My8nbNXy"
    "lrSwE/ClP/kN8L/g38OBIuAlDr23xROjdpN/d/g7QZcSFZMnFeqx0RmUBqixlhHXkzMxyfUz"
    "475wViXpnp9dh8Blb4L98+TkzZv3J8dv3n04ffv+/emH43CmZavKptxZ/yOfdQnOBtMwYkCw"
    "+NVCP0Ykoa8FPd9TZg+xBZAX3EHt4Qmy0ZypISekqG22anGySJdADO8FnPy7+QsH0o2rG1TB"
    "1F7myj5Rbbnow9upKGz4nORTzI+cXTq1GX+LL/Os7luHPYnY/iiM18ltW27bzVhV2rttx+de"
    "9W0jTiX3jZW3bAYjf88M9OdzaBcC71OkYGcfc4iwL+B31UT4ns7Z33dvSxD93Bud/9YbvXr3"
    "NjVZBn7NiahKAkyhzfahOgBHFLsDuNPZCby//vPXCviyVoUAi7okwjqi0PCkiSTEv4+HgwKJ"
    "PyJJ7xWGRsH/AdNwtraGdP575mIxicCda5jUwM5r/tj/3RYPSiDnECW2iQDpV9e9r2kmnF8N"
    "z9LrP+/grDmy6BmhY8r4lSeJhnWlcugdoaoTNnvW/jZeQNMEumtzetZIo05X2IyEjcyCGJlg"
    "gRyHve6RKDehQz37mPOLNoc41gDwPT5retvOI56XkqXsK2XfZmzR7ZV9XUtfketJSsn1pnA9"
    "wCjGdv/tI64/oGUdgdBvvhlpcL+L6JaF7UdouqiOIBgSSDGwTWLguetQshBSTUYMDOtKxUAt"
    "3mqbtkgpZUkpS+63UsqSXN+0lNUkd3ATFtUdW5bvoAmxliONlWEfI9qdUf+4Vbhrrm0jrNXS"
    "MOI0OzQ6344vdmN3flNB0XhTqGe8ydj0CYWm6lgI52woZcM7RSiH+GpD3IOREstiW7NrrcKD"
    "BLHkw2p80BeOqpnEQXk7LCEmgrhgi00QpuC/Y5Tbwj8s2a1+fTYcXiWkprN+CtzB7fWZMnrl"
    "Ob5YI4PGMK+hVUfM8RwAOYzx6S4/jZAJC3y5vq485H1U4IUvzTRFqP0RjLegNE88ZIImJdqD"
    "aiP2zg5dE6mR19vI6+wAFYFKmDnuXdj5moCNY121dISxPca11oRpQqxbq63D6QmaJqIqa4Ad"
    "L6xkTbS+iA4nUX9tQm6bBtO+jhYWoVwHGCGu/XZyLKfZRkdlJlQjaq7aUXtpTN3VSJLGVGlW"
    "O5LGVMl16bJeg6fbD2D0NRB1Dp15HZDTdDIet0KIAJsSFnsiEkF+bo68WXxQKUu5kuGoYarM"
    "ZqSEHIDviJ6zZhTHYmQI14rJaBjKLyj44ndy18nRHnhxqb7wl99guye/osmL0XfKZBHKtBQa"
    "HgQjgcXrgVHJ819SoWjI+nGgoqVUKF4i1yspFHx9zRV2FewuBL/7DIsgGiCpXfi0TRZ4OxfK"
    "Vf+zMlLPhxfKuAvYdmc8Ipt9BWs3xR9HvcFEHQ2vlC64tyGmIufLFI+Uz8NPil9ho0fygPya"
    "m+F4ol4qykUXcFaoM4T0KWZv0L/8l9q7uO4PujwhijFbqiLdyRTf3nBGq+PJcKRcjoaDSRd4"
    "M4ZJsMRGM5tgGvZwdvsvZRT2cOcukR3WjRizh+efwlrfddJZQaA/qSLQnxQL9CcZgd6CS5PA"
    "nLFULGnGSGTc70ZEz4STqECxqja3C5WrbQaiWAjrHMKaU/xGGVz0Bx/ZhPTo2fS9HQxEie1i"
    "LEou2PLJZj/BfAr3Rp/E/IX2g+f6rm1/eFfF/JBe1mPWh3fp6eMLwHUU4ThJa0InNqb/ptWK"
    "mjJNDnkLBZvDFWSy8quJoINU8oQ9xbGq9S5FttJq1zAjx7Ztdx5k6LtlMPatMLfy6DcwuRrG"
    "hVbNLcgkXWTbJGdqTdhKWcDnBFULsiiUsVT5OikX4UKOXg0HH4PmabkunVJBdy2k1nT6JKk2"
    "sqC13fUjzI25JxQKpa84ifQ/FARIphDOwnvJFGDjHn9Cy4w68iJCIVmxDZ9Cw3ZiVLGPZ5+M"
    "vAhU9gJgcHt11fmxH2+Ch3uOPyFkSLFHIeT9Zn0K3zoOcW1vsLA9CNkYmnk5X+POhnTCufj5"
    "Ur+VdDZIZ0MzFo0DNTtLZ8NL5HoVZwN2eebyOrJsRNG6GKY3J1VOw50UH4c7SUux0Xa4ksU3"
    "pG62P6c/Ph+OLrrAPx88xePJqH+jdEUueQtNsXL+pc/qkfZksNrr/sVk1BuMu2Bh6CLEnXt3"
    "Lke98wn37My4PMJors+4RZhn1mc0vZt+F0DLmOKPykAZ9c+7QHy9oTXDWByXdmpMphRZ+0xd"
    "W9EN0QIaZi2YA4L2AXxyWslveFriODzNeg5torsaVcX/Gjin6VpgYEqjfVoJ7dMStE/TaP/t"
    "QkwNmmNRKlRl4iS7czT92miFJua5WxC37gH0iKY1jjuZXqFt6RVecgDBTa8vAgS4BNn70utP"
    "WLXqR9/AJ2hQ1koV0TdT7EcYcfnRjy7iMuRlr3/Fi2ZMGOD/la83fdHG83uxkvPe4Fy5Eo00"
    "DqEp2jHZ9HZwwQu9K5Z42U1vNOn3rq54CFBQa0GbGtA0eRhQ0I7Jxje3E8UTji2XrhbcsJXY"
    "oAXCVF0gNhJWDjfL9tJoReULY5jCdAzvdG1WTclTTJSvE2U06F3xUeLJ6qxdb3DLSxYQu9Bs"
    "hgKizZH2QFxaUwFJkW1JPm6ZbyoY9mya15KOk2QS62pHwLylVF1FqMshltLdatIdRkh3RPgV"
    "zr8XozStTQ61zG3zTG6bdCyiQI4tHtCpeS1JDq1UzKso5vL+jIYFUK8e4CZD25rqksp6IrmO"
    "twKLY2SSv03mb6iSr8DkNK3kdJM5DTUNOY4q7p6uy+k07U44vUvlqYWMdp6QRddid6oHOb2b"
    "zPUgVK9emG6KSkbqZtU9C2oP8D7/xuhCXJNEEtYcWH33dD1YE0QS1mfjyuMBvGuGlsdvpDks"
    "jKtGl6cWw0SAOT9cPuqfTzp5g3gD6N5EPbUT3OTUrYKtt4RuAtuop5Zim9htah+MiDD/i9yt"
    "mdvWz5/UDpyT9q5HhNfNvy1OgyiP6CCv/q6Ekpet3KBosW7mbd5Rn/XT0uG0vyTlBzOutn5g"
    "y5uJRae2wnn6zNEtFYUNN3yAKzwZpkHXEfuXjWaIB2mhzDEueSxLHstqxHQ+0AM68ljWS+R6"
    "lWNZM5ssCvPwVovNS3XR4JMPMthzy8GebJytN5YSHTQ6xFMOpe0OpVAqrBxgGhA0edisGHS0"
    "jRzsgaxdA+IEUQth3kpcKVOZSL7jqvSUUIyqRa6AXd+OKILkssg/F1aXJ8fKqLq1o+r2kWqp"
    "cStOu3ItNQ3etZMtnffG570LZV+5lgJ3To7dLubpKTbaxRxLmzbYxfyB4algaaiThrpGrgMH"
    "arKRhrqXyPUqhrqDyd3Q+PU0HuFi5CnAZXpZSNImQHeslfF7gR/zcC872BcR7fA8XyAsHOxx"
    "vn0FIjZ0oG9L69pHqFzTIN5ArFwF3Sul6W4iZOnwjGl7CSoJRmaeZhoN2hLNNNZIXkB+SAvf"
    "kVRBX5AyIlXQl8j1KiqovIB8S87Yutkvd5/1cncu2OPjKi7Y4+NiFyyvS7sBEyHEVWFOkbUu"
    "lclpJaxPS7A+zWLd+ktF+WWiXcDvEJ1i/45QcTkoL1d7gwv/4lDe4B+8prPKLNh41jZp6pKp"
    "Spuxwm84UymfYrWja2JEMk3baiPbZKJjeAVxRaU6QbM74E+3C/zG3BEhPCo0ke1HYtYwkefS"
    "y+x3dbLfSc/ErqDWXVsYZ1UdLuvcfJyha1F05MZWEtYvsh9hrasr4jQNPsOxotTxoYLU8aFQ"
    "6viQyY+OkJ63PhcHlkYUawWWNgzkXUSQZvxu0ju0/gltP05wTYSqJ59omk5SCSQ2EIU4ZSP2"
    "zs66+RFGXm8jr7O2YraXHAmHidTekiQcyoK1TXd2ajbmeLWz87XYuZ1aKUTj55zcnQGhxmwJ"
    "Fgg8zREGfh9I7wIIgnRNwD84CGbEBgQj4BBT/4W4FPj+dPCKl1qspQUN++fXaXPjdp4yxVP8"
    "J+Y9G8KZ9ycwHOAg6j0DBk8BDA2GB6BzZNjg4rrLfwEfJE5CeXPHQpgeAYh1AKeYjXX2mKCD"
    "i2vRaAHgPRsZ7N3MJTBmvGgJoPPgF796mhvaHDBpAtoOMKgHQ24UezxpWBCSkL01OBasEPtK"
    "eT+wDC5oyJp5oG5mGVzwErleJbggvszWZHuKVKbybQ6bs7N7f6l8GzeZW5J0to24lsR67yfr"
    "bNNArhrtXZZ2Ngz33nfW2UMFd71Q+m1q15HxJkexTlh2inXqyJJUSZ2uFTP+LTnO8D2yLZsD"
    "XaoKRqmJGOKsYSyJoV/1Bx/KSYzQd4ttn44w8rCizjTGtqmI9Jp2+K9/HHPqmEL5XY0QUOEj"
    "NLzhyiHyB3pHdM9g4X/Al9+UkQK8FwH/A34KSX7yRoHUW6Xeuvel7UA1GKm3vkSuV9FbNcOa"
    "82Cb7zlcn7DSgnmeoGpFlF8ZT5Wvk3JXcMjSq+HgY9A87R9OqjvxXTuDfHGYQ4qsFdBv+3zC"
    "Ad4Gn5CX6oR39z73+le9Mx7CHfbBMyyOldFnL8Oig+xHkTkxN4fjSPk8/OQ1fCQPq2VT3Hz4"
    "d/DWK2xOKVJpXWvOZpSVQeSNhy+F06wp49RdzsmC0rSSMaoWBU7uOPZ9H3kMmwm8NF43EFeZ"
    "qGQ/l3rtOvdmw5aEqrgWpt6scp3XVo3W8Si6PLt1KsquxHSdbvlsLFgPjBm6FgJxUhESxSOm"
    "BGTAoA7Q5kh74IFZC6izbkSRWA8dpoTYTH7TAb+PgT1Go042GGx7j5GJWaQN+kA2gAO1Rkob"
    "9EvkehUbtCPW9FzZudgQmiBqXZKWrVzl4ENWGsL0LODloUwtOGq3JeiLTdBFcO/B7GxgjSws"
    "IdDuBuuNW4q97BNUtZiYR3QV5WVzeUZ+yO1BWhObs4HkRGWKy6TY5l/K99Jj8EVdyAQENU7F"
    "3zMSpLqY5t1aUz7tUqRyvjV5vrEFEj1Bs07igzhJa5LWbMx+LAwRWTSLz+OHBPKep8Sk2cQ9"
    "T/uL8W/YkrXpUd7QC7QOz262f8dTC0dq4w5NNAzjTZyZiHwk+z40caDglnj18rFt4I16u1xv"
    "1/bq7fkkyoRYt1Ynx5vnVRyVufGYuM2+QqXEcq2qbjzNRjpT73TAqH5xLeFbe5pDKnxoFlwu"
    "EBZZFR4N7mtzoKEDx2ADJ7i72REU/l3MuR68DT+Bp3KYzJHnyvMSLEBNcxcuT8QAXkEwM+G9"
    "yO3ARvhSZHk48tM48N78LA7AhPY9T+rgUxqPaMoAJ0wfZRQI/3wEHCIaaiZ84qwF3FLG75v2"
    "PIkiyYPfl8M4BQzul1z6PkkyA+iRfZf0NUpfo/Q6SV+j5Po2uF7F19iUi+Pb7mv0N3KVQVcH"
    "6RTZlryLLcPak1Ny/B1lkdQhTZviTmV6/H17zzecHt9TFlS2JNjLmubYLGWbRvrGDIieGqSu"
    "soZkSFvj19nxOuIBySRKA6sz9l41Xdd55NJtXSeZu2dMUInF4KkbOJAlltivgP1T3uVWlYB/"
    "yk0tK1GvgrpJnLxFvwrsAanEvQbu3HqYu8KUbLMRjdxfV5XTZdK+FvtJmwbyJhyl0RG9/fid"
    "vgjf0cSG2IFa0YmybKOjKv6oVPsNZ0YLbmGMjHbppGjSuyK9K41YKA7Uzi69Ky+R61W8K62/"
    "PXcyvLm96QIRUjHFN7fcbjlWusBybW0OHZFq6fJ2cBEEK0xx7+L32/HkWhlMugDqf7Etnzs4"
    "pvj8qvflrHf+qRtGFHSqjZ4tH6CRzgTpTNgj9Nt0JtxBk688KpzRPBWlbIRnSOVAX8fa3QgX"
    "/L7B375jGBNaC+Sg/Q5PnHZ2gu7J6WkFdFmrQnRFXea2XZJvUirdK2NULYq8lxY9adGTFr1G"
    "W/TQ3ZyQB4XHIXfyjHnx+qNSO57XUkVh081fbiCiv3nf4iEcz+zVBlGKBBtpyPCTvP7BLzaI"
    "qkzE1DL/XLG8/05a/pqxoByoDUha/l4i16tY/uJLduVg3xhNG1W6jdvmwr2wBshxmjaCvA29"
    "OS5O1FzDUqRyEWvKIlZl63KYPsPkRhup5CFHqy+LikqT7jAqKhAZDzYoyluiBFS1F7aAqnUm"
    "q81fg8I11Tui5zgYii/6idO0YvcoW622cc3PAd49E2xhNcd5Z6ScK33/khmvhym+GQ3PlfGY"
    "FzJpT0OOw0v7HwdDcfEMWzSJuHbmste/4gUzaJioIZfOINsmOfJs8WQJCVqwGO16nkBK0cLK"
    "y4FVbEmPkbQmMnaTiYG86baCEJumlcn4mqN5Z6VWzYSMB/mX6ZSEDiSo2pfGd/PyU9ySXHNC"
    "pUjlfGrafMp4wPbjo+kh29DmnRzvjF9zVOaXgVGbjTpkZPj0Hp0oj8h2jLyzccVLe4ykFTrb"
    "LmI5LKsOwn7zFqL76/FxFT3q+LhYkeJ1qWgNginKCyotzm8bI9l9htv9bJQby2W7183sx/8D"
    "3xJlTw=="
)
