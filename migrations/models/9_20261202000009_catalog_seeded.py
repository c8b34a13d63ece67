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
    "eJztXVtz2zYW/isYvWw662YTOU5Szc7O0DKdqrEljyQnaaMOC5GQxZoEWBK042nz3xfgRaR4"
    "MymJMkXjzQbOocjv4HJuOPi7YxINGc5LSSMWRdqYGKjTA393MDT5H1ndR6ADLSvq5A0Uzj3G"
    "DvQJFTuknDvUhiplfQtoOIg1achRbd2iOsGcY4QRMJE5R/a/HOAsiQU4L1gQF2tAx8AyoIrA"
    "vU6XABNAbA3ZYI6WOu+l4AV6efMSLGxiAsh4bJP3EvrDS/7jGlHZr+v4psbfmeEZ5rAAG6kE"
    "q7qhQ/5lwEDwDjmcNXz2EYDsWZARLvhPaoR1Y0IBhbeI08F7+HAEXEx1g1HOMNRMxmq72AF/"
    "/Cf4BzkPWOXvzT6BfZlKe1PbRX8cgfulri5Zv0n4r9Il8r+O/6L/z72HiIv1v1ykUHKDWLPN"
    "cPn6taPpjsq+V9E1TsL5+J+//87+YV+PviGH0/F/rVtloSNDWxsiPpvXrtAHy2sbYHruEXIp"
    "zBWVGK6JI2LrgS4JXlHrmPLWG4SRDdnoYW2UfRZrwq5hBEMrHD7+J0Qk/ivGeDS0gK7BRxzn"
    "9l8gausoynA0VSbyVFE6qdEYcsQGTtDEhMtHMntVx/v6G/4KP3Zfv3n35v3x2zfvGYn3mquW"
    "d9/9n46A8Rk9eIbTznevH1LoU3gYR6CqNuJIKJCmwT1jPVQ3UTbC65wJpLWA9WX4RxL3EOUi"
    "4MOGCPloau8DevaB2ggbD4HIC3CeDi7lyVS6vOI/ZzrOX4aHnzSVeU/Xa31ItL54+wNvJ2zV"
    "8pe01UPA58H0Z8D/Bb+NhrIHL3Hoje39YkQ3/a3D3wm6lCiY3CtQi43OsDVEjVFGUl+fietS"
    "P9VvcmfVOt/js+sQpOxPsJ+63ePjd91Xx2/fn7x59+7k/avVTEt3FU2508EHPuvWJBtOw0gA"
    "4eJXCf0Yk4C+EvR8T1ncxhZA3jCH6u09ZKM51UO6JI823WV2zWQLxPDGg5N/N3/hULtxNZ3K"
    "mNoPmbpP1Fus+nA6Ba0IH9N88uWRsUsnNuOv8WWe9X3tsF8idjAK431i2xbbdjNWlfZu2/G5"
    "V37biHOJfWPjLZvByN8zBX1/Ce1c4AOOBOzsYw4RdhN+UwyEb+iS/fv2TQGin6Rx/2dp/OLt"
    "m8RkGQY9Xa9rHWAKbbYPVQE44tgfwJ3OXuB9/dPrEvgyqlyAvb51hDVEoe5rE+sQ/zIZDXM0"
    "/ogluVfoKgX/AEN3altDOv9duNibRGDu6gbVsfOS/+z/6pJBAeQcorVtIkT6xaX0JSmE/sXo"
    "NLn+8wecNkcXPSV0Qpm8sjTRVV+hHjonVHFWZI/63yYmNAyguTbnZ0QqdXqez8jzkVkQIwOY"
    "yHHY6x557QZ0qO8fc35UlxDHCADf49Out3p+4nEtWei+QvdtxhbdXt3XtbQNpb7OKaTeFKmH"
    "GMXEHrx9JPVb9FBFIQzId6MNPu0iWrOyfQcNF1VRBFcMQg1skxrYdx1KTE+rSamBq75CNVCN"
    "U9XpixRaltCyxH4rtCwh9V1rWU0KBzdhUd2zZ3kODYjVDG2sCPsY0/6c+q9ahbvq2jbCaiUL"
    "I86zR6fz9eRsP37n4xKGxnGunXGc8ukTCg3FsRDO2FCKhneCUQzxzYa4DyMllsW2ZtfaRAZr"
    "zEIOm8lBMx1FNYiDsnZYQgwEcc4Wu8aYgH/OOOvCf9WyX/v6dDS6WNOaTgcJcIfXl6fy+IUf"
    "+GJEOo1hXsGqjoTjBwAyBBPwnX8cIwPmxHIDW3nEn1FCFoE20xSl9ns43sLWLPWQrQCutSU+"
    "U2JdWweo9ZcC6B4aBqIKI8COH/TfEq3P3gOn0fPahFyd7qyBhkyLUK6hjRG3TToZfq000VGR"
    "g0uPyBU7oheurn2NJOHqEk6PI+HqElIXAcUtZFp/epmN2Hc6VFlCZ1kF5CSfyJYsEcBlU8Ji"
    "v4i8FCw3Q9/MP0aS5tzIrG+YKbMbLSED4DnRMtaM/Eh5inGriHnDUH5GofFfyLyTYT3w5kJ7"
    "4c+AoN5zOdHkxegbZboIZVYKXR3TIaE/4pZxidM5wqBoyPpxoKqlMCieo9RLGRR8fc1UdmXs"
    "mp68BwyLMFa7bl0EvE1WeDtn8sXgkzxW+qMzedIDbLvT75DNvoLRzfCHsTScKuPRhdwDNzbE"
    "1KvIMcNj+dPooxx02OiO3KKg52o0mSrnsnzWA1wUygIhbYbZGwzOf1Wks8vBsMfLVeiLB8Ur"
    "RjHD11dc0MpkOhrL5+PRcNoD/oxhGiyx0cIm/hZUVSnvllHKu/lKeTellFvwwSAwYzzka4sx"
    "FpFZuRP1MS6QPOOo3PzMNZDqDPVbCGscworT9Eoeng2GH9ik8vnZFLweDr0W28XYazljSyCb"
    "wQTzaSiNP3pzENq3fnCxsg/hbRkXQnJpjnkQ3ianT6DEVjFm4yytCU7vzIZNmgYV9ZIM9hYq"
    "J4erjKR1UANBBynkHvvGX1kPXIJto9WuYY6Kuv1vPmTom6Uz8W0wt7L4dzC5GiaFVs0tyLRV"
    "ZNskY2pN2UqZI+c1rhacUy8SqfxlWqzCrSR6MRp+CMmTel3y0LrmWkipGLhZ59rJgtb28I3n"
    "MszMAc/VvuIsIoaQk4KWQDgN7zkzYvUb/BE9pMyRZ5FsxppteL9yTq+NKvbx7JORn+PHXgAM"
    "ry8uOt+fJiLg454RE1gJJD8qsJL9buMCXzsOcW1/sLA9CNkYGllVNeMBg2RJr/gJvoBKBAxE"
    "wKAZi8aBuo5FwOA5Sr1MwAC7vDZ0FV024mhdHtJxt8x5o27+gaNuUouNtsONPL4r7mbHZAaT"
    "/mh81gPBCcwZnkzHgyu551XrttAMy/3PA9aP1Hud9V4OzqZjaTjpAVPXvDR1HqE5H0v9KY/O"
    "LLg+wnguT7lHmNcuZzzS1aAHoKXP8Ad5KI8H/R7wvl5Xm+Esjms7FSZTgq19rq5abENkQt2o"
    "BHPI0D6Auyel4oYnBYHDk3Tk0Caaq1LF+78Czkm+FjiYkmiflEL7pADtkyTaf7kQU51meJRy"
    "TZk4y/4CTa8bbdDEIncmcase8Y14WhO4EwfY23aA/TknEFxJAy9BgGuQ0mdpMGXdPAun/7HH"
    "L5HRKaPiKTjq7QwHWUJcfwwyhLgOeS4NLnjTgikD/H/5y9XAo/HjXqylLw378oVHpHIIDY+O"
    "6abXwzPe6F9iw9uupPF0IF1c/KpEvRa0qQ4Ngx/MC+mYbnx1PZV95dhy6WbJDbXkBpkIU8VE"
    "bCRsnDKWfkqjDZXPTGAyszH8E7JpMyXLMJG/TOXxULrgo8TX1RmdNLzmLSbELjSaYYCoS6Te"
    "EpdWNEASbDXpxy2LTYXDnk3zStrxOpvAutwxLn8pVTZR6jKYhXa3mXaHEdIcL/0KZ988UFg4"
    "JINbVA95pHpIMhfRQ44tHtCpePFDBq8wzMsY5uKGgoYlUG+e4CZS25oakkpHIrmNt4GIY2xC"
    "vk2W78ok30DISV4h6SZLOszlqZbHl+ASqXxpfdCC6i28yb60MxfXdSYBawasQfyqGqxrTALW"
    "RxNP4xl+W+aexi8FOCyMy6afJhbDtQzUscw9mP1pJ2sQ7wDdq+hJ7QR3feqWwdZfQneBbfSk"
    "lmK7tttUzpyOMP+TzLcsYBkUSWkHzusG8R3CWSdUKxeLle/QQd6+WgolLyqo6BSZW0I14Q8a"
    "sOe0aDjVfkTBH1p55xRWA++RwwoKWhHu+MjC6iyECl3HW5BttEA8LQGlDi6IgwjiIEIjpvOB"
    "pqSLgwjPUeplDiIsbGLmVo8sl42SeESDc31FelPN6U1snG03ltYe0OikJjGU6h1KK62wdEpV"
    "yNDkYbNhmL2OysGhrl0B4jWmFsJcSyYVM5lIdiSmMC8+xtUi3/a+b1zy0kLSyD+WSJKlx4o8"
    "kq3zSJ6iuEjjVpx2VRdpGrxblxfpS5O+dCY/VXWRMD6R4beLhS7ynXaxSMmuHXaxANfqHJxw"
    "1AlHXSPXgQN12QhH3XOUehlH3cGcVm78ehpP2dCr3ri9YmkToHu2yvhtlndZuBcdZYmY9niC"
    "JVQWDvYAy1Nl1jV0oNdldT1F7lfTIN5B8lcJ20tc2PxUSSXhyMyyTKNBW2CZxojEtbmHtPAd"
    "CRP0GRkjwgR9jlIvY4KKa3NrCsZWrfe2/zpv+wvBvnpVJgT76lV+CJb3JcOA0ZtVgDnB1rrD"
    "+yelsD4pwPokjXXrr8LjV+D1AL/5boaDm+28K+14uyINz4Lr7jjBv3lPZ5NZsPM6RcLVJYrz"
    "NWOF33FtPj7FKmfXxJhEYaLNRrbBVEcvmbGCUb3Gsz/gT+oFfmfhiBU8CjSQHWRiVnCRZ/KL"
    "ek9V6j2JyMS+oHYQ0rJGeH5qXsSxVWpeM325tebgpSIXwr++/enWINNqS4TKn0dvmlbX3CPA"
    "B4NUneGaCLCMgM0amvkhm0h6u4/afF0PmuIbZDODk2GTvrQsRhgdDuLXm/F7y1YJr+LSMhH/"
    "adS0P9BIgIj/PEepl4n/qLq15Hbltwyp5999vM7VCodWkUzruP04vj2mkM93JCbYWgF93aG4"
    "A7zqA95B3X9CNcw70idpcCGd8mjF6hn8MPFEHn/yDxM7yL7zDglnHlcey59GH33CO3K72cHh"
    "3Uc6wrfeYHNKsIoip83ZjNI6iChn+1wkzUiZpOYZQbTCE9QxLnGCetMwz1Mc2W0m8Adf7bZx"
    "qpzIyT+AnPzsgqz7PmbesCVh61PmZUqx1ukdnhLr2upkeIb9jqMir7B/jZtCieVapfzCHQmo"
    "TNfSmXQB4/rRtQDEGrhfQgp06oDggi7ARuGdzgADDtQ14Ohs5IQVjRyPI6hQ5LxMWhq7/4UZ"
    "nuHpErEvUhk/wcYDgKrqmq7BBil4AcHCgDfAQRSwIf7g8L+OAGUM/tOA7nj/GdC+QQ4FASdT"
    "OmfYvxSLcSD8wxFwiEeoGvCeixaoxPSqMAFeVo13meGzHCYpoGP2ng/AG1iALIBfidYDRByN"
    "EK7xA9mXDtRJKlzjz1HqZVzjTSmn1qBjEuIK0APH+lCuc2+dz0UkjdedNO4bCwpbEuyHipdk"
    "pTnbNNJ35uTyzaAtbg8WdwdvvY6srmHWsbJg75UhhqK85ix2kU1eIcU5cCYoxGLwVE3mTzML"
    "7DfA/r7yndkJToH6BqgbxMla9MvAHrIK3Cvgzr2HmStMwTYb8Yj9dVM9/amuWW2j9lgQynua"
    "myubBnLZoFO5qyufJu702YsdTW2IHagGAKRiUGmiozLxqAT9jk8rhLUJxCVlIrrS8IXiQP3s"
    "IrryHKVeJrrS+poy09HV9VUPeCkVM3x1zf2WE7kHLNdWl9BB4RVPYbLCDEtnv1xPppfycNoD"
    "UPuTbfk8wDHD/Qvp86nEr5wKMwo65UZPzVnZIpgggglPCH2dwYQ5NPjKo8AFzTJRikZ4ilUM"
    "9G283Y0IwT81+PUHhjGh1coVBvStK6DXPTkpgS6jyr/3kPeJ++KasoYIj57w6AmPXjWPHpov"
    "CbmVeR5yJ8uZF+8/KvTj+ZQKWpHuvuCIl/3Nn+39CMczXW4kOsRrIxXpwXlQUVdEuPeasWoc"
    "qKNHuPeeo9TLuPfi63LpjN4YTxvttp074FYbXgWQ4zxtBLkO4ziuM1RcwxKsYhFryiJWZuty"
    "mNHC9EYbKSSjJHJh6lOSVZSRLZ/55C9RHlSVF7aQq3V+qd2XReLm6JxoGVGE/MJfcZ5W7B77"
    "Lvt1gLWowi2s4jjvjOW+PAiKTvlPmOGr8agvTya8kWl7KnIc3jr4MBx5hajYokm8MlTn0uCC"
    "NyygbjSlCBWybZKhz+ZPlhVDCxajfc8TSCkyLZoxU/Ld5TGW1qS/7rJCjT/dNlBik7yitFZz"
    "LG9fa0255Z/GcSwhW1eXnQyXcdBzVOQshhGNuEx0XyO/bqfvHbKdine0xVhaoWPuI8BsWVUQ"
    "DshbiG4tdw2yX6QoK9Mt/2KTGMtWN5s0De0CcJ/iapPdb2bf/w+ga/JD"
)
