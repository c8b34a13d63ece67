"""Indexes for the hot reads: stock of a product by status, an order's codes, jobs, orders.

"N available codes of product P, oldest first" (reservation), "the codes of order O"
(delivery, release, revocation), "the jobs of order O" and "the orders of customer C" were
scans of the whole table; each is now one index range. The (product_id, status) index is
replaced by (product_id, status, id), which serves the same lookups and the ORDER BY id.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

# The statements read alike on both engines. IF [NOT] EXISTS: a database whose tables were
# made from the models directly (generate_schemas) upgrades as well.
SQLITE = POSTGRES = """
DROP INDEX IF EXISTS "idx_stock_item_product_4147d4";
CREATE INDEX IF NOT EXISTS "idx_stock_item_product_a995d3" ON "stock_item" ("product_id", "status", "id");
CREATE INDEX IF NOT EXISTS "idx_stock_item_order_i_2a0cc9" ON "stock_item" ("order_id", "status");
CREATE INDEX IF NOT EXISTS "idx_order_custome_244850" ON "order" ("customer_id", "status");
CREATE INDEX IF NOT EXISTS "idx_job_order_i_570b12" ON "job" ("order_id", "kind");
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES if db.schema_generator.DIALECT == "postgres" else SQLITE


async def downgrade(db: BaseDBAsyncClient) -> str:
    return ""


