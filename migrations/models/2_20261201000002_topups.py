"""Top-ups and clawbacks: the wallet_topup table and the `clawback` ledger kind."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE = """
CREATE TABLE "wallet_topup" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "reference" VARCHAR(191) NOT NULL UNIQUE,
    "payment_ref" VARCHAR(191),
    "amount" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "credit_entry_id" INT NOT NULL,
    "refund_amount" BIGINT NOT NULL,
    "refunded_in_full" INT NOT NULL,
    "dispute_opened" INT NOT NULL,
    "dispute_won" INT NOT NULL,
    "dispute_lost" INT NOT NULL,
    "clawed" BIGINT NOT NULL,
    "customer_id" INT NOT NULL REFERENCES "customer" ("id") ON DELETE RESTRICT
) /* A credited top-up and what its payment provider said since: refunds and disputes. */;
CREATE INDEX "idx_wallet_topu_payment_e72d7e" ON "wallet_topup" ("payment_ref");
"""

POSTGRES = """
CREATE TABLE "wallet_topup" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" SERIAL NOT NULL PRIMARY KEY,
    "reference" VARCHAR(191) NOT NULL UNIQUE,
    "payment_ref" VARCHAR(191),
    "amount" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "credit_entry_id" INT NOT NULL,
    "refund_amount" BIGINT NOT NULL,
    "refunded_in_full" BOOL NOT NULL,
    "dispute_opened" BOOL NOT NULL,
    "dispute_won" BOOL NOT NULL,
    "dispute_lost" BOOL NOT NULL,
    "clawed" BIGINT NOT NULL,
    "customer_id" INT NOT NULL REFERENCES "customer" ("id") ON DELETE RESTRICT
);
CREATE INDEX "idx_wallet_topu_payment_e72d7e" ON "wallet_topup" ("payment_ref");
COMMENT ON TABLE "wallet_topup" IS 'A credited top-up and what its payment provider said since: refunds and disputes.';
COMMENT ON COLUMN "wallet_transaction"."kind" IS 'TOPUP: topup\nPURCHASE: purchase\nREFUND: refund\nADJUSTMENT: adjustment\nCLAWBACK: clawback';
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES if db.schema_generator.DIALECT == "postgres" else SQLITE


async def downgrade(db: BaseDBAsyncClient) -> str:
    return ""


