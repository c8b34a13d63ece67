"""Timed access reminders: order.access_reminded_until and the remind_access job kind.

access_reminded_until is the access_until its buyer was last reminded of (NULL: never), so
the leader's sweep queues one reminder DM per access end. remind_access is a new value of
job.kind (a VARCHAR(24), so only its column comment changes).
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE = """
ALTER TABLE "order" ADD "access_reminded_until" TIMESTAMP;
"""

POSTGRES = """
ALTER TABLE "order" ADD COLUMN IF NOT EXISTS "access_reminded_until" TIMESTAMPTZ;
COMMENT ON COLUMN "job"."kind" IS 'DELIVER_CODES: deliver_codes\nGRANT_ROLE: grant_role\nREVOKE_ROLE: revoke_role\nPOST_FEED: post_feed\nNOTIFY_ADMIN: notify_admin\nUPDATE_STOREFRONT: update_storefront\nNOTIFY_BUYER: notify_buyer\nNOTIFY_RESTOCK: notify_restock\nREMIND_ACCESS: remind_access';
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES if db.schema_generator.DIALECT == "postgres" else SQLITE


async def downgrade(db: BaseDBAsyncClient) -> str:
    return ""


MODELS_STATE = (
    "eJztXVlz2zi2/isovXS6xp3rOHGSUd17q2SZTqtjSy5JTjITdbFhErLYpgA2CVpR9eS/DwCu"
    "4hZSK0XjTQJwQPI7WM6Gg79bc6Ij03nZ0YlFkT4kJmq1wd8tDOf8R1b1CWhBy4oqeQGF94Kw"
    "Bb2Gqh20vHeoDTXK6qbQdBAr0pGj2YZFDYI5xQAjMEfze2T/5ABnRizAacGUuFgHBgaWCTUE"
    "FgadAUwAsXVkg3s0M3gtBS/Qy4eXYGqTOYCMxp7zWkJ/fskfrhONPd3ADzt8zgRPMIcF2Egj"
    "WDNMA/IvAyaCT8jhpEHfJwCyviBrOOWP1AmrxoQCCh8RbwcXcHkCXEwNk7WcYKjPGantYgf8"
    "8T/+H+Qsscbfm30C+zKNtse2i/44AYuZoc1Y/Zzwp9IZ8r6OP9H7sxCIuNj4y0UqJQ+IFdsM"
    "l69fW7rhaOx7VUPnTTgd//n77+wP+3r0DTm8Hf9rPapTA5n6yhDxyES5SpeWKOtheiUaci7c"
    "qxox3TmOGltLOiM4bG1gyksfEEY2ZKOHlVH2WawIu6bpD61g+HifEDXxXjFGo6MpdE0+4ji1"
    "9wJRWUtV+4OxOlLGqtpKjcaAIjZw/CLGXD6S2as64usf+Cv8cvbqzbs371+/ffOeNRGvGZa8"
    "++49OgLGIxTw9Met76IeUui1EBhHoGo24kiokKbBvWQ11JijbIRXKRNI6z7py+BHEvcA5SLg"
    "g4II+Whq7wN69oH6AJtLn+UFOI97N8po3Lm55Y+bO85fpsCvM1Z4zZkoXSZKX7z9mZcTtmp5"
    "S1rYCfjcG/8K+F/w70FfEfAShz7Y4olRu/G/W/ydoEuJislChXpsdAalAWqsZcT11Zm4yvUL"
    "4yF3Vq3S/Xh2HQOXvQn2z7Oz16/fnZ2+fvv+/M27d+fvT8OZlq4qmnIXvQ981q1wNpiGEQOC"
    "xa8S+jEiCX0l6PmeMn2MLYC84B5qjwvIRnOqhpyRvLbpqvnZPFkCMXwQcPLv5i8cSDeublAF"
    "U3uZKftEtcWiD2+norDhjySffH5k7NKJzfhrfJlndV9b7EnE9kdhvE5u23Lbrseq0txtOz73"
    "ym8bcSq5b6y9ZTMY+XumoO/OoJ0LvE+RgJ19zDHCPoffVBPhBzpjf9++KUD0U2fY/bUzfPH2"
    "TWKy9P2aM1G1CjCFNtuHqgAcUewP4FZrL/C++uerEviyVrkAi7pVhHVEoeFJE6sQ/zYa9HMk"
    "/ogkuVcYGgX/Aabh7GwNaf3v1MViEoF71zCpgZ2X/LH/vyseFEDOIVrZJgKkX9x0viSZ0L0e"
    "XCTXf97BRX1k0QtCR5TxK0sSDesK5dB7QlUnbPZD+9toDk0T6K7N6VkjjTptYTMSNjILYmSC"
    "OXIc9ronotyEDvXsY84v2gziWAPA9/i06W03j/ixlCxlXyn71mOLbq7s61r6mlxfpZRcrwvX"
    "A4xibPffPuL6I1pWEQj95tuRBg+7iO5Y2H6CpouqCIIhgRQDmyQGdl2HkrmQalJiYFhXKAZq"
    "8Va7tEVKKUtKWXK/lVKW5Pq2paw6uYPrsKju2bJ8D02ItQxprAj7GNH+jPqnjcJdc20bYa2S"
    "hhGn2aPR+W50uR+78+sSisbrXD3jdcqmTyg0VcdCOGNDKRreCUI5xNcb4h6MlFgW25pdax0e"
    "rBBLPqzHB33uqJpJHJS1wxJiIohzttgVwgT894xyV/iHJfvVry8Gg+sVqemilwC3f3dzoQxf"
    "eI4v1sigMcwraNURczwHQAZjfLqrj0Nkwhxfrq8rD3gfJXjhSzN1EWq/B+MtKM0SD5mgSYn2"
    "qNqIvbNDN0Rq6PU29Do7QkWgFGZs1XStDZEaE+vOaipAC2iaiKqsAXa8QIkN0fosOhxH/TUJ"
    "uV2aAHs6mluEcql2iLg+18qwBaYbnRQZBY2ouWpH7aV5cF8jSZoHpaHoRJoHJdelE3YDnu4+"
    "JM+XqdUZdGZVQE7SyQjTEk5vNiUs9kQkwtbcDHkz/+hNmnItU0jN1L/tSAkZAN8TPWPNyI8u"
    "SBFuFGVQM5SfUTjBb+S+laE98OJCfeFPv8FuzzJFkxejb5TJIpRpKTQ82kQCG84jo5InmqRC"
    "UZP140hFS6lQPEeul1Io+PqaKewq2J0LfvcYFoF/e1W78GnrLPC2LpXr3idlqHYHl8qoDdh2"
    "Zzwhm30FazfBH4ad/lgdDq6VNniwIaYii8kED5VPg4+KX2GjJ/KI/JrbwWisXinKZRtwVqhT"
    "hPQJZm/Qu/qX2rm86fXbPMWHMV2qIoHHBN/dckaro/FgqFwNB/1xG3gzhkmwxEZTm2Aa9nBx"
    "9y9lGPZw7y6RHdYNGbMH3Y9hre8M4G/LHnupdrpdZTTi78uey6ajpiFHbLFVxf2zMuL+Wb64"
    "f5YS9y24NAnMGGn5cmiMRMa5bkUwjTMkT+0qN/NzVa9dBl5YCOscwooLwK3Sv+z1P7Dp6tGz"
    "6XLX74sS28VYlFyyxZWtDQTzCd4ZfhSzG9qPnqu3snXibRnjRHLRj9km3ianjy8eV1GT4ySN"
    "CRXYmnacVDoqSjwZ5A0Ue45XzElLtyaCDlLJAntqZVnbXoJsrdWuZiaQXVv2PMjQN8tg7Ftj"
    "bmXRb2Fy1YwLjZpbkMnByLZJxtQas5Uyh88rVA3IGlDEUuXLuFiECzl6Peh/CJon5bpkCgHd"
    "tZBa0SW0SrWVBa3pjiFhjMyMyM+VvuIk0juRExCYQDgN7xVTj40H/BEtU+rIswj9Y8U2XIRm"
    "75VRxT6efTLyIi7ZC4D+3fV16/thfA0e7hnehpAh+f6GkPfb9Th8bTnEtb3BwvYgZGNoZuU4"
    "jbsikgnW4ucp/VbSFSFdEfVYNI7UKC1dEc+R62VcEdjlmbqryLIRReMinF6flTn9dZZ//Oss"
    "KcVG2+FaFt+Qut7ent6oOxhetoF/HnaCR+Nh71Zpi9zpFppgpfu5x+qRtjBY7U3vcjzs9Edt"
    "MDd0EQDPvSlXw053zP0oUy6PMJqbC24R5pnkGU3nttcG0DIm+IPSV4a9bhuIrze0ehiL49JO"
    "hcmUIGueqWsnuiGaQ8OsBHNA0DyAz85L+Q3PCxyH52nPoU10V6Oq+F8B5yRdAwxMSbTPS6F9"
    "XoD2eRLtv1yIqUEzLEq5qkycZH+Ople1Vmhinrs5caseuI5oGuO4k+kEmpZO4DkHENx2eiJA"
    "gEuQnc+d3phVq35sDlxAg7JWqh+b48cfcfnRjz3iMuRVp3fNi6ZMGOD/lS+3PdHG83uxkm6n"
    "31WuRSONQ2iKdkw2vetf8kLvSiFedtsZjnud62seIBTUWtCmBjRNHiQUtGOy8e3dWPGEY8ul"
    "6wU37CQ2aI4wVeeIjYS1g9HSvdRaUfnMGKYwHcM7e5tWU7IUE+XLWBn2O9d8lHiyOmvX6d/x"
    "kjnELjTroYBoM6Q9EpdWVEASZDuSjxvmmwqGPZvmlaTjVTKJdbkDYt5Sqq4j1GUQS+luPekO"
    "I6Q7IvwKZ98DUZjGJYNa5nL5QS6XZCyiQI4tHtCpeA1HBq1UzMso5vK+iJoFUK8f4CZD2+rq"
    "kkp7IrmOtwaLY2SSv3Xmb6iSr8HkJK3kdJ057Z2GUsVdy1U5naTdC6f3qTw1kNHOAll0I3Yn"
    "epDT+wi47h195DlSN2B8uhPJ+zrzPgjTrBainaCSUdppVd+C2iN8yL4dOxfXVSIJawasfmhC"
    "NVhXiCSsPzxTEA/e3vBYQfz2nePCuOzJgsRiuHK4gKcdGPa641bWIN4CurdRT80Ed3XqlsHW"
    "W0K3gW3UU0OxXdltKh+KiTD/k9xvmPXYz6zVDJxXbZ1PCG+aa1ycBFKe0FFec14KJS8zu0HR"
    "fEOoRryjHuunQcNp56fPvKGVdwQtHHg/OIemorDhlk+jhcfcNOg6YkG20RTxiDOUOpMmz5jJ"
    "M2a1mM5HetpInjF7jlwvc8ZsapN5bsrhcoGGiS5qfIxDRq7uOHKVjbPNxtJKB7WOV5VDabdD"
    "KZQKS0fLBgR1HjZrRlDtIt18IGtXgHiFqIEw7yRIlqlMJNsTU3jkKUbVINv2vq82FBF/aeR/"
    "FCOYJcfKEMGNQwQPkTeqditOsxJH1Q3ejTNHdTujbudSOVTiqMA/kWG3i7ku8o12MU/Jtg12"
    "MQdXeMRZGuqkoa6W68CRmmykoe45cr2Moe5oElHUfj2Nh2wYWQpwkV4WkjQJ0D1rZfwK5Kcs"
    "3ItOKUZEezycGAgLR3s28VCRdTUd6LvSug4R+1U3iLcQ/FVC90poutuIwTk+Y9pBgkqCkZml"
    "mUaDtkAzjTWSd60f08J3IlXQZ6SMSBX0OXK9jAoq71rfkTO2airP/afw3J8L9vS0jAv29DTf"
    "Bcvrkm7A6M0qwJwga1xelvNSWJ8XYH2exrrx96fye1PbgF+XOsH+dajiHlRernb6l/4dqbzB"
    "P3hNa51ZsPUUdNLUJfOu1mOF33LaVT7FKkfXxIhkzrn1RrbJREcRzFhBqV6h2R/w57sFfmvu"
    "iBAeFZrI9iMxK5jIM+llKr8qqfykZ2JfUOuuLYyzqg6XVa5xTtE1KDpyaysJ6xfZT7DSPRxx"
    "mhqf4VhT6nhfQup4nyt1vE8le0dIz1qf8wNLI4qNAktrBvI+IkhTfjfpHdr8bLYfJ7ghQuWz"
    "KdRNJykFEhuIQpyyEXtnZ9MD/0Ovt6HXWVMxO8ih/6NBapcO2sT4yvDTpkdgvrs2MfZLuW1b"
    "fUKN6RLMEVjMEAZ+H0hvAwiCjDrAPwoHpsQGBCPgEFP/hbgU+B5i8IKXWqylBQ3755dJA9pu"
    "njLBE/wH5j0bwj31BzAc4CDqPQMGTwEMDYYHoDNk2ODyps1/AR8kTkJ5c8dCmJ4AiHUAJ5iN"
    "dPaYoIPLG9FoDuADGxns3cwlMKa8aAmg8+gXv1jMDG0G2P4IbQcY1IMhMy47ntcpcLKnL/WN"
    "ud9jXymv75Xu8pqsmUfqOJXu8ufI9TLu8vgyW5HtCVKZbbU+bE7P7sNlW63dZG5IXtAm4loQ"
    "vXyYxKB1A7ls/HJRZtAwgPnQiUGPFdzNgsN3qV1H5ogMxXrFVpGvU0e2kVLqdKUo6K+r4ww/"
    "INuyOdCFqmCUbIchzhrG0vL5Vb/zobyKEfpmse3TYS8pilqTGNsmInZp0uK//nHKqWMK5Tc1"
    "QkCFT9DwhiuHyB/oLdE9g4X/AZ9/VYYK8F4E/B/4KST5yRsFUm+VeuvBl7Yj1WCk3vocuV5G"
    "b9UMa8bDR75lcH3MSnPm+QpVI+LWiniqfBkXOzdDll4P+h+C5kmP56q6E9+1U8jnO+4TZI2A"
    "ftcR90d4WfuKvFQlYLnzqdO77lzwoOSwD54zcKQMP3k5Ax1kP4lcgJlZCYfKp8FHr+ETeVwv"
    "P+D2A5qDt15jc0qQSutafTajtAwiLyR8LpxmTRmn7jNi5QsTJcaoGhQKuOdo7kNk5qsn8NJ4"
    "XUNcZeqNw9y7tO9skjVbEsrimptMssyNS7s0Wo+JdWe1MgzWXsVJkbF6AU32GSollmuVMle3"
    "OkBjspbBuAsY1S+uJQKgFjNIgUEdYMHlHGERgPVkMMCAAw0dOAYbOUHickdQ+InInXTk19af"
    "wKO+xjPEvkhj9CIWC2qaO3d5zBZ4AcHUhA8iDIwN8aUICDvxI754b37AFzCh/cDjv3xKJnRO"
    "GODEZe/iIIR/PgEOEQ01Ey44a4FG5iLZOuC3J3jxYH5fDuMUMDB7zyUQAwuQKfAunMqLAZMZ"
    "UKRpvI770pEaSaVp/DlyvYxpvC63JtQoG8pO7kzwN3J+TUkVpBNkOzrF1jCsPTmlotElpGmS"
    "iipzQxza0bPl3BCesqCyJcFeVozOTFM2aaRvzcjlqUHqOmtIilRm4lhvHQnu8lINrE7Ze2Ww"
    "oSh9QRa5TBpRJZOBZ0xQicXgqZqzI00ssV8D+0VWZrdSwC8yz6BK1MugbhIna9EvA3tAKnGv"
    "gDu3HmauMAXbbEQj99d15XR5vkeeQ6md06noHErkzTuM3+mz8B2NbYgdqPkApHxQ6UYnZfxR"
    "ifZbPkQRpCCNjHbyijPpXanlQnGkdnbpXXmOXC/jXWl86ujx4Pbutg1ESMUE395xu+VIaQPL"
    "tbUZdFBwk3sQrDDBncvf7kbjG6U/bgOo/8m2fO7gmODudefzRYffLB9EFLTKjZ4dR2VLZ4J0"
    "JhwQ+l06E+6hyVceFU5plopSNMJTpHKgb2LtroUL/tDg794xjAmtdiuJ375x92ScnZ+XQJe1"
    "ykVX1KVSTZNsk1LhXhmjalDQvbToSYuetOjV2qKH7meEPCo8DrmVZcyL158U2vG8lioKm24/"
    "D4qI/uZ9i4dwPNNZUKJDvDbSkOGfBxU5UKIqEzG1TGXqiWHKVJnS8leTBeVIbUDS8vccuV7G"
    "8hdfsksH+8ZomqjSbd02F+6FFUCO0zQR5F3ozXFxouIaliCVi1hdFrEyW5fD9BkmN9pIJRmX"
    "ohVGRSVJ5UVS5YOivCVKQFV5YQuoGmey2n7GJK6p3hM9w8GQnxMsTtOI3WPfGcGOME1VsIVV"
    "HOetodJVen4+Kq+HCb4dDrrKaMQLmbSnIcfhpb0P/YHIUcUWTSIyVF11ete8YAoNsy75qZBt"
    "kwx5Nn+yhAQNWIz2PU8gpWhuZV3QlG9Jj5E0JjJ2m8lrvOm2hhCbpJVZt+qjeaelVs2EjAfZ"
    "ebcKQgdWqJp3XeT25ae4JbnihEqQyvlUt/mU8oAdxkfTQbahzVoZ3hm/5qTILwOjNlt1yMjw"
    "6QM6UZ6Q7RhZZ+Pyl/YYSSN0tn3EclhWFYT95g1E99XpaRk96vQ0X5HidYloDYIpygoqzb9s"
    "OUay0W3LdUO7ANxDXLe8/c3s+38Bnejq1w=="
)
