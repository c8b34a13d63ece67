"""Catalog precedence: product.seeded keeps what config.toml last set (models.catalog.sync).

Products already in the database came from config.toml, so they are marked as seeded with
nothing recorded ('{}'): the next start applies the file to them as before, and hides those
the file no longer lists. Products added in Discord later have no seed (NULL).
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE = """
ALTER TABLE "product" ADD "seeded" JSON;
UPDATE "product" SET "seeded" = '{}';
"""

POSTGRES = """
ALTER TABLE "product" ADD "seeded" JSONB;
UPDATE "product" SET "seeded" = '{}'::jsonb;
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES if db.schema_generator.DIALECT == "postgres" else SQLITE


async def downgrade(db: BaseDBAsyncClient) -> str:
    return ""


MODELS_STATE = (
    "eJztXWtzm7ga/isMn7pzsp3Wadpu5syZIQ7peuvYGZu03a13GBnkmA2WWBBJM7v970fiYu"
    "4UbGNjom+JpBfD8+ry3vWPuMI6NJ2XkqsbREbEfhLPhX9EBFaQ/pHTeyKIwLKiPtZAwNz0"
    "hgM2ToXrgXOH2EAjtGsBTAfSJh06mm1YxMCItiLXNFkj1uhAA91FTS4y/nahSvAdJEto04"
    "6vf9JmA+nwG3TYv19FzYaAQF0FRKR9X0X6S9hWDZ39dLyPEVr36sKApp74On+o166SJ8tr"
    "GyBy5Q1k7zVXNWy6KxQNtp7IEqP1aAMR1noHEbTZ79E2YrvsQ9l3BLCE3+5/UzTE/5gYjQ"
    "4XwDVJDJi5GrWJqjoaK+pUVlRVrAGlhhFjA31Vx/v6O/YKP/dev3n35v3p2zfv6RDvNdct"
    "7777Px0B4xN68IwU8bvXDwjwR3jciECNIZ8B95L2EGMF8xFOUqaQ1gPSl+EfadxDlMuADx"
    "si5KN5uQ/o6QfqY2Q+BSwvwVkZXMtTRbq+YT+3cpy/TQ8/SZFZT89rfUq1vnj7E2vHdMn5"
    "y3H9EOHzQPlVYP8Kf4xHsgcvdsid7f1iNE75Q2TvBFyCVYQfVaDHZmfYGqJGR0Zcj6+9JM"
    "8vjLvCNRWn+vHKOgYO+4vrl17v9PRd79Xp2/dnb969O3v/ar3Ksl1ly+1i8IGtuARXwyWY"
    "AJ+9Zwb6/hLYhcAHFCnY6cccI+wr8E01IbojS/rv2zcliH6SJv1fpcmLt29Si2UU9PS8ri"
    "TABNj0HKoDcESxP4BFcS/wvv7ldQV86ahCgL2+JMI6JMDwpYkkxL9Nx6N8iGMk6bPC0Ijw"
    "r2AaTmN7iPjfhYu8RSTMXcMkBnJesp/9X1M8KIGcQZQ4JkKkX1xLX9JM6A/HF+n9nz3ggj"
    "KECUqL+9ipzhrmQLt/BLauZnpwDxeNzXateqt0C0DgzoOXfTH7vkDavMBkSii/8iTRdV+p"
    "HDrHRHXWw34khYrTFTBNQXdtRk8HacShp94SCs4SW4IFEDSFFXQc+ronXrsJHCJgW4e287"
    "O2BCg2QGBn/EsxxdOGfuLHUjKXfbns244juruyr2vpG3I9Scm53hauhxjF2B68fcT1e/hU"
    "RyAMhu9GGjzsJtqwsP0ATBfWEQTXBFwM7JIY2HcdgleeVJMRA9d9pWKgFh/VpC2SS1lcyu"
    "LnLZeyONd3LWXphqNRLbi2ZTlJtxvbchs21T1blufABEjLkcbKsI8R7c+o/6pTuGuubUOk"
    "1dIw4jR7NDrfTi/3Y3c+raBonBbqGacZmz4mwFQdC6KcA6VseqcI+RTfbIr7MBJsWfRodq"
    "1NeJAg5nzYjA/6ylE1Ezsw74TF2IQAFRyxCcIU/HNK2RT+65b96tcX4/EwITVdDFLgjm6v"
    "L+TJC9/xRQcZJIZ5Da06Yo7vAMhhTEB39XECTVDgyw105TF7RgVeBNJMW4Ta7+F8C1vzxE"
    "O6A7jWlvgo2Lq1jlDqrwTQIzBNSFQ6ADm+039LtD57D1Si53UJuSbNWQMdrixMmIQ2gUw3"
    "EXPsWtlBJ2UGLiMartrReG7q2tdM4qYubvQ44aYuznXuUNyCp82Hl9mQfqdD1CVwlnVATt"
    "PxaMkKDly6JCz6i9ALwXJz5M1CsSCHciO1vmWqzG6khByA51jP2TOKPeUZwq085i1D+Rm5"
    "xn/DczFHe2DNpfrCX8GAZvNyosWL4DdCZRFCtRSyTtPBoT3inlLx7ByuULRk/zhS0ZIrFM"
    "+R65UUCra/5gq7MnJXHr8HFIvQV5vULgLaNgu84qU8HHySJ2p/fClPzwV63BkP0KZfQcfN"
    "0IeJNFLUyXgonwt3NkBEtbEJZ2gifxp/lIMOGz7gexj03Iyninoly5fnAmOFuoBQnyH6Bo"
    "Or31Xp8nowoq+JibF4olxYGWiGbm8Yo9WpMp7IV5PxSDkX/BVDJVhsw4WN/SOorlDeqyKU"
    "94qF8l5GKLfAk4lBznwolhZjJDyycifiY5whRcpRtfVZqCA16eq3INIZhDWX6Y08uhyMPt"
    "BF5dPTJXg7GnkttouQ13JJt0C6gjFiy1CafPTWILDvfedibRvC2yomhPTWHLMgvE0vn0CI"
    "raPMxkk645zemQ6bVg1qyiU55B0UTo5XGMnKoCYEDlTxI/KVv6oWuBTZRrtdywwVTdvffM"
    "jgN8ug7NtgbeXR72BxtYwLnVpbgEqr0LZxztJS6E5ZwOcEVQfy1MtYKn9RykW4NUeH49GH"
    "cHharksnreuuBdWajpsk1U42tK67bzyTYW4MeKH0FSfhPoSCELQUwll4r6gSa9yhj/Apo4"
    "48i2Az2myDx7VxOjGr6MfTT4Z+jB99AWF0OxyK3w/jEfBxz/EJrBlS7BVY8363foGvooNd"
    "258s9AyCNgImg+7PEodBuqRXPIMvGMUdBtxh0I5N40hNx9xh8By5XsVhgNzVvJ52HlF0Lg"
    "7ptFcl36hXnHDUS0ux0XG4kcV3Td1un8xg2h9PLs+FIANzhqbKZHAjnwsMfQvOkNz/PKD9"
    "UHs0aO/14FKZSKPpubAydC9MnXloriZSX2HemQWTRyjN9QWzCEM62yiNdDM4F4BlzNAHeS"
    "RPBv1zwft6Q2uHsTgu7dRYTCmy7pm6GtEN4QoYZi2YQ4LuAdw7q+Q3PCtxHJ5lPYc21l2N"
    "qN7/NXBO03XAwJRG+6wS2mclaJ+l0f7bBYgYJMeiVKjKxEn252h63WqFJua5W2G3bopvRN"
    "MZxx1PYO9aAvtzDiC4kQZegACTIKXP0kCh3SwKp/+RCoaPwCB0FAvB0e5nKIgSYvJjECHE"
    "ZMgraTBkTQsqDLD/5S83A2+M7/eiLX1p1JeH3iCNQWh646hseju6ZI1UOHXpx+pewIIykI"
    "bD39Wo1wI2MYBpssS8cByVjW9uFdkXji2XbBbc0Ehs0Aoioq4gnQkbh4xln9JqReUzZZhM"
    "dQw/QzarpuQpJvIXRZ6MpCGbJb6sTsdJo1vWsgLIBWY7FBBtCbV77JKaCkiKrCH5uGO+qX"
    "Da02VeSzpOknGsq6Vx+VupuolQl0PMpbvNpDsEoe544Vco/+aB0sIhOdS8esgPqoekYxE9"
    "5OjmAZyaFz/k0HLFvIpizm8oaFkA9eYBbjy0ra0uqawnkul4G7A4Rsb522b+rlXyDZicpu"
    "WcbjOnw1ieenF8KSoeypeVBy2g3YM7WA/XJBGHNQfWwH9VD9YEEYf1h4Gn8Qi/LWNP45cC"
    "HBfGVcNPU5thIgJ1IjMLZl8R8ybxDtC9iZ7UTXCTS7cKtv4Wugtsoyd1FNvEaVM7cjrC/C"
    "8837KAZVAkpRs4JxXiB4jyMlRrF4uVH+BR3r5aCSXPK6gaBK62hGrKHjSgz+nQdGo8RcGf"
    "WkV5CuuJ94NkBRWuB+44ZWGdC6EB1/E2ZBsuIAtLgJnEBZ6IwBMRWrGcjzQknSciPEeuV0"
    "lEWNh4VVg9slo0SuoRLY715eFNDYc30Xm23VxKPKDVQU18KjU7ldZSYeWQqpCgzdNmQzd7"
    "E5WDQ1m7BsQJog7C3EgkFVWZcL4npjQuPkbVIdv2vm9c8sJCssj/KJAkT47lcSRbx5Ecor"
    "hI63acblUXaRu8W5cX6UvTvnQpH6q6SOifyLHbxVwXxUa7mKdk1wa7mINrnQfHDXXcUNfK"
    "feBITTbcUPccuV7FUHc02cqt30/jIRtG3Ru31yRdAnTPWhm7zfIhD/eyVJaIaI8ZLKGwcL"
    "QJLIeKrGvpRG9K6zpE7FfbIN5B8FcF3Ytf2HyooJJwZuZpptGkLdFMY4P4tbnHtPGdcBX0"
    "GSkjXAV9jlyvooLya3MbcsbWrfe2/zpv+3PBvnpVxQX76lWxC5b1pd2A0ZvVgDlF1rnk/b"
    "NKWJ+VYH2WxbrzV+GxK/DOBXbz3QwFN9t5V9qxdlUaXQbX3bEB/2E94iarYOd1iripixfn"
    "a8cOv+PafGyJ1Y6uiRHxwkSbzWyTio5eMGMNpTpBsz/gz5oFfmfuiDU8KjChHURi1jCR59"
    "Lzek916j1xz8S+oHYg1PNmeHFoXkSxVWheO225jcbgZTwX3L6+fXZrEGm1JULV89HbJtW1"
    "NwX4aJBq0l0TAZbjsEmgWeyyibi3e6/N16TTFN1BmyqcFJvspWWxgVFyELvejN1btg545Z"
    "eWcf9Pq5b9kXoCuP/nOXK9iv9HM6wl0yu/5XC9+O7jJFUnDFplPG3i9uP48ZhBvtiQmCLr"
    "BPRNu+KO8KoP8AAM/wn1MBelT9JgKF0wb8X6GSyZeCpPPvnJxA60H7wk4dx05Yn8afzRH/"
    "iA7zdLHN69pyN86w0OpxQpL3LansMoK4PwcrbPhdN0KOXUPMeJVppBHaPiGdSbunkOkbLb"
    "TuCPvtpt60Q5HpN/BDH5+QVZ951m3rItYess8yqlWJu0DivYurXEHMuw33FSZhX2r3FTCb"
    "Zcq5JdWJQEjcpaBuWuQKl+di0BIF14XAIiGMQRggu6BDoLHwwKmOAAQxccg86csKKR41EE"
    "FYqcl2lNY/e/MEMzpCwh/SKN0mNkPglA09yVa9JJKrwAwsIEd4IDiUCn+JPD/joRCCXwny"
    "YYjvefCew76BAhoKRC5wz5l2JRCoh+OhEc7A3UTPDIWCtoeOVVYRJYWTXWtQqf5VBOCQai"
    "7/kkeBNLwAvBr0TrAcJTI7hp/EjOpSM1knLT+HPkehXTeFvKqbUoTYJfAXrkWB/Lde6ds7"
    "nwoPGmg8Z9ZUGlW4L9VPOSrCxll2b6zoxcvhq0xe3B/O7grfeR9TXMBlIX9L1y2FAW15xH"
    "zqPJa4Q4B8YEFVsUnrrB/Flijv0G2D/WvjM7RclR3wB1Ezt5m34V2ENSjnsN3Jn1MHeHKT"
    "lmIxp+vm4qpx/qmtUuSo8lrrzD3FzZNpCrOp2qXV15GL/TZ893pNgAOUALAMj4oLKDTqr4"
    "o1Ljd5ytENYm4JeUce9KyzeKI7Wzc+/Kc+R6Fe9K52vKKOOb25tzwQupmKGbW2a3nMrngu"
    "Xa2hI4MLziKQxWmCHp8rfbqXItj5RzAeh/0SOfOThmqD+UPl9I7MqpMKJArDZ7Go7K5s4E"
    "7kw4IPRNOhPmwGQ7jwoWJE9FKZvhGVI+0bexdrfCBX9o8Jt3DCNM6pUrDMZ3roBe7+ysAr"
    "p0VPG9h6yP3xfXlj2EW/S4RY9b9OpZ9OB8ifG9zOKQxTxjXrz/pNSO549U4Xro7guOeNHf"
    "7NnejzA8s+VGoiReG2rQCPJBeV0Rbt5rx65xpIYebt57jlyvYt6L78uVI3pjNF3U23ZugF"
    "sfeDVAjtN0EeQmlOO4zFBzD0uR8k2sLZtYlaPLoUoLlRttqOKcksiloU9pUl5Gtnrkk79F"
    "eVDV3thCqs7ZpXZfFompo3Os53gRigt/xWk6cXrsu+zXEdaiCo+wmvNcnMh9eRAUnfKfME"
    "M3k3Ffnk5ZI5X2NOg4rHXwYTT2ClHRTRN7ZaiupMGQNSyAYbalCBW0bZwjzxYvljVBBzaj"
    "fa8TQAhcWSRnpRSby2MknQl/3WWFGn+5bSDEpml5aa32aN6+1Joxyx/GcCxB29CWYo7JOO"
    "g5KTMWg2gMv0x0XzO/aaPvA7Sdmne0xUg6IWPuw8FsWXUQDoZ3EN1G7hqkv0hgXqRb8cUm"
    "MZKtbjZpG9ol4B7iapPdH2bf/w9scRDy"
)
