"""Restock requests (table restock_request) and the notify_buyer / notify_restock job kinds.

A customer who finds a product sold out may ask to be told once when it is back; the job
kinds are new values of job.kind (a VARCHAR(24), so only its column comment changes).
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE = """
CREATE TABLE IF NOT EXISTS "restock_request" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "notified_at" TIMESTAMP,
    "customer_id" INT NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE,
    "product_id" INT NOT NULL REFERENCES "product" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_restock_req_custome_ff8372" UNIQUE ("customer_id", "product_id")
) /* Notify me when restocked: a customer waiting for one sold-out product (one per pair). */;
CREATE INDEX IF NOT EXISTS "idx_restock_req_product_90b421" ON "restock_request" ("product_id", "notified_at");
"""

POSTGRES = """
CREATE TABLE IF NOT EXISTS "restock_request" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" SERIAL NOT NULL PRIMARY KEY,
    "notified_at" TIMESTAMPTZ,
    "customer_id" INT NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE,
    "product_id" INT NOT NULL REFERENCES "product" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_restock_req_custome_ff8372" UNIQUE ("customer_id", "product_id")
);
CREATE INDEX IF NOT EXISTS "idx_restock_req_product_90b421" ON "restock_request" ("product_id", "notified_at");
COMMENT ON TABLE "restock_request" IS 'Notify me when restocked: a customer waiting for one sold-out product (one per pair).';
COMMENT ON COLUMN "job"."kind" IS 'DELIVER_CODES: deliver_codes\nGRANT_ROLE: grant_role\nREVOKE_ROLE: revoke_role\nPOST_FEED: post_feed\nNOTIFY_ADMIN: notify_admin\nUPDATE_STOREFRONT: update_storefront\nNOTIFY_BUYER: notify_buyer\nNOTIFY_RESTOCK: notify_restock';
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES if db.schema_generator.DIALECT == "postgres" else SQLITE


async def downgrade(db: BaseDBAsyncClient) -> str:
    return ""