MODELS_STATE = (
    "eJztXW1zm7gW/iuMP/XOzXZSp0m7njt3htik661je2zSdrfZYWSQEzZYoiCSZvb2v1+JF/"
    "NOwTE2xvrURtLB8Bzp6LxK/3RWWIOG/foSkzkBBHZ6wj8dBFbsP6m+E6EDTDPsYQ0ELAx3"
    "8AITxV4PW9jEAiqhHUtg2JA2adBWLd0kOkZs+HwFDEPQHIvR00EqsXsCuYeCfY9NwQQIGs"
    "IK2ja4o8Ss3QA2EbClQcv+Rb0HKDJAsCDQXrPf1bBKf1hHd/X9hIP0bw5UCL6DlMaiP/T1"
    "L9qsIw1+h3bwp/mgLHVoaDE8dY09wG1XyLPptg0RuXIHsrdfKCo2nBUKB5vP5B6j9WgdEd"
    "Z6BxG0KNTs8cRyGLzIMQyfFQHi3puGQ7xXjNBocAkcgzGJUXsvELZ1FGU8kZW5JCtKJ8XA"
    "gCICuN+kYsSYT1/Vdr/+jr3CL903b9+9fX928fY9HeK+5rrl3Q/vp0NgPEIXnrHc+eH2Aw"
    "K8ES7GIagq5QxFQgEkDe6A9hB9BbMRjlMmkNZ80tfBf5K4BygXAR80hMiHq2EX0LNJO0HG"
    "s8/yApzl4bU0l8XrKfu5lW1/M1z8RFliPV239TnR+uriX6wd04XuiYD1Q4TPQ/k3gf0p/D"
    "kZSy682CZ3lvuL4Tj5zw57J+AQrCD8pAAtMjuD1gA1OjLkumNqG3I9Tsm53hSuBxhF2O6/"
    "fcj1B/icZnf/HljZrPaHJ3hMsdqEq/sVoivwXTEguiP39M+LtwU8/STO+r+Js1cXbxN8Gv"
    "s9XbfrRwzYR2A4MA3t7/PJOBvaNUFyAekqEf4nGLqd2qi2tXQ6/1k6SGUICgtHN4iO7Nfs"
    "Z//bqQn8ArAZQLG1E4D86lr8ksS/P5pcJhcFe8AlZQbTGZYPkQ2ONSyA+vAELE1J9eAuzh"
    "ub7lp1V8kWgKhOo/lfzL7PV/X6jk3wytVqUmrguq9QDVSjo36mBeazgGtZXMvi+y3XsjjX"
    "d69labqtUitYyRKkl/pdriyN0/1cpjZf6/KE6q/d7tnZu+7p2cX787fv3p2/P11L13RXkZ"
    "i9HH5gkjbG10D0hvAvgAGQmqGNFWEfIdoO8GWW12mrcFcdy4JIrWRhRGm2Y2aU0oBv5oO6"
    "lN24pXFWwtA4y7UzzpJmBsEEGIptQpSxoRRN7wQhn+KbTXEPRoJNk27NjrkJD2LEnA+b8U"
    "Fb2YpqYBtm7bAYGxCgnC02RpiAf0Ep68J/3bJb+/pyMhnFtKbLYQLc8c31pTR79cYVQnSQ"
    "TiKYV7CqQ+Z4AYAMxvh0Vx9n0ADuR6Z54NvKE/aMErzwtZmmKLU/gvkWtGaph0/AMCBR6A"
    "BkA9cP80KwPrsPlMPnHaA5kItcnd6aoQZXJiZMAZlBpnp3Mtw26UEnRf4bPRyuWOF47snZ"
    "1Uzinhxu059wTw7nOo+XvYCnMSv2za9vStixdFSuJev2xXV4C9LvtIlyD+z7KiAn6XbnNj"
    "jg+CRdEib9RehmGDkZ+mauWpBBuZHV2jBNfTtaQgbAC6xlyIz8QHCK8EUB4YahfESR39/x"
    "opNhPbDmQnvhb39AnQbC1064eBH8TqguQqiVwv7t0KFfPZOd9T5Qqs5f3KDgBkUj5MeBqp"
    "bcoDhGrpcyKJh8zVR2JeSsXH4PKRZBKDJuXfi0TVZ4OwNpNPwkzZT+ZCDNewLd7vRHaNGv"
    "oONu0YeZOJaV2WQk9YQ7CyCiWNiAt2gmfZp8lPwOCz7iB+j3TCdzWbmSpEFPYKxQlhBqt4"
    "i+wfDqD0UcXA/H9DUx0ZfPlAsrHd2imyljtDKXJzPpajYZyz3BWzFUg8UWXFrY24KqKuXd"
    "Mkp5N18p76aUchM8GxhkzId8bTFCwhMHt6I+RhmSZxyVW5+5BlKdkWwTIo1BWHGZTqXxYD"
    "j+QBeVR0+X4M147LZYDkJuy4CKQLqCMWLLUJx9dNcgsB682FllH8JFGRdCUjRHPAgXyeXj"
    "K7FVjNkoSWtir1uzYZOmQUW9JIO8hcrJ4SojaR3UgMCGCn5CnvFX1gOXINtI2jXMUVG3/8"
    "2DDH43dcq+DdZWFv0WFlfDuNCqtQWotgotC2csLZlKyhw+x6h2qEfsQYWTpS9ysQq35uho"
    "Mv4QDE/qdYnMIKg5JlQqBm7iVFsRaG0P37guw8wU51ztK0rCYwg5GVYJhNPwXlEjVr9DH+"
    "Fzyhw5ilwq2myBp7VzOjar6MfTT4ZeCht9AWF8Mxp1fuwnIuDhnhETWDMkPyqw5v124wJf"
    "OzZ2LG+y0D0IWggYDLq/CgIGESezGyuIFqj5o3jAgAcMmiE0DtR1zAMGx8j1MgED5KwW1a"
    "zzkKJ1eUhn3TLlNN38eppuUosNt8ONPL5r6mbHZIbz/mQ26Al+geEtmsuz4VTqCQx9E94i"
    "qf95SPuh+qTT3uvhQJ6J43lPWOmam6bOIjRXM7Evs+jMkukjlOb6knmEIZ1tlEacDnsCMP"
    "Vb9EEaS7Nhvye4X6+rzXAWR7WdCospQdY+V1cttiFcAd2oBHNA0D6Au+el4obnBYHD83Tk"
    "0MKaoxLF/bsCzkm6FjiYkmifl0L7vADt8yTa3xyAiE4yPEq5pkyUZHeBpjeNNmgikbsVdq"
    "pWsIY0rQnc8frsttVnH3MCwVQcugkCTIMUP4tDmXazLJz+R6oYPgGd0FEsBUd9uEV+lhDT"
    "H/0MIaZDXonDEWtaUmWA/S19mQ7dMV7ci7b0xXFfGrmDVAah4Y6juunNeMAaqXLq0I/V3I"
    "QFeSiORn8oYa8JLKIDw2CFecE4qhtPb2TJU45Nh2yW3FBLbtAKIqKsIJ0JG6eMpZ/SaEPl"
    "M2WYRG0Mr0I2baZkGSbSF1majcURmyWerk7HieMb1rICyAFGMwwQ9R6qD9ghFQ2QBFlN+n"
    "HLYlPBtKfLvJJ2HCfjWJcr4/JEqbKJUpdBzLW7zbQ7BKFmu+lXKDgCIMGHonMxMqj54Rg/"
    "ORwjmYvoIkeFB7Cz4M8XO1m03DAvY5hrkFBVMUPfzk+gjpDwBOrY5N9GAvXmCW48ta2pIa"
    "l0JJLZeBuwOELG+dtk/q5N8g2YnKTlnG4yp4Ncnmp5fAkqnsqX1gdNoD6AO1gN1zgRhzUD"
    "Vj9+VQ3WGBGH9aeJp9EMvxfmnkbPvD8sjMumnyaEYSwDdSYxD2Zf7mRN4i2gOw2f1E5w40"
    "u3DLaeCN0GtuGTWoptbLepnDkdYv43XrzwAEv/kJR24Bw3iB8hyqpQrXwWqvQI6/OE7hsl"
    "Nyqo6ASuXgjVnD1oSJ/ToulUe4mCN7Xy6hTWE+8nxQoKXA/ccsnCuhZCBY7tCmQLLiFLS4"
    "CpwgVeiMALERqxnA80JZ0XIhwj18sUIiwtvMo9PbJcNkriEQ3O9eXpTTWnN9F59rK5FHtA"
    "o5Oa+FSqdyqttcLSKVUBQZOnzYZh9jpODg507QoQx4haCHMtmVTUZMLZkZjCvPgIVYt827"
    "u+UMhNC0kj/7NEkiw9lueRvDiPZB+HizRO4rTrdJGmwfvi40X64rwvDqR9nS4SxCcy/HaR"
    "0EW+0y4SKdm2wy4S4FrXwXFHHXfUNVIOHKjLhjvqjpHrZRx1B1Ot3Hh5Gk3Z0KteKL0maR"
    "OgO7bK2G2Wj1m4F5WyhEQ7rGAJlIWDLWDZV2ZdQyd6XVbXPnK/mgbxFpK/Sthe/D7ifSWV"
    "BDMzyzINJ22BZRoZxK/NPSTBd8JN0CMyRrgJeoxcL2OC8mtzawrGVj3vbffnvO0uBHt6Wi"
    "YEe3qaH4JlfckwYPhmFWBOkLWueP+8FNbnBVifp7Fu/VV47Aq8nsBuvrtF/s127pV2rF0R"
    "xwP/ujs24N+sp7PJKtj6OUXc1cUP52uGhN/y2XxsiVXOrokQ8YOJNpvZBlUd3WTGCkZ1jG"
    "Z3wJ/XC/zWwhFreBRgQMvPxKzgIs+k5+c9VTnviUcm6oQ65UHnft6XV1n6GT8vRKh8XXTT"
    "tIvmlqIeDFJ1hg1CwDICBzE080MHIfe2Hz34Gg/eoTtoUcOHYpO+PCsyMCxSYddssfuz1o"
    "mX/PIsHodo1LI/UI80j0McI9fLxCFU3bxn9s33DK7n38Ebp2qFY6WIp3XcwhvdHlPI5zu0"
    "EmStgL7ukNABXjkBHoHuPaEa5h3xkzgciZfMa75+BitqnUuzT15Rqw2tR7dYNbNsdiZ9mn"
    "z0Bj7ih80KWLfvcQ/eeoPNKUHKD9tszmaU1kH4sarHwmk6lHJqkRHMKazkjVDxSt5Nww38"
    "XvrWnLraOFWO54YfQG549sGguy53bphIeHG1c5kjQev0Dn92rwST2Z1fQPW/PuUlTg86Kf"
    "IWe9eMKSQxfste4yBXiR9ayB3ADZe+B+oK5A7gY+R6qUT0tueYypPpzZR+ODYd8xZNb5iT"
    "aS71BNOx1Htgw+DIt+DAt1skDn6/mcvX0ljuCUD727HJyj+3d/+esEO5F7p1RjPPPq07+3"
    "QBDCZlFLAkWXZI0QxPkfKJvvFE56cZZgnyOk4zRJhUK1Xyx7eueKaWmy/5WZH73Cz3dWla"
    "48RIG++hahrIZV135S6i2pP3Di7uMX7IvWkk1n9S6LPzRtZ324hp4Ufd9/G6P8LwTKd4ho"
    "kTFlSh7sfgeS4nd+U1Q2ocqFOHu/KOketlXHlRuVzWpojStNFu27oDbr3hVQA5StNGkOsw"
    "jqM6Q0UZliDlQqwpQqzM1mVTo4XqjRZUcEY5dGHxaJKUl5CWr9b1RJQLVWXBFlC1zi9Vw1"
    "Ux1BxdYC0jipBfbBGlacXusetSiwPM/w+2sIrzvDOT+tLQT/T3nnCLprNJX5rP3UurLKxC"
    "22atww/jiZv8T4UmzrgxqxnhTmhZOEOfzV8sa4IWCKNdrxNACFyZWXcx57vLIyStOf1lm1"
    "nB3nLbQIlN0vJyhuZY3p7WWuEEjjodxyK0dPW+k+Ey9ntOipzFIBzDDxLe1cyv2+n7CC27"
    "4vmMEZJW6Ji7CDDTRVUBYX94C9Gt5ZxR+osEZmW65d83GCHZ/YWD+9kot3a14F43sx//B/"
    "DnYk0="
)