MODELS_STATE = (
    "eJztXW1zm7gW/iuMP3XnZjup07Rdz507QxzSdevYGZu03a13GBnkmA2WKIikmd3+9yvxYt"
    "4p2MbGRJ/aSDqAnyMdnTcd/dNZYQ0a9ssLTKYEENjpCf90EFix/6T6ToQOMM2whzUQMDfc"
    "wXNMFHs9bG4TC6iEdiyAYUPapEFbtXST6Bix4dMVMAxBcyxGTwepxO4JZAkFe4lNwQQIGs"
    "IK2ja4o8Ss3QA2EbClQcv+VV0CFBkgWBBoL9l7NazSF+vorr5XOEj/5kCF4DtIaSz6oq9/"
    "0WYdafA7tIM/zXtloUNDi+Gpa+wBbrtCnky3bYDIlTuQff1cUbHhrFA42HwiS4zWo3VEWO"
    "sdRNCiULPHE8th8CLHMHxWBIh7XxoO8T4xQqPBBXAMxiRG7X1A2NZRlNFYVqaSrCidFAMD"
    "igjgfpOKEWM+/VTb/fV37BN+7b56/fb1u7M3r9/RIe5nrlve/vBeHQLjEbrwjOTOD7cfEO"
    "CNcDEOQVUpZygSCiBpcC9pD9FXMBvhOGUCac0nfRn8J4l7gHIR8EFDiHy4GvYBPZu0Y2Q8"
    "+SwvwFkeXEtTWby+Ya9b2fY3w8VPlCXW03VbnxKtL978wtoxXeieCFg/RPg8kH8X2J/Cn+"
    "OR5MKLbXJnuW8Mx8l/dtg3AYdgBeFHBWiR2Rm0BqjRkSHXHVPbkOtxSs71pnA9wCjCdv/r"
    "Q67fw6c0u/tLYGWz2h+e4DHFahOuHlaIrsB3xYDojizpn29eF/D0kzjp/y5OXrx5neDTyO"
    "/pul0/YsA+AMOBaWg/TMejbGjXBMkFpKtE+FcwdDu1Ue1q6XT+u3CQyhAU5o5uEB3ZL9lr"
    "/9epCfwCsBlAsbUTgPziWvySxL8/HF8kFwV7wAVlBtMZFveRDY41zIF6/wgsTUn14C7OG5"
    "vuWnVXyRaAqE6j+b+Y/T5f1es7NsErV6tJqYHrvkI1UI2O+pkWmM8CrmVxLYvvt1zL4lzf"
    "v5al6bZKrWAlS5Be6He5sjRO93OZ2nytyxOqv3W7Z2dvu6dnb96dv3779vzd6Vq6pruKxO"
    "zF4D2TtDG+BqI3hH8ODIDUDG2sCPsI0W6AL7O8TluFu+pYFkRqJQsjSrMbM6OUBnw7vaxL"
    "2Y1bGmclDI2zXDvjLGlmEEyAodgmRBkbStH0ThDyKb7ZFPdgJNg06dbsmJvwIEbM+bAZH7"
    "SVragGtmHWDouxAQHK2WJjhAn455SyLvzXLfu1ry/G42FMa7oYJMAd3V5fSJMXr1whRAfp"
    "JIJ5Bas6ZI4XAMhgjE939XECDeD+yDQPfFt5zJ5Rghe+NtMUpfZHMN+C1iz1kEoAx9wSHx"
    "mbt+YRav2lAHoEhgGJQgcgG7iOqi3R+uw+UA6f1ybk6nRnDTS4MjFhGtoEMtukk+HXSg86"
    "KXJw6eFwxQrHc1fXvmYSd3Vxp8cJd3VxrvOA4hY8jZn5r357VcLQp6NyTX23L27kWJD+Tp"
    "soS2Avq4CcpNufX+WIA7h0SZj0jdBNwXIy9M1ctSCDciOzvmGmzG60hAyA51jLkBn5kfIU"
    "4VYR84ah/IxC4x/wvJNhPbDmQnvhb39AnQbC1064eBH8TqguQqiVwv7t/MWtB249NEJYHK"
    "keya2H58j1UtYDhTRbs5WQs3L5PaBYBIHZuCnh0zZZu+1cSsPBJ2mi9MeX0rQn0L1Nf4AW"
    "/RV03Ay9n4gjWZmMh1JPuLMAIoqFDThDE+nT+KPkd1jwAd9Dv+dmPJWVK0m67AmMFcoCQm"
    "2G6BcMrv5QxMvrwYh+Jib64olyYaWjGbq9YYxWpvJ4Il1NxiO5J3grhqqr2IILC3tbUFUN"
    "vFtGA+/ma+DdlAZugicDg4z5kK8aRkh4GuVOdMUoQ/IsoXLrM9caqjOub0KkMQgrLtMbaX"
    "Q5GL2ni8qjp0vwdjRyWywHIbflkopAuoIxYstQnHx01yCw7r1IYmWHwZsy/oKkaI64C94k"
    "l4+vsVaxXKMkrYlE78xgTdoBFfWSDPIWKifHq4ykdVADAhsq+BF5keey7rYE2UbSrmFeib"
    "qdbR5k8LupU/ZtsLay6HewuBrGhVatLUC1VWhZOGNpyVRS5vA5RrVHPeIAKpwsfZGLVbg1"
    "R4fj0ftgeFKvS+RJQc0xoVIxShOn2olAa3usxs15ykz4ztW+oiQ8YJCTb5ZAOA3vFTVi9T"
    "v0ET6lzJFnkVlGmy3wuHZOx2YV/fH0J0MvoY9+gDC6HQ47Pw7j/vdwzwgArBmSHwJY8363"
    "QYCvHRs7ljdZ6B4ELQQMBt1fBdGBiJOZBwZ4YKAZwuFIXcQ8MPAcuV4mMICc1byaFR5StC"
    "656Kxb5hBRN/8UUTeprYbb3kae3TV1s2Mvg2l/PLnsCf6xyhmaypPBjdQTGPomnCGp/3lA"
    "+6H6qNPe68GlPBFH056w0jU395xFYq4mYl9mUZgF0zsozfUF8/xCOtsojXgz6AnA1GfovT"
    "SSJoN+T3B/va42wykc1WoqLKYEWftcWrXYgHAFdKMSzAFB+wDunpeKD54XBAjP0xFCC2uO"
    "ShT37wo4J+la4EhKon1eCu3zArTPk2h/cwAiOsnwHOWaMlGS/QWUXjXaoIlE6FbYqXpuN6"
    "RpTYCOn0pv26n055wocCMO3EQApkGKn8WBTLtZtk3/I1UMH4FO6CiWaqPez5CfDcT0Rz8T"
    "iOmQV+JgyJoWVBlgf0tfbgbuGC++RVv64qgvDd1BKoPQcMdR3fR2dMkaqXLq0B+ruYkJ8k"
    "AcDv9Qwl4TWEQHhsFO2wXjqG58cytLnnJsOmSzJIZacoBWEBFlBelM2Dg1LP2URhsqnynD"
    "JGpjeMde02ZKlmEifZGlyUgcslni6ep0nDi6ZS0rgBxgNMMAUZdQvccOqWiAJMhq0o9bFo"
    "MKpj1d5pW04zgZx7rc2SxPlCqbKHUZxFy720y7QxBqtptmhYJz/Qk+FFUDyaDmJUF+UhIk"
    "mXPoIkeFB7Cz4M8XO1m03DAvY5hrkFBVMUPfzk+UjpDwROnY5N9FovTmiWw8ha2pIal0JJ"
    "LZeBuwOELG+dtk/q5N8g2YnKTlnG4yp4MS29Xy9RJUPGUvrQ+aQL0Hd7AarnEiDmsGrH78"
    "qhqsMSIO608TTKOF97fMMY1W+j8ujMummSaEYSzTdCIxD2Zf7mRN4h2gexM+qZ3gxpduGW"
    "w9EboLbMMntRTb2G5TOUM6xPxvPN+yKqVf+aQdOMcN4geIsk6iVq4AKz3A+jyhh0bJjQoq"
    "OoGrLaGasgcN6HNaNJ1qP4rgTa288wjrifeTQwkKXA/c8dGE9ZkHFTi2K5AtuIAsLQGmDi"
    "jwgwj8IEIjlvORpqTzgwjPketlDiIsLLzKLQlZLhsl8YgG5/ry9Kaa05voPNtuLsUe0Oik"
    "Jj6V6p1Ka62wdEpVQNDkabNhmL2OcsCBrl0B4hhRC2GuJZOKmkw4OxJTmBcfoWqRb3vf1y"
    "i5aSFp5H+WSJKlx/I8kq3zSA5RRKRxEqddVUSaBu/WZUT64rQvXkqHqiISxCcy/HaR0EW+"
    "0y4SKdm1wy4S4Fqfg+OOOu6oa6QcOFKXDXfUPUeul3HUHc1p5cbL02jKhl71Gu01SZsA3b"
    "NVxq6ofMjCvegoS0i0xxMsgbJwtAdYDpVZ19CJXpfVdYjcr6ZBvIPkrxK2F7+F+VBJJcHM"
    "zLJMw0lbYJlGBvG7cI9J8J1wE/QZGSPcBH2OXC9jgvK7cGsKxlat97b/Om/7C8GenpYJwZ"
    "6e5odgWV8yDBh+WQWYE2StO7x/Xgrr8wKsz9NYt/7KO3bVXU9gN9zNkH+DnXt1HWtXxNGl"
    "f60dG/Af1tPZZBXsvE4Rd3Xx4nzNkPA7rs3Hlljl7JoIES9MtNnMNqjq6CYzVjCqYzT7A/"
    "68XuB3Fo5Yw6MAA1p+JmYFF3kmPa/3VKXeE49M1Al1yoPO/bzbn7L0M362RKj8ueimaRfN"
    "PYp6NEjVGTYIAcsIHMTQzA8dhNzbffTgazx4h+6gRQ0fRDIuyYoM9A+p8BuyeLChGWv7SN"
    "3OPNjwHLleJtig6uaSGTHfM7ief6FunKoV3pMintZxpW50D0whn++1SpC1Avq64z5HeK8E"
    "eAC694RqmHfET+JgKF4w1/j6Gezk6lSafPJOrtrQenBPpGaejZ1In8YfvYEP+H6zU6q7d6"
    "sHX73B5pQg5RU1m7MZpXUQXjv1uXCaDqWcmmdEbAqP60ao+HHdTWMK/JL51pRWbZwqxxPA"
    "jyABPLv6577PNDdMJGx9pLlM3c86XcAyNm/NTob71+s4KXL9eneGKQSbjlnK+dsRBZXqWj"
    "rlrkCpfnVMASBNeFwCIujEFvzboAQ6Cx90CphgA10TbJ3OnKB8ju1S+OVw7JdJS2P3b5ih"
    "GZKXkP4ildJjZDwJQFWdlWPQSSq8AMLCAHeCDYlAp/iTzf53IhBK4D1N0G33LwNYd9Amgk"
    "9Jlc4Z8m5gohQQ/XIi2NgdqBrgkbFWUPHKLfkjsBperGsVPMumnBJ0RL/zSXAnloAXglf2"
    "1AWE5+Fz1/iR7EtH6iTlrvHnyPUyrvGm1O5qUE4+v2/yyLE+lrvDW+dz4RnKdWcoe8aCQk"
    "WC9VTxRqY0ZZtm+s6cXJ4ZtMVVtfyi2q3lyPrOXx0pC/pdGWwoSqLNIuepyxVSl31ngoJN"
    "Ck/VzPE0Mcd+A+wfK1/QnKDkqG+AuoHtLKFfBvaAlONeAXfmPcyUMAXbbEjD99dN9fRD3e"
    "nZRu2xIJR3mGsSmwZy2aBTuXsSDxN3+uzGjmQLIBuoPgCpGFR60EmZeFRi/I6PJAQH4fmN"
    "WDy60nBBcaR+dh5deY5cLxNdaX0BE3l8c3vTE9yUihm6uWV+y6nUE0zHUpfAhsF9QkGywg"
    "yJlx9up/K1NJJ7AtD+pls+C3DMUH8ofr4Q2f1GQUZBp9zsqTkrmwcTeDDhgNDXGUyYA4NJ"
    "HgUsSJaJUjTDU6R8om/j7W5ECP7Q4NcfGEaYVKuN549vXbW27vl5CXTpqPxL9lgfv5ysKT"
    "KEe/S4R4979Kp59OB8ifF97tX2sf6TQj+eN7K+6+2D7G/2bPclDM90TZHwEK8FVaj750F5"
    "XRHu3muG1DhSRw937z1Hrpdx70XlcumM3ghNG+22nTvg1hteBZCjNG0EuQ7jOKozVJRhCV"
    "IuxJoixMpsXTY1WqjeaEEFZ9TfLUx9SpLymqXlM588EeVCVVmwBVSt80vtviwSM0fnWMuI"
    "IuQX/orStGL32HfZryOsRRVsYRXneWci9aWBX3TKe8IM3UzGfWk6ZY1U21OhbbPWwfvR2C"
    "1ERYUmdstQXYmDIWtYAN1oShEqaFk4Q5/NXyxrghYIo32vE0AIXJkkY6Xku8sjJK1Jf91l"
    "hRpvuW2gxCZpeWmt5ljentaacssfxnEsQktXl50Ml7Hfc1LkLAbhGH5z5b5mft1O3wdo2R"
    "UvBIuQtELH3EeA2TSrIOwPbyG6tVxsR99IYFam24fpeJQTsQhJkrulrhLhX8HQ7WOMIReA"
    "y8Ao1gOTKl9i82MPuKh2f8nuN7Mf/wdCcSyZ"
)
