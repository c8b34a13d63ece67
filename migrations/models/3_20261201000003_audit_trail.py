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
    "eJztXetzm7gW/1cYf+qdm+2kTpN2PXfuDLFJ161je2zSdrfZYWRQYhosURBJM3v7v1+Jh3"
    "kTcIyNib4l0jkYfkeP85T+6aywBg37tehoOpEQsR47PeGfDgIrSP/I6D0SOsA0wz7WQMDC"
    "cMkBo1PgmnBhEwuohHbdAMOGtEmDtmrpJtExoq3IMQzWiFVKqKPbsMlB+g8HKgTfQrKEFu"
    "349jdt1pEGf0Kb/futo1oQEKgpgHRo37cO/SVsKbrGfjraxxjNO+VGh4YW+zqP1G1XyKPp"
    "tg0RuXAJ2XstFBUbzgqFxOYjWWK0ptYRYa23EEGL/R5tI5bDPpR9hw9L8O3eN4Uk3sdEeD"
    "R4AxyDRIBZKGFbR1HGE1mZS7KidCpAqWLExEBf1Xa//pa9wm/dN2/fvX1/cvb2PSVxX3Pd"
    "8u6X99MhMB6jC89Y7vxy+wEBHoUrjRDUCPIpcAe0h+grmI1wnDOBtOazvg7+SOIeoFwEfN"
    "AQIh+Oy11ATz9QmyDj0Rd5Ac7y8FKay+LllP3cyrZ/GC5+oiyxnq7b+phofXX2L9aO6ZTz"
    "puP6IcKXofyHwP4V/pqMJRdebJNby/3FkE7+q8PeCTgEKwg/KECLjM6gNUCNUoZSj869uM"
    "zP9dvcORXlenpmHYKEvcn1e7d7cvKue3xy9v707bt3p++P17Ms3VU03c6HH9iMi0k1mIIx"
    "8Nl7pqDvL4GVC7zPkYCdfswhwr4CPxUDoluypP+evS1A9LM46/8hzl6dvU1MlrHf03W74g"
    "ATYNF9qArAIcfuAO50dgLvm9/flMCXUuUC7PbFEdYgAbqnTcQh/jifjLMhjrAk9wpdJcL/"
    "BEO3a1tDOv+5cZA7iYSFoxtER/Zr9rP/rUsGBZAziGLbRID0q0vxa1II/dHkPLn+swecU4"
    "EwRenmLrKrs4YFUO8egKUpqR7cxXm06a5Vd5VsAQjcuvCyL2bf52ub55jMCZVXlia67ivU"
    "QxeYKPaa7CkttDNfAcMQNMdi/JRIJTbd9ZZQsJfYFEyAoCGsoG3T1z1y2w1gEwFbGrTs39"
    "QlQBECge3xrzsJmdb0E09ryVz35bpvM7bo9uq+jqltKPU4J5d6U6QeYBQRu//2odTv4GMV"
    "hdAn3442uN9FtGZl+x4YDqyiCK4ZuBrYJjWw79gEr1ytJqUGrvsK1UA1SlWnL5JrWVzL4v"
    "st17K41LetZWm6rVIruLJnOc63Hd9yExbVHXuWF8AASM3QxoqwjzDtzql/3CrcVceyIFIr"
    "WRhRnh06na/mg934nU9KGBonuXbGScqnjwkwFNuEKGNDKRreCUY+xDcb4h6MBJsm3Zodcx"
    "MZxJi5HDaTg7ayFdXANszaYTE2IEA5W2yMMQH/gnLWhf+6Zbf29flkMoppTefDBLjjq8tz"
    "afbKC3xRIp1EMK9gVYfC8QIAGYLx+S4+zaABcmK5vq08Yc8oIQtfm2mKUvsrGG9Ba5Z6+A"
    "AMAxKFEiDbi2k/E6wv7gPl8HkHaA7kIlent2aowZWJCVNAZpCp3p0Mt02a6KjIf6OH5IoV"
    "0nNPzq5GEvfkcJv+iHtyuNR5vOwZMq0/e8qC9DttoiyBvawCcpKPJwOWiE/SKWHSX4Ruhp"
    "GToW/mqgUZnBtZrQ3T1LejJWQAvMBaxpqRHwhOMT4rINwwlF9Q5PcjXnQyrAfWXGgvfPcJ"
    "6i07CScvgj8J1UUItVIIrzTh1kNzFosD1SO59fASpV7KeqCQZmu2EnJWrryHFIsg7hg3JX"
    "zeJmu3nYE0Gn6WZkp/MpDmPYHubfo9tOhXULpr9GEmjmVlNhlJPeHWAogoFjbgNZpJnyef"
    "JL/Dgvf4Dvo908lcVi4kadATmCiUGwi1a0TfYHjxpyIOLodj+pqY6DePVAorHV2jqykTtD"
    "KXJzPpYjYZyz3BmzFUXcUWvLGwtwVV1cC7ZTTwbr4G3k1p4CZ4NDDIGA/5qmGEhWcJbkVX"
    "jAokzxIqNz9zraE6w9YmRBqDsOI0nUrjwXD8gU4qj59Owavx2G2xHITclgFdAukMxohNQ3"
    "H2yZ2DwLrzAmWVHQZnZfwFyaU54i44S04fX2OtYrlGWVoTaN2awZq0AyrqJRnsLVRODlcZ"
    "SeugBgQ2VPAD8gKrZd1tCbaNVruGeSXqdrZ5kMGfpk7Ft8HcyuLfwuRqmBRaNbcA1VahZe"
    "GMqSXTlTJHzjGuFtRcF4lU+ioXq3BriY4m4w8BeVKvSxZga44JlYpRmjjXVha0tsdq3JSe"
    "zHzmXO0rysIDBjnpVAmE0/BeUCNWv0Wf4GPKHHkRiVO02QIPa+d0bFTRj6efDL18NfoCwv"
    "hqNOr82o/738M9IwCwFkh+CGAt++0GAb51bOxY3mChexC0EDAYdH8XRAf4EVQ8MNA4K+xA"
    "XcQ8MPASpV4mMICc1aKaFR5ytC656KRbpkamm18k001qq+G2t5Fnd83d7NjLcN6fzAY9wa"
    "8avEZzeTacSj2BoW/CayT1vwxpP1QfdNp7ORzIM3E87wkrXXNzz1kk5mIm9mUWhblhegfl"
    "uTxnnl9IRxvlEafDngBM/Rp9kMbSbNjvCe7X62oznMJRrabCZEqwtc+lVYsNCFdANyrBHD"
    "C0D+Duaan44GlBgPA0HSG0sOaoRHH/r4Bzkq8FjqQk2qel0D4tQPs0ifYPByCikwzPUa4p"
    "E2XZXUDpTaMNmkiEboWdqmWpIU9rAnS86LptRdcvOVFgKg7dRACmQYpfxKFMu1m2Tf8TVQ"
    "wfgE4oFUu1Ue+ukZ8NxPRHPxOI6ZAX4nDEmm6oMsD+l75Ohy6NF9+iLX1x3JdGLpHKIDRc"
    "OqqbXo0HrJEqpw79WM1NTJCH4mj0pxL2msAiOjAMVm0X0FHdeHolS55ybDpksySGWnKAVh"
    "ARZQXpSNg4NSz9lEYbKl+owCRqY3hlr2kzJcswkb7K0mwsjtgo8XR1SieOr1jLCiAHGM0w"
    "QNQlVO+wQyoaIAm2mvTjlsWggmFPp3kl7TjOxrEuV5vlLaXKJkpdBjPX7jbT7hCEmu2mWa"
    "Hs0/ILD7vI4OYnXjxx4kUy59BFji4ewK54WUEGLzfMyxjm/FT9hiVKb57IxlPYmhqSSkci"
    "mY23gYgjbFy+TZbv2iTfQMhJXi7pJks6OEG6Wr5egoun7KX1QROod+AWVsM1zsRhzYDVj1"
    "9VgzXGxGF9MsE0eq78M3NMowfZHxbGZdNME4thLNN0JjEPZl/uZA3iLaA7DZ/UTnDjU7cM"
    "tt4Sug1swye1FNvYblM5QzrE/DtePPNUSv/kk3bgHDeI7yHKqkStfMCpdA8P8sbQUii5UU"
    "FFJ3D1TKjm7EFD+pwWDafaSxG8oZVXj7AeeE8UJShwTbjl0oR1zYMKHNtdkC14A1laAkwV"
    "KPBCBF6I0IjpfKAp6bwQ4SVKvUwhwo2FV7lHQpbLRkk8osG5vjy9qeb0JjrOnjeWYg9odF"
    "ITH0r1DqW1Vlg6pSpgaPKw2TDMXsdxwIGuXQHiGFMLYa4lk4qaTDg7ElOYFx/hapFve9e3"
    "BLlpIWnkn0okydJjeR7Js/NI9nGISONWnHadItI0eJ99jEhfnPfFgbSvU0SC+ESG3y4Sus"
    "h32kUiJdt22EUCXOs6OO6o4466Rq4DB+qy4Y66lyj1Mo66g6lWbvx6Gk3Z0KveEr1maROg"
    "O7bK2BWV91m4F5WyhEw7rGAJlIWDLWDZV2ZdQwd6XVbXPnK/mgbxFpK/Sthe/JLhfSWVBC"
    "MzyzINB22BZRoh4nfhHtLCd8RN0BdkjHAT9CVKvYwJyu/CrSkYW/W8t92f87a7EOzxcZkQ"
    "7PFxfgiW9SXDgOGbVYA5wda64v3TUlifFmB9msa69VfesavuegK74e4a+TfYuVfXsXZFHA"
    "/8a+0Ywb9ZT2eTWbD1c4q4q4sfzteMFX7LZ/OxKVY5uybCxA8m2mxkG1R1dJMZKxjVMZ7d"
    "AX9aL/BbC0es4VGAAS0/E7OCizyTn5/3VOW8Jx6ZqBPqlAed+3mfX2XpZ/w8E6HyddFN0y"
    "6aW4p6MEjVGTYIAcsIHMTQzA8dhNLbfvTgWzx4h26hRQ0fRDIuyYoQ+kUq/IYsHmxoxtw+"
    "ULczDza8RKmXCTaourlkRszPDKnnX6gb52qF96RIpnVcqRvdA1PI53utEmytgL7uuM8B3i"
    "sB7oHuPaEa5h3xszgciefMNb5+BqtcnUuzz17lqg2te7ciNbM2diZ9nnzyCO/x3WZVqtt3"
    "qwdvvcHmlGDlJ2o2ZzNK6yD87NSXImlKSiW1yIjYFJbrRrh4ue6mMQV+yXxrjlZtnCrHE8"
    "APIAE8+/TPXdc0N2xJeHZJc5lzP+t0AX9x7/2S2cVeQPW/PuUKThMdFbmEvbvEFJKg37Jr"
    "OEhI4icTcgdww1ffA3UFcgfwS5R6qWzztieSypPp1ZR+ODYd8xpNr5iTaS71BNOx1CWwYX"
    "CuW3Cq2zUSBx+v5vKlNJZ7AtC+OzZZ+Yfz7t8TdiiXP7fOaOYppnWnmC6AwVYZBdyQLDuk"
    "aISnWPlA33ig8yMLsxbyOo4sRJhUq0fy6VtXIVPL9Zb8QMh9bpb7uhmtcctIGy+bahrIZV"
    "135W6b2pP3Di6WGN/lXicS6z8q9Nl5lPVdKWJa+F73fbzujzA803mcYeKEBVWo+zF4nsvJ"
    "XXnNWDUO1KnDXXkvUeplXHnRdbmsTRHlaaPdtnUH3HrDqwBylKeNINdhHEd1hoprWIKVL2"
    "JNWcTKbF02NVqo3mhBBWfUPBdWiCZZeZ1o+ZJcb4lyoaq8sAVcrfNL1XAfDDVHF1jLiCLk"
    "F1tEeVqxe+y61OIA8/+DLaziOO/MpL409BP9vSdco+ls0pfmc/dmKgur0LZZ6/DDeOIm/9"
    "NFE2dci9WMcCe0LJyhz+ZPljVDCxajXc8TQAhcmVkXLue7yyMsrTniZZtZwd5020CJTfLy"
    "cobmWN6e1lrhmI06HccitHR12clwGfs9R0XOYhDS8NOCdzXy63b63kPLrngIY4SlFTrmLg"
    "LMdFJVQNgnbyG6tRwmSn+RwKxMt/xLBSMsu79VcD8b5dbuD9zrZvbr/8UXpP0="
)
