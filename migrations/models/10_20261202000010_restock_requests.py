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
    "eJztXetz2rgW/1c0fOrOTTstbdpu5s6dIeB02SaQAdJ2t+x4hS2CN0by2nLSzG7/9yv5/a"
    "4NGIyjb4l0jrF/R4/z0tE/nTVRkW696NmqRiVMzcfOGfing+EasT8yek9ABxpG2McbKFzo"
    "DjnkdDIKCBcWNaFCWdcS6hZiTSqyFFMzqEYwa8W2rvNGojBCDd+GTTbW/raRTMktoitkso"
    "6vf7BmDavoG7L4v187iokgRaoMaYf1fe2wXyKmrKn8p6N9nNG4k5ca0tXY17mkTrtMHw2n"
    "bYjphUPI32shK0S31zgkNh7piuCAWsOUt94ijEz+e6yNmjb/UP4dHiz+t7vfFJK4HxPhUd"
    "ES2jqNALOQw7aOLI/GM3kqzWS5UwFKhWAuBvaqlvP1t/wVnndfvXn35v3rt2/eMxLnNYOW"
    "d9/dnw6BcRkdeEazznenH1LoUjjSCEGNIJ8Cd8B6qLZG2QjHORNIqx7rC/+PJO4+ykXA+w"
    "0h8uG43Af07APVMdYfPZEX4DwbXknTWe/qmv/c2rL+1h38ejOJ93Sd1sdE67O3P/F2wqac"
    "Ox2Dh4DPw9kvgP8Lfh+PJAdeYtFb0/nFkG72e4e/E7QpkTF5kKEaGZ1+q48aowylHp17cZ"
    "mfa7e5cyrK9eOZdQwSdifXz93u69fvui9fv31/+ubdu9P3L4NZlu4qmm7nww98xsWk6k/B"
    "GPj8PVPQ91fQzAXe40jAzj7mGGFfw2+yjvAtXbF/374pQPRTb9L/pTd59vZNYrKMvJ6u0x"
    "UHmEKT7UNVAA459gdwp7MXeF/9/KoEvowqF2CnL46wiijUXG0iDvGv0/EoG+IIS3Kv0BQK"
    "/gW6ZtW2hnT+u7SxM4nAwtZ0qmHrBf/Z/9UlgwLIOUSxbcJH+tlV70tSCP3L8Xly/ecPOG"
    "cC4YrS8i6yq/OGBVTuHqCpyqke0iV5tOmudXedbIEY3jrw8i/m3+dpm+eETimTV5YmGvQV"
    "6qELQmUrIPuRFtqZrqGuA9U2OT8jUqjFdr0VAtaKGMCAGOlgjSyLve6J065DiwJiqsi0ni"
    "sriCMEgO/xLzoJmdb0Ez/WkoXuK3TfZmzR7dV9bUPdUOpxTiH1pkjdxygidu/tQ6nfoccq"
    "CqFHvhtt8LCLaM3K9j3UbVRFEQwYhBrYJjWwb1uUrB2tJqUGBn2FaqASparTFym0LKFlif"
    "1WaFlC6rvWslTNUpgVXNmzHOfbjW+5CYvqnj3LC6hDrGRoY0XYR5j259R/2SrcFds0EVYq"
    "WRhRnj06nW+mg/34nV+XMDRe59oZr1M+fUKhLlsGwhkbStHwTjCKIb7ZEHdhpMQw2NZsG5"
    "vIIMYs5LCZHNS1JSs6sVDWDkuIjiDO2WJjjAn4F4yzLvyDlv3a1+fj8WVMazofJsAd3Vyd"
    "S5NnbuCLEWk0gnkFqzoUjhsAyBCMx3fxcYJ0mBPL9WzlMX9GCVl42kxTlNrv/njzW7PUQ6"
    "ZoUqLcySZi72zRLZGauE+buA87QkOgFGZs1bSNLZGaEePGaCtAD1DXEZUZAbbcRIkt0frs"
    "PHAWPq9NyNXpAhyqaG0QyrXaCeL2XCfDF5gmOilyCmohOVs2AnrhHtzXSBLuQeEoOhHuQS"
    "F1EYTdQqb1p+R5OrW8gtaqCshJPpFhWiLozaaEwX4ROWlrdoa+masWZHBu5AppmPm3Gy0h"
    "A+AFUTPWjPzsghTjVlkGDUP5CaUT/EoWnQzrgTcX2gt/eQT1nmUKJy9G3yjTRSizUmhwtI"
    "n4Ppw7xiVONAmDoiHrx5GqlsKgeIpSL2VQ8PU1U9mVsL125D1kWPjx7bh14fE2WeHtDKTL"
    "4SdpIvfHA2l6Bth2p90jk30Fo5vjD5PeaCZPxpfSGbg1IaaySXQ0xxPp0/ij5HWY6J7cIa"
    "/nejydyReSNDgDXBTyEiF1jtkbDC9+k3uDq+GIvSah2vKRSWGt4Tm+ueaClqez8US6mIxH"
    "szPgzhimwRITLU2CafCE85vfpEnwhIX9iMygb8KEPe5/DHq9YEBnA4W+W0ah7+Yr9N2UQm"
    "/AR53AjLGUr2lGWEQm605Uz6hA8gyrcnM717iqM7XCQFjlEFac4tfSaDAcfWAT0uVn0/dm"
    "NHJaTBtjp2XAlk82+wnmU7g3+ejMX2jeucHcyv6Ht2XcD8llPeJ9eJucPp4CXMUQjrK0Jh"
    "lgZ/Zv0qyoqNNksLdQsTleRSatv+oIWkgmD9g1HMt67xJsG612DXNy1O27cyFD3wyNiW+D"
    "uZXFv4PJ1TAptGpuQabpItMkGVNrxlbKHDnHuFpQF6BIpNKXWbEKF0j0cjz64JMn9bpkkQ"
    "DVNpBcMegT59rJgtb20I/jbszMuc/VvqIsIv6Qk/KXQDgN7wUzgLVb/BE9psyRJ5Hcx5pN"
    "+BA4tmOjin08+2Tk5lSyFwCjm8vLzvfDRBNc3DPiCYFA8iMKgex3G1P42rGIbbqDhe1ByM"
    "RQ59D9URBsSJZQi56Y9KhEsEEEG5qxaByp21kEG56i1MsEG7C9XlSzzkOO1uUwve6WOd/V"
    "zT/g1U1qseF2uJHHN+BudjxnOO2PJ4Mz4J14nePpbDK8ls4AR99Acyz1Pw9ZP1IeNNZ7NR"
    "zMJr3R9AysNdVJcefRnYtJrz/jkZ0l10cYz9U59wgjNtoYT+96eAagoc3xB2kkTYb9M+B8"
    "vaY0w1kc1XYqTKYEW/tcXbXYhmgNNb0SzD5D+wDunpaKG54WBA5P05FDk6i2QmXn/wo4J/"
    "la4GBKon1aCu3TArRPk2j/bUNMNZrhUco1ZaIs+ws0vWq0QROJ3K2JXfVIdcjTmsCdKBjQ"
    "toIBTzmB4Lo3dBIEuAbZ+9wbzli37GXfwAeoUUYlO9k3c+xlGHH90csu4jrkRW94yZuWTB"
    "ng/0tfrocOjRv3Yi393qgvXTpECodQd+iYbnozGvBGppza7GNVJ2FhNuxdXvIUIL/XgCbV"
    "oK7zNCCfjunG1zczyVWODZtultxQS27QGmEqrxEbCRunm6Wf0mhD5TMTmMRsDPd0bdpMyT"
    "JMpC8zaTLqXfJR4urqjK43uuEta4htqDfDAFFWSLkjNq1ogCTYatKPWxab8oc9m+aVtOM4"
    "m8C63BEwdymVN1HqMpiFdreZdocRUi0n/Qpn3/RQWKglg1tUa/lBtZZkLqKDHFs8oFXxoo"
    "0MXmGYlzHMxY0QDUug3jzBTaS2NTUklY5EchtvAxFH2IR8myzfwCTfQMhJXiHpJkvaz+Wp"
    "lseX4BKpfGl90IDKHbxF1XCNMwlYM2D14lfVYI0xCVh/mHgazfDbMvc0egnDcWFcNv00sR"
    "jGMlD56dPJsD/rZA3iHaB7HT6pneDGp24ZbN0ldBfYhk9qKbax3aZy5nSI+V9ksWXxS6/A"
    "SjtwjhvE9whvW3LWSReX7tFR3nZbCiW3QK9G0XpLqKb8QUP2nBYNp9qPKLhDK++cQjDwfn"
    "BYQUYB4Y6PLARnIRRoW86CbKIl4mkJKHVwQRxEEAcRGjGdjzQlXRxEeIpSL3MQYWmSdW7l"
    "yXLZKIlHNDjXV6Q31ZzexMbZdmMp9oBGJzWJoVTvUAq0wtIpVT5Dk4fNhmH2OqoO+7p2BY"
    "hjTC2EuZZMKmYykexITGFefISrRb7tfd9w5aSFpJH/USJJlh4r8ki2ziM5RHGRxq047aou"
    "0jR4ty4v0u9N+72BdKjqIn58IsNvFwld5DvtIpGSXTvsIgGu4ByccNQJR10j14EjddkIR9"
    "1TlHoZR93RnFZu/HoaTdnQqt5wHrC0CdA9W2X8Jsz7LNyLjrKETHs8weIrC0d7gOVQmXUN"
    "Heh1WV2HyP1qGsQ7SP4qYXuJC7IPlVTij8wsyzQctAWWaYRIXLl7TAvfiTBBn5AxIkzQpy"
    "j1MiaouHK3pmBs1Xpv+6/ztr8Q7MuXZUKwL1/mh2B5XzIMGL5ZBZgTbK07vH9aCuvTAqxP"
    "01i3/ho9fn3eGeC35s2xdyuecx0eb5d7o4F3VR4n+A/v6WwyC3Zep0i4ukRxvmas8Duuzc"
    "enWOXsmgiTKEy02cjWmeoYXLpZ0qiO8ewP+NN6gd9ZOCKAR4Y6Mr1MzAou8kx+Ue+pSr0n"
    "EZmoE+qUB134ebc/Zell/GyJUPlz0U3TLkqB5F0QLZuIvbO17dHdifu0ifuwtmJ2kOO7R4"
    "NUnaGWxPjKiLikR2B+4CUx9ksFYDoj52J1sEbgYYUw8J6B1DMAgV8bA3iHWsCSmIBgBCyi"
    "q8+JTYEX6wHPeKvBKA2omT+9SJrC9fzKHM/xn87F8JrjaP4TaBawEHV/A/q/AhgaDA9AV0"
    "gzweDqjP8FPJA4C+XkloEwPQEQqwDOMRvp7Gf8BwyuHKI1gLdsZLB30x+BtuRNjwBad17z"
    "s4eVpqwA2x+haQGNujBkZlhGK7T44bL0HW6RQFrkK8VtbSLw1ZA180hDICLw9RSlXibwFV"
    "1mK4o9wSrqJjZHzOnZfbi6iY2bzC2p8NdGXAvyEA9T4q9pIJfNRCyq8RekIh66xN+xgrtd"
    "mmed1nXojsgwrGO+inybOvSNlDKnK+Uzfo2PM3yLTMPkQBeagmHZDH7xN7/ROzgKKq7zFg"
    "Zio9aQIzUVhIH4FKVexkBUNGPFI67fMqQ+Y6058zzG1YpUjyKZSl9mMXGmKkoEIr0cjz74"
    "5MkyE3G7Iro9ppDPT7FJsLUC+rqTVI/wEkx4DzX3CdUw7/Q+9YaXvXOexxc8g5fZmkqTT2"
    "6ZLQuZ9075rMxCXhPp0/ijS3hP7jYrqbX7HED/rTfYnBKswo3VnM0orYOIi16eiqQZKZPU"
    "IiO9tLC2WIRL1BbbNAHyEMWsmgm88BI3EFdxWv0wV5XsuwBbw5aEsrjm1l8rc0lJnd7hGT"
    "FujE6GZ9jtOCnyCrsXnMuUGLZRyi/c6QGF6Voaky5gXM9tw8k0elhBCjRqAe/qap7pdK8x"
    "wIAFNRVYGhs5fq1fy+Hwavda6RSrnf8CT6+arRD7IoXxO0lPUFHstc2To8AzCJY6vHXyrd"
    "gQf3Qyr0681Cr+NC+zCujQvOWJVh4nUzrn2L0umnEg/NMJsIhDqOjwgYsWKGTt1CcGvOC4"
    "m3jlPctikgIaZu/5CJyBBcgSuHe05CVbiaIBwjXexH3pSJ2kwjX+FKVexjXelELjDSogUE"
    "uZcW8j55X9qyCdYKvp8o6WYe3qKRWdLgFPm0xUcZz60IGeHR+ndo0FmS0J5mPFNMg0Z5tG"
    "+s6cXK4ZJG+yhqRYxeH1zdYR//obWcPykr1XhhiKTvxmsYtz1hXOWXvOBJkYDJ6qx9zTzA"
    "L7DbB/yCqGVAr4h8zDngL1MqjrxMpa9MvA7rMK3Cvgzr2HmStMwTYb8oj9dVM9XRykEQc+"
    "Ghd0KjrwEUbzDhN3+uzEjmYmxBZUPABSMag00UmZeFSCfsenFfyqfeL6bhFdafhCcaR+dh"
    "FdeYpSLxNdaX211dn4+ub6DDgpFXN8fcP9llPpDBi2qayghfzLj/1khTnuDX69mc6upNHs"
    "DED1L7bl8wDHHPcve5/Pe/wyZj+joFNu9NSclS2CCSKYcEDo6wwmLKDOVx4ZLmmWiVI0wl"
    "OsYqBv4+1uRAj+0ODXHxjGhFYr5O/Rt660fPf0tAS6jCoXXadP3KTelDVEePSER0949Kp5"
    "9NBiRcidxPOQO1nOvGj/SaEfz6WUUUC6+4IjTvY3f7bzIxzPdLmR8BCviRSk3YvCk8K916"
    "RV40gdPcK99xSlXsa9F12XS2f0RnjaaLft3AEXbHgVQI7ytBHkOozjqM5QcQ1LsIpFrCmL"
    "WJmty2JGC9MbTSSTjMuCClOfkqzigpXymU/uEuVAVXlh87la55fafVkkbo4uiJoRRcgv/B"
    "XlacXuse+yX0dYi8rfwiqO885E6ktDr+iU+4Q5vp6M+9J0yhuZtqcgy+Ktww+jsVOIii2a"
    "xClDddEbXvKGJdT0phShQqZJMvTZ/MkSMLRgMdr3PIGUorWRdd1Rvrs8wtKa9NddVqhxp9"
    "sGSmySV5TWao7l7WqtKbf8YRzHPWRqyqqT4TL2ek6KnMUwpNmpl1jkdB7Q6XuPTKvi7eUR"
    "llbomPsIMBtGFYQ98hai+6rUzfCvCm6Gf5W+GZ79IkVZmW6/TsejnIhFyJLcLTWFgn+Brh"
    "3z/YtZ4HIwivXApMqX2Pz4A86rXba6+83s+/8BrUZ/zw=="
)
