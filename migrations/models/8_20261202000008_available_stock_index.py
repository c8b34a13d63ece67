"""A partial index for reservation: "the first N available codes of product P, oldest first".

With (product_id, status, id) alone, PostgreSQL's planner walked the primary key from the
oldest code and filtered, assuming available codes are spread evenly over the ids; sold
codes are the oldest, so each reservation read every code ever sold (100,000 sold: ~12 ms a
reservation instead of ~0.03 ms). This index holds only available codes, by product, in the
order `id + 0`: the reservation orders by that expression, which no other index provides,
so it is one short range on both engines however much was sold.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

# The statement reads alike on both engines. IF NOT EXISTS: a database whose tables were made
# from the models directly (generate_schemas) upgrades as well.
SQLITE = POSTGRES = """
CREATE INDEX IF NOT EXISTS "idx_stock_item_available" ON "stock_item" (("product_id"), ("id"+0)) WHERE status = 'available';
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES if db.schema_generator.DIALECT == "postgres" else SQLITE


async def downgrade(db: BaseDBAsyncClient) -> str:
    return 'DROP INDEX IF EXISTS "idx_stock_item_available";'


MODELS_STATE = (
    "eJztXetv27YW/1cEfVmHZUXqNG0X3HsBxVE6t4kd2E7TrR4EWqJjLTKpSlTSYOv/fkm935"
    "Vsy5EVfkvIc2Tpd/g4T/IfcYU1aNgvJUfTiYyI9SieCP+ICKwg/SOn90AQgWlGfayBgLnh"
    "kgNGp8CQcG4TC6iEdi2AYUPapEFbtXST6BjRVuQYBmvEKiXU0W3U5CD9qwMVgm8hWUKLdn"
    "z5izbrSIPfoM3+/SKqFgQEagogIu37ItJfwpaia+yn432M0bxTFjo0tMTXeaRuu0IeTbdt"
    "gMi5S8jea66o2HBWKCI2H8kSo5BaR4S13kIELfZ7tI1YDvtQ9h0+LMG3e98UkXgfE+PR4A"
    "I4BokBM1eiNlFRhqOpMpGniiLWgFLFiImBvqrtfv0te4Vfe69ev3397ujN63eUxH3NsOXt"
    "d++nI2A8Rhee4VT87vYDAjwKVxoRqDHkM+Ce0R6ir2A+wknOFNKaz/oy+CONe4ByGfBBQ4"
    "R8NC53AT39QG2EjEdf5CU4TweX8mQqXV6xn1vZ9lfDxU+ayqyn57Y+plpfvPmZtWM65bzp"
    "GD5EuBlMfxfYv8Kfo6Hswottcmu5vxjRTf8U2TsBh2AF4QcFaLHRGbQGqFHKSOrxuZeU+a"
    "l+Wzin4lw/nln7IGFvcv3W6x0dve0dHr15d/z67dvjd4fhLMt2lU2308F7NuMSUg2mYAJ8"
    "9p4Z6PtLYBUC73OkYKcfs4+wr8A3xYDolizpv29elyD6SRr3f5fGL968Tk2Wod/Tc7uSAB"
    "Ng0X2oDsARx+4AFsWdwPvqt1cV8KVUhQC7fUmENUiA7mkTSYg/TEbDfIhjLOm9QleJ8K9g"
    "6HZja4j4n4WD3EkkzB3dIDqyX7Kf/V9TMiiBnEGU2CYCpF9cSp/TQuhfjE7T6z97wCkVCF"
    "OUFnexXZ01zIF69wAsTcn04B4uos12rXqrdAtA4NaFl30x+z5f2zzFZEKovPI00bCvVA+d"
    "Y6LYIdmPtFBxsgKGIWiOxfgpkUpsuustoWAvsSmYAEFDWEHbpq974LYbwCYCtjRo2b+qS4"
    "BiBALb41+KKZk29BM/1pK57st133Zs0d3VfR1TW1PqSU4u9bZIPcAoJnb/7SOp38HHOgqh"
    "T74dbfBpF9GGle17YDiwjiIYMnA1sEtqYN+xCV65Wk1GDQz7StVANU7VpC+Sa1lcy+L7Ld"
    "eyuNS3rWVpuq1SK7i2ZznJtx3fchsW1R17lufAAEjN0cbKsI8x7c6pf9gp3FXHsiBSa1kY"
    "cZ4dOp2vJ2e78TsfVTA0jgrtjKOMTx8TYCi2CVHOhlI2vFOMfIivN8Q9GAk2Tbo1O+Y6Mk"
    "gwczmsJwdtZSuqgW2Yt8NibECACrbYBGMK/jnlbAr/sGW39vXpaHSR0JpOBylwh9eXp/L4"
    "hRf4okQ6iWFew6qOhOMFAHIE4/OdfxxDAxTEcn1becSeUUEWvjbTFqX2ezDegtY89ZCuAI"
    "65IT5TbF6be6j1VwLoARgGJAolQLYX9N8QrRv3gdPoeV1Crkl31kCDKxMTpqGNIbNNxBy/"
    "VpbooMzBpUfkihXRc1fXrkYSd3Vxp8cBd3VxqfOA4gYybT69zIL0O22iLIG9rANymo9nS1"
    "YI4NIpYdJfhG4KlpOjbxaqBTmca5n1LTNltqMl5AA8x1rOmlEcKc8wbhQxbxnKzyg0/gHP"
    "xRzrgTWX2gt/+wTN1uVEkxfBb4TqIoRaKSQs08GBP+KOcvHqHG5QtGT92FPVkhsUz1HqlQ"
    "wKtr7mKrsyclauvAcUiyBWm7QufN42K7zimXwx+CSPlf7oTJ6cCHS70++hRb+C0s3Q+7E0"
    "nCrj0YV8ItxaABHFwgacobH8afRR9jsseI/voN9zNZpMlXNZPjsRmCiUBYTaDNE3GJz/oU"
    "hnl4MhfU1M9MUjlcJKRzN0fcUErUymo7F8Ph4NpyeCN2OoBostuLCwtwXVVcp7VZTyXrFS"
    "3sso5SZ4NDDIGQ/F2mKMhWdWbkV9jAukyDiqNj8LDaQmQ/0mRBqDsOY0vZKHZ4PhezqpPH"
    "46Ba+HQ7fFchByW87oEkhnMEZsGkrjj+4cBNadF1ys7UN4U8WFkF6aYx6EN+np4yuxdYzZ"
    "OEtngtNbs2HTpkFNvSSHvYPKyf4qI1kd1IDAhgp+QJ7xV9UDl2Jba7VrmaOiaf+bBxn8Zu"
    "pUfGvMrTz+LUyulkmhU3MLUG0VWhbOmVpTulIWyDnB1YE69TKRyp+n5SpcKNGL0fB9QJ7W"
    "69JF65pjQqVm4CbJtZUFrevhG9dlmJsDXqh9xVl4DKEgBS2FcBbec2rE6rfoI3zMmCPPIt"
    "mMNlvgIXROJ0YV/Xj6ydDL8aMvIAyvLy7E708TEfBwz4kJhAIpjgqEst9uXOCLaGPH8gYL"
    "3YOghYDBoPurJGCQPtIrXsHnU/GAAQ8YtGPR2FPXMQ8YPEepVwkYIGc1r2edRxydy0M66l"
    "WpN+oVFxz10lpstB2u5fENudsdkxlM+qPx2YngV2DO0GQ6HlzJJwJD34QzJPdvBrQfqg86"
    "7b0cnE3H0nByIqx0zU1TZxGa87HUn7LozILpI5Tn8pR5hCEdbZRHuhqcCMDUZ+i9PJTHg/"
    "6J4H69rrbDWRzXdmpMphRb91xdjdiGcAV0oxbMAUP3AO4dV4obHpcEDo+zkUMLa45KFPf/"
    "Gjin+TrgYEqjfVwJ7eMStI/TaH91ACI6yfEoFZoycZbdBZpetdqgiUXuVtipW+Ib8XQmcM"
    "cL2LtWwP6cEwiupIGbIMA0SOlGGkxpN8vC6X+kiuED0AmlYik46t0M+VlCTH/0M4SYDnku"
    "DS5Y04IqA+x/+fPVwKXx4l60pS8N+/KFS6QyCA2Xjuqm18Mz1kiVU4d+rOYmLEwH0sXFH0"
    "rUawKL6MAwWGFeQEd146vrqewpx6ZD1ktuaCQ3aAURUVaQjoS1U8ayT2m1oXJDBSZTG8Or"
    "kM2aKXmGifx5Ko+H0gUbJZ6uTumk4TVrWQHkAKMdBoi6hOoddkhNAyTF1pB+3LHYVDDs6T"
    "SvpR0n2TjW1cq4vKVUWUepy2Hm2t162h2CULPd9CuUf/NA6cEhOdz89JAfnB6SzkV0kaOL"
    "B7BrXvyQw8sN8yqGOb+hoGUJ1OsnuPHUtraGpLKRSGbjrSHiGBuXb5vlG5rkawg5zcsl3W"
    "ZJB7k89fL4Ulw8lS+rD5pAvQO3sB6uSSYOaw6sfvyqHqwJJg7rDxNP4xl+G+aexi8F2C+M"
    "q6afphbDRAbqWGYezP5UzBvEW0D3KnpSN8FNTt0q2HpL6DawjZ7UUWwTu03tzOkI87/xfM"
    "MDLP1DUrqBc9Igvocor0K19mGx8j3cy9tXK6HkRgUVncDVhlBN2IMG9DkdGk6Nlyh4Q6uo"
    "TiEceD8oVlBgSLjlkoWwFkIFju0uyBZcQJaWADOFC7wQgRcitGI672lKOi9EeI5Sr1KIsL"
    "DwqvD0yGrZKKlHtDjXl6c3NZzeRMfZZmMp8YBWJzXxodTsUAq1wsopVQFDm4fNmmH2Jk4O"
    "DnTtGhAnmDoIcyOZVNRkwvmRmNK8+BhXh3zbu75xyU0LySL/o0SSPD2W55FsnEfyFIeLtG"
    "7F6dbpIm2Dd+PjRfrSpC+dyU91ukgQn8jx28VCF8VOu1ikZNsOu1iAK6yD44467qhr5Tqw"
    "py4b7qh7jlKv4qjbm2rl1q+n8ZQNve6N2yFLlwDdsVXGbrO8z8O9rJQlYtphBUugLOxtAc"
    "tTZda1dKA3ZXU9Re5X2yDeQvJXBduLX9j8VEklwcjMs0yjQVtimcaI+LW5+7TwHXAT9BkZ"
    "I9wEfY5Sr2KC8mtzGwrG1j3vbffnvO0uBHt4WCUEe3hYHIJlfekwYPRmNWBOsXWueP+4Et"
    "bHJVgfZ7Hu/FV47Aq8E4HdfDdD/s127pV2rF2Rhmf+dXeM4BfWI64zC7Z+ThF3dfHD+dqx"
    "wm/5bD42xWpn18SY+MFE641sg6qObjJjDaM6wbM74I+bBX5r4YgQHgUY0PIzMWu4yHP5+X"
    "lPdc574pGJJqHOeNC5n3fzKks/42dDhKrXRbdNu2hvKereINVk2CACLCdwkECzOHQQSW/7"
    "0YMvyeAduoUWNXwoNtnLs2KEUZEKu2aL3Z8VJl4Gl2ex4ZfECH4zLWjb9CXdJnEWi4XNXJ"
    "t/JrK/fjlk3LG4xTclQkAB90D3RhiDyB+dovt4Cgv7R7j5XR7Lgvciwn+Fn0KWn7zQGg+P"
    "8PDIk69Ge+oo5+GR5yj1KuERVTeXzOz6liP14quBk1yd8PeUybSJy4Hju3YG+WI/W4qtE9"
    "A3Hanaw5swEvpSHUe/9EkaXEinzJkfPoPV2k7k8Sev1taG1r1bQ5tbzTuWP40+eoT3+G69"
    "utrtBwKCt15jc0qx8jNA27MZZXUQftrrc5E0JaWSmufEmEoLjGNcvMB43SjIU1S0thP4vT"
    "8MtnWqHE9Z34OU9fzzSnddhd2yJWHjIuwqJ5U26bSeYvPaFHMc1l7HQZmz2rvlTCHYdMxK"
    "7mpRElSqa+lUugLl+tUxBYA04WEJiKATW/DvrxLoKLzXKWCCDXRNsHU6coIDf2yXwz/Ax3"
    "6ZtjS2/wszNEPTJaRfpFJ+jIxHAaiqs3IMOkiFF0BYGOBWsCFhXuhHm/11IBDK4D1N0G33"
    "PwNYt9Amgs9Jlc4Z8u6MohwQ/Xwg2NglVA3wwEQrqHjlHlIksFPHWNcqeJZNJSXoiL7no+"
    "AOLAEvBO+gVhcQXjnAXeN7si/tqZOUu8afo9SruMbbctpYi6oI+A2Ze471vtx23jmfC8+p"
    "bjqn2jMWFLokWI8175DKcnZppG/NyeWZQRtcrsuv1t14HQlvKdaRsqDvlSOGsrTfPHaebF"
    "0j2dp3JijYpPDUzXXPMnPs18D+ofaV0ilOjvoaqBvYzlv0q8AesHLca+DOvIe5K0zJNhvx"
    "8P11XT39qW4h7aL2WBLKe5qLHdsGctWgU7WbHZ8m7nTjxo6mFkA2UH0AMjGoLNFBlXhUin"
    "7LRRRB6T6/w4tHV1q+UOypn51HV56j1KtEVzp/5Mp0dHV9dSK4KRUzdHXN/JYT+UQwHUtd"
    "AhsGNyAFyQozJJ19uJ5ML+Xh9EQA2t90y2cBjhnqX0g3pxK7kSnIKBCrjZ6Gs7J5MIEHE5"
    "4Q+iaDCXNgsJVHAQuSZ6KUjfAMKx/om3i7WxGCf2rwmw8MI0zqnebn03fufLne8XEFdClV"
    "8bWArI9fp9aWNYR79LhHj3v06nn04HyJ8Z3M8pDFPGdevP+g1I/nUSowJN3+OShu9jd7tv"
    "sjDM/sKShREa8FVaj79aB/cfced++1YtXYU0cPd+89R6lXce/F1+XKGb0xni7abVt3wIUb"
    "Xg2Q4zxdBLkJ4ziuM9Rcw1KsfBFryyJWZeuyqdFC9UYLKjjnxODS1Kc0Kz9ltXrmk7dEuV"
    "DVXtgCrs75pbZ/LBIzR+dYy4kiFB/8FefpxO6x62O/9vAsqmALqznOxbHclwf+oVPeE2bo"
    "ajzqy5MJa6Tangptm7UO3g9H7kFUdNHE7jFU59LggjUsgG605RAqaFk4R58tniwhQwcWo1"
    "3PE0AIXJkkZ6YUu8tjLJ1Jf93mCTXedFtDiU3z8qO12mN5e1prxi3/NI5jCVq6uhRzXMZ+"
    "z0GZsxhENPyuzV2N/KadvvfQsmteYRZj6YSOuYsAs2nWQdgn7yC6jVzFR3+RwLxMtw+T0b"
    "AgYhGxpHdLXSXCv4Kh2/sYQy4Bl4FRrgemVb7U5scecFrvxpXtb2bf/w+bRMmM"
)
