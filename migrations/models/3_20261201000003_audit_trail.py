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
    "4UbONgom+JdA6G39HjvHT0j7jCOjSdl5KrG0RGxH4Uz4R/RARWkP6R03skiMCyoj7WQMDc"
    "9MgBo1PhmnDuEBtohHYtgOlA2qRDR7MNixgY0VbkmiZrxBolNNBt1OQi45sLVYJvIVlCm3"
    "Z8/Ys2G0iH36HD/v0qajYEBOoqICLt+yrSX8K2aujsp+N9jNG6UxcGNPXE1/mkXrtKHi2v"
    "bYDIpUfI3muuath0Vygith7JEqM1tYEIa72FCNrs92gbsV32oew7AljCb/e/KSLxPybGo8"
    "MFcE0SA2auRm2iqo7GijqVFVUVa0CpYcTEQF/V8b7+lr3Cr71Xr9++fnfy5vU7SuK95rrl"
    "7Q//pyNgfEYPnpEi/vD6AQE+hSeNCNQY8hlwL2gPMVYwH+EkZwppPWB9Gf6Rxj1EuQz4sC"
    "FCPhqX+4CefqA+RuZjIPISnJXBlTxVpKtr9nMrx/lmevhJisx6el7rY6r1xZtfWDumU86f"
    "juuHCJ8Hyu8C+1f4czySPXixQ25t7xcjOuVPkb0TcAlWEX5QgR4bnWFriBqljKQen3tJmZ"
    "8bt4VzKs7185l1CBL2J9dvvd7Jydve8cmbd6ev3749fXe8nmXZrrLpdj54z2ZcQqrhFEyA"
    "z94zA31/CexC4AOOFOz0Yw4R9hX4rpoQ3ZIl/ffN6xJEP0mT/u/S5MWb16nJMgp6el5XEm"
    "ACbLoP1QE44tgfwKK4F3hf/faqAr6UqhBgry+JsA4JMHxtIgnxh+l4lA9xjCW9VxgaEf4V"
    "TMNpbA0R/7twkTeJhLlrmMRAzkv2s/9rSgYlkDOIEttEiPSLK+lLWgj94fg8vf6zB5xTgT"
    "BFaXEX29VZwxxodw/A1tVMD+7hItps16q3SrcABG49eNkXs+8LtM1zTKaEyitPE133leqh"
    "c0xUZ032My1UnK6AaQq6azN+SqQRh+56Syg4S2wJFkDQFFbQcejrHnntJnCIgG0d2s6v2h"
    "KgGIHA9viXYkqmDf3Ez7Vkrvty3bcdW3R3dV/X0jeUepKTS70tUg8xiok9ePtI6nfwsY5C"
    "GJDvRht82kW0YWX7HpgurKMIrhm4GtglNbDvOgSvPK0mowau+0rVQC1O1aQvkmtZXMvi+y"
    "3XsrjUd61l6YajUSu4tmc5ybcb33IbFtU9e5bnwARIy9HGyrCPMe3PqX/cKdw117Yh0mpZ"
    "GHGePTqdb6YX+/E7n1QwNE4K7YyTjE8fE2CqjgVRzoZSNrxTjHyIbzbEfRgJtiy6NbvWJj"
    "JIMHM5bCYHfeWomokdmLfDYmxCgAq22ARjCv455WwK/3XLfu3r8/F4mNCazgcpcEc3V+fy"
    "5IUf+KJEBolhXsOqjoTjBwByBBPwXX6cQBMUxHIDW3nMnlFBFoE20xal9kc43sLWPPWQrg"
    "CutSU+CrZurAPU+isB9ABMExKVEiDHD/pvidZn74FK9LwuIdekO2ugw5WFCdPQJpDZJmKO"
    "XytLdFTm4DIictWO6Lmra18jibu6uNPjiLu6uNR5QHELmTafXmZD+p0OUZfAWdYBOc3Hsy"
    "UrBHDplLDoL0IvBcvN0TcL1YIczo3M+paZMrvREnIAnmM9Z80ojpRnGLeKmLcM5WcUGv+A"
    "52KO9cCaS+2FvwOCZs/lRJMXwe+E6iKEWimEH8Xh1kN7FosD1SO59fAcpV7JeqCQ5mu2Mn"
    "JXnrwHFIswMJs0JQLeNmu34oU8HHySJ2p/fCFPzwS6txn30KZfQelm6P1EGinqZDyUz4Rb"
    "GyCi2tiEMzSRP40/ykGHDe/xHQx6rsdTRb2U5YszgYlCXUCozxB9g8HlH6p0cTUY0dfExF"
    "g8UimsDDRDN9dM0OpUGU/ky8l4pJwJ/oyh6iq24cLG/hZUVwPvVdHAe8UaeC+jgVvg0cQg"
    "ZzwUq4YxFp5GuRNdMS6QIkuo2vwstIaajOtbEOkMwprT9FoeXQxG7+mk8vnpFLwZjbwW20"
    "XIa7mgSyCdwRixaShNPnpzENh3fiSxtsPgTRV/QXppjrkL3qSnT6Cx1rFc4yydiUTvzGBN"
    "2wE19ZIc9g4qJ4erjGR1UBMCB6r4AfmR56ruthTbRqtdy7wSTTvbfMjgd8ug4ttgbuXx72"
    "BytUwKnZpbgGqr0LZxztRS6EpZIOcEVwcOpZeJVP6ilKtwa4kOx6P3IXlar0ufUNddC6o1"
    "ozRJrp0saF2P1Xg5T7kJ34XaV5yFBwwK8s1SCGfhvaRGrHGLPsLHjDnyLDLLaLMNHtbO6c"
    "Sooh9PPxn6CX30BYTRzXAo/nga97+Pe04AYC2Q4hDAWva7DQJ8FR3s2v5goXsQtBEwGXR/"
    "lUQHeI0uHhhonRV2oC5iHhh4jlKvEhhA7mpezwqPODqXXHTSq3KIqFd8iqiX1lajbW8jz+"
    "6au92xl8G0P55cnAnBscoZmiqTwbV8JjD0LThDcv/zgPZD7cGgvVeDC2UijaZnwsrQvdxz"
    "Fom5nEh9hUVhFkzvoDxX58zzC+loozzS9eBMAJYxQ+/lkTwZ9M8E7+sNrR1O4bhWU2Mypd"
    "i659JqxAaEK2CYtWAOGboHcO+0UnzwtCRAeJqNENpYdzWiev/XwDnN1wFHUhrt00pon5ag"
    "fZpG+5sLEDFIjueo0JSJs+wvoPSq1QZNLEK3wm7dc7sRT2cCdPxUetdOpT/nRIFraeAlAj"
    "ANUvosDRTazbJt+h+pYvgADEKpWKqNdjdDQTYQ0x+DTCCmQ15KgyFrWlBlgP0vf7keeDR+"
    "fIu29KVRXx56RBqD0PToqG56M7pgjVQ5denH6l5igjKQhsM/1KjXAjYxgGmy03YhHdWNr2"
    "8U2VeOLZdslsTQSA7QCiKiriAdCRunhmWf0mpD5TMVmExtDP/Ya9ZMyTNM5C+KPBlJQzZK"
    "fF2d0kmjG9ayAsgFZjsMEG0JtTvskpoGSIqtIf24YzGocNjTaV5LO06ycayrnc3yl1J1E6"
    "Uuh5lrd5tpdwhC3fHSrFD+dQKl1UByuHlJkJ+UBEnnHHrI0cUDODVvc8jh5YZ5FcOcXzvQ"
    "skTpzRPZeApbW0NS2Ugks/E2EHGMjcu3zfJdm+QbCDnNyyXdZkmHJbbr5euluHjKXlYftI"
    "B2B25hPVyTTBzWHFiD+FU9WBNMHNafJpjGC+9vmWMar/R/WBhXTTNNLYaJTNOJzDyYfUXM"
    "G8Q7QPc6elI3wU1O3SrY+kvoLrCNntRRbBO7Te0M6Qjzv/F8y6qUQeWTbuCcNIjvIco7iV"
    "q7Aqx8Dw/yStVKKHlRQdUgcLUlVFP2oAF9ToeGU+NHEfyhVXQeYT3wfnIoQYVrwh0fTVif"
    "edCA63gLsg0XkKUlwMwBBX4QgR9EaMV0PtCUdH4Q4TlKvcpBhIWNV4UlIatlo6Qe0eJcX5"
    "7e1HB6Ex1n242lxANandTEh1KzQ2mtFVZOqQoZ2jxsNgyzN1EOONS1a0CcYOogzI1kUlGT"
    "CedHYkrz4mNcHfJt7/saJS8tJIv8zxJJ8vRYnkeydR7JUxQRad2K060qIm2Dd+syIn1p2p"
    "cu5KeqIhLGJ3L8drHQRbHTLhYp2bXDLhbgWp+D44467qhr5TpwoC4b7qh7jlKv4qg7mNPK"
    "rV9P4ykbRt1rtNcsXQJ0z1YZu6LyPg/3sqMsEdMeT7CEysLBHmB5qsy6lg70pqyup8j9ah"
    "vEO0j+qmB78VuYnyqpJByZeZZpNGhLLNMYEb8L95AWviNugj4jY4SboM9R6lVMUH4XbkPB"
    "2Lr13vZf521/Idjj4yoh2OPj4hAs60uHAaM3qwFziq1zh/dPK2F9WoL1aRbrzl95x666Ox"
    "PYDXczFNxg511dx9pVaXQRXGvHCP7DesRNZsHO6xRxVxcvzteOFX7HtfnYFKudXRNj4oWJ"
    "NhvZJlUdvWTGGkZ1gmd/wJ82C/zOwhFreFRgQjvIxKzhIs/l5/We6tR74pGJJqHOeNC5n3"
    "f7U5ZBxs+WCFU/F9027aK9R1EPBqkmwwYRYDmBgwSaxaGDSHq7jx58TQbv0C20qeGDSM4l"
    "WTHC4JAKvyGLBxvaMbcP1O3Mgw3PUepVgg2aYS2ZEfM9R+rFF+omuTrhPSmTaRNX6sb3wA"
    "zyxV6rFFsnoG867nOA90qAe2D4T6iHuSh9kgZD6Zy5xtfPYCdXp/Lkk39y1YH2vXciNfds"
    "7ET+NP7oE97ju81Oqe7erR6+9QabU4qVV9Rsz2aU1UF47dTnImlKSiU1z4nYlB7XjXHx47"
    "qbxhT4JfOdKa3aOlWOJ4AfQAJ4fvXPfZ9pbtmSsPWR5ip1P5t0ASvYurHEHPev33FU5vr1"
    "7wxTCbZcq5LzV5QEjepaBpWuQLl+dS0BIF14WAIiGMQRgtugBDoK7w0KmOAAQxccg46csH"
    "yO43EE5XCcl2lLY/e/MEMzpCwh/SKN8mNkPgpA09yVa9JBKrwAwsIEt4IDiUCH+KPD/joS"
    "CGXwnyYYjvefCexb6BAh4KRK5wz5NzBRDoh+ORIc7BFqJnhgohU0vPJK/gishhfrWoXPcq"
    "ikBAPR93wUvIEl4IXglz31AOF5+Nw1fiD70oE6Sblr/DlKvYprvC21u1qUk8/vmzxwrA/l"
    "7vDO+Vx4hnLTGcq+saDSJcF+rHkjU5azSyN9Z04u3wza4qpaflHt1uvI+s5fA6kL+l45Yi"
    "hLos1j56nLNVKXA2eCii0KT93M8Swzx34D7B9qX9Cc4uSob4C6iZ28Rb8K7CErx70G7sx7"
    "mLvClGyzEQ/fXzfV05/qTs8uao8lobynuSaxbSBXDTpVuyfxaeJOn73YkWID5AAtACATg8"
    "oSHVWJR6Xod3wkITwIz2/E4tGVli8UB+pn59GV5yj1KtGVzhcwUcbXN9dngpdSMUPXN8xv"
    "OZXPBMu1tSVwYHifUJisMEPSxYebqXIlj5QzAeh/0y2fBThmqD+UPp9L7H6jMKNArDZ6Gs"
    "7K5sEEHkx4QuibDCbMgclWHhUsSJ6JUjbCM6x8oG/j7W5FCP6pwW8+MIwwqVcbL6DvXLW2"
    "3ulpBXQpVfEle6yPX07WljWEe/S4R4979Op59OB8ifFd4dX2if6jUj+eT9nc9fZh9jd7tv"
    "cjDM9sTZHoEK8NNWgE50F5XRHu3mvHqnGgjh7u3nuOUq/i3ouvy5UzemM8XbTbdu6AW294"
    "NUCO83QR5CaM47jOUHMNS7HyRawti1iVrcuhRgvVG22o4pz6u6WpT2lWXrO0euaTv0R5UN"
    "Ve2EKuzvmldl8WiZmjc6znRBGKC3/FeTqxe+y77NcB1qIKt7Ca41ycyH15EBSd8p8wQ9eT"
    "cV+eTlkj1fY06DisdfB+NPYKUdFFE3tlqC6lwZA1LIBhtqUIFbRtnKPPFk+WNUMHFqN9zx"
    "NACFxZJGemFLvLYyydSX/dZYUaf7ptoMSmeXlprfZY3r7WmnHLP43jWIK2oS3FHJdx0HNU"
    "5iwGEQ2/uXJfI79pp+89tJ2aF4LFWDqhY+4jwGxZdRAOyDuIbiMX29FfJDAv0+3DdDwqiF"
    "hELOnd0tCI8K9gGs4hxpBLwGVglOuBaZUvtfmxB5zXu79k95vZj/8DypSExg=="
)