MODELS_STATE = (
    "eJztXVtz2ziW/isovWy61p11nDjpUW1tlSzTGXVsySXJSWaiKTZEQhbbJMAmQSuqmfz3BXgX"
    "byElUaJovEkADkh+B5dzw8G/OwZRkW6/7qnEpEgdEx11uuDfHQwN/iOr+gx0oGlGlbyAwrlL"
    "2IFeQ9kKWs5takGFsroF1G3EilRkK5ZmUo1gTjHCCBjImCPrv2xgL4kJOC1YEAerQMPA1KGC"
    "wEqjS4AJIJaKLDBHS43XUvAKvX58DRYWMQBkNJbBawn95TV/uEoU9nQNP9b4nBmeYQ4LsJBC"
    "sKLpGuRfBnQEn5HNSYO+zwBkfUHWcMEfqRJWjQkFFD4h3g6u4PoMOJhqOms5w1A1GKnlYBv8"
    "8T/+H2SvscLfm30C+zKFdqeWg/44A6ulpixZvUH4U+kSeV/Hn+j9WbmIOFj7y0EyJY+IFVsM"
    "l2/fOqpmK+x7ZU3lTTgd//mvf7E/7OvRd2Tzdvyv+SQvNKSrG0PEI3PLZbo23bIBpjduQ86F"
    "uawQ3TFw1Nhc0yXBYWsNU176iDCyIBs9rIyyz2JF2NF1f2gFw8f7hKiJ94oxGhUtoKPzEcep"
    "vReIyjqyPBxN5Yk0leVOajQGFLGB4xcx5vKRzF7Vdr/+kb/Crxdv3n1499vb9+9+Y03c1wxL"
    "PvzwHh0B4xG68AynnR9uPaTQa+FiHIGqWIgjIUOaBvea1VDNQNkIb1ImkFZ90tfBjyTuAcpF"
    "wAcFEfLR1D4E9OwD1RHW1z7LC3CeDu6kybR3d88fZ9j2X7qLX28q8ZoLt3SdKH31/hdeTtiq"
    "5S1pYSfgy2D6d8D/gn+OhpILL7Hpo+U+MWo3/WeHvxN0KJExWclQjY3OoDRAjbWMuL45Eze5"
    "fqU95s6qTbqfz65T4LI3wf52cfH27YeL87fvf7t89+HD5W/n4UxLVxVNuavBRz7rNjgbTMOI"
    "AcHiVwn9GJGAvhL0fE9ZPMUWQF4wh8rTCrLRnKohFySvbbrKuDCSJRDDRxdO/t38hQPpxlE1"
    "KmFqrTNln6i2WPTh7WQUNvyZ5JPPj4xdOrEZf4sv86zuW4c9iVj+KIzXiW1bbNvNWFXau23H"
    "5175bSNOJfaNrbdsBiN/zxT0/SW0coH3KRKws485RdgN+F3WEX6kS/b3/bsCRD/3xv2/98av"
    "3r9LTJahX3PhVm0CTKHF9qEqAEcUhwO40zkIvG/+9qYEvqxVLsBu3SbCKqJQ86SJTYh/n4yG"
    "ORJ/RJLcKzSFgv8AXbNrW0M6/7twsDuJwNzRdKph+zV/7P/VxYMCyDlEG9tEgPSru97XJBP6"
    "t6Or5PrPO7hqjix6ReiEMn5lSaJhXaEcOidUtsNmP7W/TQyo60B1LE7PGinU7ro2I9dGZkKM"
    "dGAg22ave+aW69Cmnn3M/lVZQhxrAPgenza91fOIn0vJQvYVsm8ztuj2yr6OqW7J9U1KwfWm"
    "cD3AKMZ2/+0jrj+hdRWB0G++H2nwuItozcL2M9QdVEUQDAmEGNgmMbDv2JQYrlSTEgPDukIx"
    "UIm3qtMWKaQsIWWJ/VZIWYLr+5aymuQObsKiemDL8hzqECsZ0lgR9jGiwxn1z1uFu+JYFsJK"
    "JQ0jTnNAo/PD5Powdue3JRSNt7l6xtuUTZ9QqMu2iXDGhlI0vBOEYohvN8Q9GCkxTbY1O+Y2"
    "PNggFnzYjg+qYcuKTmyUtcMSoiOIc7bYDcIE/HNGWRf+Yclh9eur0eh2Q2q6GiTAHT7cXUnj"
    "V57jizXSaAzzClp1xBzPAZDBGJ/u5tMY6TDHl+vryiPeRwle+NJMU4TaH8F4C0qzxEMmaFKi"
    "PMkWYu9s0x2RGnu9jb3OTlARKIUZWzUdc0ekpsR8MNsK0ArqOqIya4BtL1BiR7S+uB1Oo/7a"
    "hFydJsCBigyTUC7VjhHX5zoZtsB0o7Mio6AWNZetqL0wDx5qJAnzoDAUnQnzoOC6cMLuwNP6"
    "Q/J8mVpeQntZBeQknYgwLeH0ZlPCZE9EbtiakyFv5h+9SVNuZQppmPq3HykhA+A5UTPWjPzo"
    "ghThTlEGDUP5BYUT/E7mnQztgRcX6gt/+g3qPcsUTV6MvlMmi1CmpdDwaBMJbDhPjEqcaBIK"
    "RUPWjxMVLYVC8RK5Xkqh4OtrprArYcdw+T1gWAT+7U3twqdtssDbuZZuB5+lsdwfXUuTLmDb"
    "nfaMLPYVrN0Mfxz3hlN5PLqVuuDRgpi6WUxmeCx9Hn2S/AoLPZMn5NfcjyZT+UaSrruAs0Je"
    "IKTOMHuDwc0/5N713WDY5Sk+tMVadhN4zPDDPWe0PJmOxtLNeDScdoE3Y5gESyy0sAimYQ9X"
    "D/+QxmEPc2eNrLBuzJg96n8Ka31nQGcLgf6ijEB/kS/QX6QEehOudQIzxlK+pBkjEZGsexE9"
    "4wzJU6zKze1c5arO0AoTYZVDWHGK30vD68HwI5uQHj2bvg/DoVtiORi7Jdds+WSzn2A+hXvj"
    "T+78hdaT58ytbH94X8b8kFzWY9aH98np4wvAVRThOElrggH2pv8m1YqKMk0GeQsFm9MVZNLy"
    "q46gjWSywp7iWNZ6lyDbarVrmJGjbtudBxn6bmqMfVvMrSz6PUyuhnGhVXMLMkkXWRbJmFpT"
    "tlLm8HmDqgV5AYpYKn2dFotwIUdvR8OPQfOkXJdMEqA6JpIrOn02qfayoLXd9eOaGzNj7nOl"
    "rziJ8D/khPwlEE7De8MUYO0Rf0LrlDryIoL7WLEFV6Fhe2NUsY9nn4y8mEr2AmD4cHvb+XEc"
    "b4KHe4Y/IWRIvkch5P1+fQrfOjZxLG+wsD0IWRjqWVlM486GZAq1+IlJv5VwNghnQzMWjRM1"
    "Owtnw0vkehlnA3Z4Lu4qsmxE0boYprcXZc53XeQf8LpISrHRdriVxTekbrY/ZzDpj8bXXeCf"
    "eJ3hyXQ8uJe6bnZ0E82w1P8yYPVIWWms9m5wPR33hpMuMDTVDXHn3p2bca8/5Z6dBZdHGM3d"
    "FbcI81zxjKZ3P+gCaGoz/FEaSuNBvwvcr9eUZhiL49JOhcmUIGufqasW3RAZUNMrwRwQtA/g"
    "i8tSfsPLAsfhZdpzaBHVUajs/q+Ac5KuBQamJNqXpdC+LED7Mon2Xw7EVKMZFqVcVSZOcjhH"
    "05tGKzQxz51BnKpHqiOa1jjuRMKAtiUMeMkBBPe9gRsgwCXI3pfeYMqqZT/6Bq6gRlkr2Y2+"
    "mWE/wojLj350EZchb3qDW160YMIA/y99vR+4bTy/Fyvp94Z96dZtpHAIdbcdk00fhte80Ls0"
    "iJfd98bTQe/2locABbUmtKgGdZ2HAQXtmGx8/zCVPOHYdOh2wQ21xAYZCFPZQGwkbB1ulu6l"
    "0YrKF8YwiekY3unatJqSpZhIX6fSeNi75aPEk9VZu97wgZcYEDtQb4YCoiyR8kQcWlEBSZDV"
    "JB+3zDcVDHs2zStJx5tkAutyR8C8pVTeRqjLIBbS3XbSHUZItd3wK5x900NhopYMapGt5SfZ"
    "WpKxiC5ybPGAdsWLNjJohWJeRjEXN0I0LIB6+wA3EdrWVJdU2hPJdbwtWBwjE/xtMn9DlXwL"
    "JidpBaebzOkglqdaHF+CSoTypeVBEypP8DH7ktRcXDeJBKwZsPr+q2qwbhAJWH8aeBqP8Nsx"
    "9jR+CcNpYVw2/DSxGG5EoPLTp+NBf9rJGsR7QPc+6qmd4G5O3TLYekvoPrCNemopthu7TeXI"
    "6QjzP8l8x+SXfoKVduC8qRA/I7xrylk3XFx6Rid5220plLwEvRpFxo5QTXhHA9ZPi4ZT7UcU"
    "vKGVd04hHHg/Oawgo7Dhno8shGchFOjY7oJsoQXiYQkodXBBHEQQBxEaMZ1PNCRdHER4iVwv"
    "cxBhYREjN/NkuWiURBcNjvUV4U01hzexcbbbWNrooNFBTWIo1TuUQqmwdEhVQNDkYbOlm72O"
    "rMOBrF0B4g2iFsJcSyQVU5lItiemMC4+RtUi2/ahb7hyw0LSyP8skCRLjhVxJDvHkRwjuUjj"
    "Vpx2ZRdpGrw7pxfp9yb93rV0rOwigX8iw24Xc13kG+1inpJ9G+xiDq7wHJww1AlDXSPXgRM1"
    "2QhD3UvkehlD3cmcVm78ehoP2dCq3nAekrQJ0ANrZfwmzOcs3IuOskREBzzBEggLJ3uA5ViR"
    "dQ0d6HVpXceI/WoaxHsI/iqhe4kLso8VVBKMzCzNNBq0BZpprJG4cveUFr4zoYK+IGVEqKAv"
    "ketlVFBx5W5Nztiq+d4On+ftcC7Y8/MyLtjz83wXLK9LugGjN6sAc4KsdYf3L0thfVmA9WUa"
    "69Zfo8evz+sCfmveDPu34rnX4fFyuTe89q/K4w3+m9d0tpkFe89TJExdIjlfM1b4Pefm41Os"
    "cnRNjEgkJtpuZOtMdAwv3SypVG/QHA74y3qB35s7IoRHhjqy/EjMCibyTHqR76lKvifhmTgU"
    "1DZCatYIzw/Niyh2Cs1rpi231hi8lOdC2Nd3P93qR1rtiFD58+hNk+pKgeRfzC1biL2zveuR"
    "6bHX29jrrK2YHeXY9MkgVaeLKzG+Mjxd6RGY7/BKjP1Sjq/O0L3QHhgIrJYIA78PpHYBBEFO"
    "EuAfJgILYgGCEbCJrv5KHAp8Hxt4xUtN1tKEmvXL66QJop6nzPAM/4F5z5pr4P8DaDawEfWe"
    "AYOnAIYGwwPQJdIscH3X5b+ADxInoby5bSJMzwDEKoAzzEY6e0zQwfWd28gA8JGNDPZu+hpo"
    "C160BtB+8otfrZaasgRsf4SWDTTqwZAZ2RrPjBO4KdN358UcmLGvFLfkCYdjQ9bME3U9CYfj"
    "S+R6GYdjfJmtyPYEqchX2Rw2p2f38fJVNm4ytySzYhtxLYj/PE5qxaaBXDYCtCi3YhgCeuzU"
    "iqcK7m7htXVq15E5IkOx3rBV5OvUkW2klDpdKY702+Y4w4/IMi0OdKEqGKUr4Reu85vUwyO4"
    "4hp1oSA2ag05UVVBKIgvketlFERFM5fc0/09g+tTVpozzzeoWhFiU8RT6eu02IsYsvR2NPwY"
    "NE+6Fjf1ivj2mEI+P7QpQdYK6OsODj7By0fhM9S8Hqph3ul97g1ue1c8fjLsg6c3m0jjz156"
    "MxtZz27asswEamPp8+iT1/CZPG2Xymz/sZfBW2+xOSVIhRmrOZtRWgYRF+y8FE6zpoxT84yw"
    "3sKcbjEqkdNt28DTYyQRaybwwkrcQFxFloDjXBFz6MR3DVsSyuKam/euzOUwdVqHp8R8MDsZ"
    "lmGv4qzIKuxdLC9TYjpmKbtwpwcUJmtpjLuAUf3qmG6k0WoJKdCoDfwrw3mk07PGAAM21FRg"
    "a2zkBDmWbZfCz5lsp0Os9v4EHl41XSL2RQqjd4OeoKI4hsODo8ArCBY6fHTjrdgQX7uRV2d+"
    "aBXvzY+sAjq0HnmglU/JhM4Z9q7pZhQI/3IGbOI2VHS44qwFCjHcvNCAJ3r3Aq/8vmzGKaBh"
    "9p5r4A4sQBbAuxsnL9hKJGsQpvEm7ksnaiQVpvGXyPUypvGmJHhvUOKGWtK7+xs5v1GhCtIJ"
    "spouTWkZ1p6cUtHoEtK0SUUVx9iP7ejZ8zF2T1mQ2ZJgrSuGQaYp2zTS92bk8tQgeZs1JEUq"
    "kgZst44E1w7JGpYX7L0y2FB00jqLXJxvr3Do2jcmyMRk8FRNL5AmFthvgf0qKwlVKeBXmYc9"
    "BeplUNeJnbXol4E9IBW4V8CdWw8zV5iCbTaiEfvrtnK6OEgjDnw0zulUdOAj8uYdx+/0xfUd"
    "TS2Ibaj4AKR8UOlGZ2X8UYn2ez6tEGRLFNemC+9KwxeKE7WzC+/KS+R6Ge9K67PcTkf3D/dd"
    "4IZUzPD9A7dbTqQuMB1LWUIbBZdOB8EKM9y7/v1hMr2ThtMugOqfbMvnDo4Z7t/2vlz1+CXY"
    "QURBp9zoqTkqWzgThDPhiNDX6UyYQ52vPDJc0CwVpWiEp0jFQN/F2t0IF/yxwa/fMYwJrXaB"
    "gt++dSn9Ly4vS6DLWuWi69aJG+ybsoYIi56w6AmLXjWLHpovCXmSeBxyJ8uYF68/K7TjeS1l"
    "FDbdf8IRN/qb9+0+hOOZTjcSHeK1kIK0Z5F4Upj3mrRqnKihR5j3XiLXy5j34uty6YjeGE0b"
    "9ba9G+DCDa8CyHGaNoJch3IclxkqrmEJUrGINWURK7N12UxpYXKjhWSScUlTYehTklRcbFM+"
    "8slbolyoKi9sAVXr7FL7T4vE1dE5UTO8CPmJv+I0rdg9Dp326wRzUQVbWMVx3hlLfWngJ53y"
    "epjh+/GoL00mvJBJewqybV46+DgcuYmo2KJJ3DRUN73BLS9YQE1vShIqZFkkQ57NnywhQQsW"
    "o0PPE0gpMsys647yzeUxktaEv+4zQ4033bYQYpO0IrVWczRvT2pNmeWPYzjuIUtTlp0Mk7Ff"
    "c1ZkLIZRm71aiUVM5xGNvs/IsiveGh8jaYWMeQgHs2lWQdhv3kJ035yfl5H7zs/zBT9el3Ah"
    "E0xRVqRb/lWrMZKd7lptGtoF4B7jstX9b2Y//h8ErNfP"
)
