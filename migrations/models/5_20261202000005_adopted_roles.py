"""Adopted shop roles: table adopted_role (member, role) kept in place until a strict resync."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE = """
CREATE TABLE "adopted_role" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "discord_id" BIGINT NOT NULL,
    "role_id" BIGINT NOT NULL,
    CONSTRAINT "uid_adopted_rol_discord_be2c01" UNIQUE ("discord_id", "role_id")
) /* One member's shop role found in place with no order behind it (e.g. from a former bot). */;
"""

POSTGRES = """
CREATE TABLE "adopted_role" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "discord_id" BIGINT NOT NULL,
    "role_id" BIGINT NOT NULL,
    CONSTRAINT "uid_adopted_rol_discord_be2c01" UNIQUE ("discord_id", "role_id")
);
COMMENT ON TABLE "adopted_role" IS 'One member''s shop role found in place with no order behind it (e.g. from a former bot).';
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES if db.schema_generator.DIALECT == "postgres" else SQLITE


async def downgrade(db: BaseDBAsyncClient) -> str:
    return 'DROP TABLE IF EXISTS "adopted_role";'


MODELS_STATE = (
    "eJztXVtz2zYW/isYvWw662ZTOU5Szc7O0DKdKrEljyQnaaMOC5GQxZoEWBK042nz3xfgRa"
    "R4MymJMkXjzQbOocjv4HJuOPi7YxINGc5LSSMWRdqYGKjTA393MDT5H1ndR6ADLSvq5A0U"
    "zj3GDvQJFTuknDvUhiplfQtoOIg1achRbd2iOsGcY4QRMJE5R/a/HOAsiQU4L1gQF2tAx8"
    "AyoIrAvU6XABNAbA3ZYI6WOu+l4AV6efMSLGxiAsh4bJP3EvrDS/7jGlHZr+v4psbfmeEZ"
    "5rAAG6kEq7qhQ/5lwEDwDjmcNXz2EYDsWZARLvhPaoR1Y0IBhbeI08F7+HAEXEx1g1HOMN"
    "RMxmq72AF//Cf4BzkPWOXvzT6BfZlKe1PbRX8cgfulri5Zv0n4r9Il8r+O/6L/z72HiIv1"
    "v1ykUHKDWLPNcPn6taPpjsq+V9E1TsL5+J+//87+YV+PviGH0/F/rVtloSNDWxsiPpvXrt"
    "AHy2sbYHruEXIpzBWVGK6JI2LrgS4JXlHrmPLWG4SRDdnoYW2UfRZrwq5hBEMrHD7+J0Qk"
    "/ivGeDS0gK7BRxzn9l8gausoynA0VSbyVFE6qdEYcsQGTtDEhMtHMntVx/v6G/4KP3Z/ev"
    "329bvjN6/fMRLvNVctb7/7Px0B4zN68Aynne9eP6TQp/AwjkBVbcSRUCBNg3vGeqhuomyE"
    "1zkTSGsB68vwjyTuIcpFwIcNEfLR1N4H9OwDtRE2HgKRF+A8HVzKk6l0ecV/znScvwwPP2"
    "kq856u1/qQaH3x5gfeTtiq5S9pq4eAz4PpL4D/C34bDWUPXuLQG9v7xYhu+luHvxN0KVEw"
    "uVegFhudYWuIGqOMpL4+E9elfqrf5M6qdb7HZ9chSNmfYD93u8fHb7uvjt+8O3n99u3Ju1"
    "ermZbuKppyp4P3fNatSTachpEAwsWvEvoxJgF9Jej5nrK4jS2AvGEO1dt7yEZzqod0SR5t"
    "usvsmskWiOGNByf/bv7CoXbjajqVMbUfMnWfqLdY9eF0CloRPqb55MsjY5dObMZf48s86/"
    "vaYb9E7GAUxvvEti227WasKu3dtuNzr/y2EecS+8bGWzaDkb9nCvr+Etq5wAccCdjZxxwi"
    "7Cb8phgI39Al+/fN6wJEP0nj/i/S+MWb14nJMgx6ul7XOsAU2mwfqgJwxLE/gDudvcD708"
    "8/lcCXUeUC7PWtI6whCnVfm1iH+MNkNMzR+COW5F6hqxT8AwzdqW0N6fx34WJvEoG5qxtU"
    "x85L/rP/q0sGBZBziNa2iRDpF5fSl6QQ+hej0+T6zx9w2hxd9JTQCWXyytJEV32FeuicUM"
    "VZkT3qf5uY0DCA5tqcnxGp1Ol5PiPPR2ZBjAxgIsdhr3vktRvQob5/zPlRXUIcIwB8j0+7"
    "3ur5ice1ZKH7Ct23GVt0e3Vf19I2lPo6p5B6U6QeYhQTe/D2kdRv0UMVhTAg3402+LSLaM"
    "3K9h00XFRFEVwxCDWwTWpg33UoMT2tJqUGrvoK1UA1TlWnL1JoWULLEvut0LKE1HetZTUp"
    "HNyERXXPnuU5NCBWM7SxIuxjTPtz6r9qFe6qa9sIq5UsjDjPHp3O15Oz/fidj0sYGse5ds"
    "ZxyqdPKDQUx0I4Y0MpGt4JRjHENxviPoyUWBbbml1rExmsMQs5bCYHzXQU1SAOytphCTEQ"
    "xDlb7BpjAv4546wL/1XLfu3r09HoYk1rOh0kwB1eX57K4xd+4IsR6TSGeQWrOhKOHwDIEE"
    "zAd/5xjAyYE8sNbOURf0YJWQTaTFOU2u/heAtbs9RDtgK41pb4TIl1bR2g1l8KoHtoGIgq"
    "jAA7ftB/S7Q+ew+cRs9rE3J1urMGGjItQrmGNkbcNulk+LXSREdFDi49IlfsiF64uvY1ko"
    "SrSzg9joSrS0hdBBS3kGn96WU2Yt/pUGUJnWUVkJN8IluyRACXTQmL/SLyUrDcDH0z/xhJ"
    "mnMjs75hpsxutIQMgOdEy1gz8iPlKcatIuYNQ/kZhcY/kHknw3rgzYX2wp8BQb3ncqLJi9"
    "E3ynQRyqwUujqmQ0J/xC3jEqdzhEHRkPXjQFVLYVA8R6mXMij4+pqp7MrYNT15DxgWYax2"
    "3boIeJus8HbO5IvBJ3ms9Edn8qQH2Han3yGbfQWjm+H3Y2k4VcajC7kHbmyIqVeRY4bH8q"
    "fRRznosNEduUVBz9VoMlXOZfmsB7golAVC2gyzNxic/6pIZ5eDYY+Xq9AXD4pXjGKGr6+4"
    "oJXJdDSWz8ej4bQH/BnDNFhio4VN/C2oqlLeLaOUd/OV8m5KKbfgg0FgxnjI1xZjLCKzci"
    "fqY1wgecZRufmZayDVGeq3ENY4hBWn6ZU8PBsM37NJ5fOzKXg9HHottoux13LGlkA2gwnm"
    "01Aaf/TmILRv/eBiZR/CmzIuhOTSHPMgvElOn0CJrWLMxllaE5zemQ2bNA0q6iUZ7C1UTg"
    "5XGUnroAaCDlLIPfaNv7IeuATbRqtdwxwVdfvffMjQN0tn4ttgbmXx72ByNUwKrZpbkGmr"
    "yLZJxtSaspUyR85rXC04p14kUvnLtFiFW0n0YjR8H5In9brkoXXNtZBSMXCzzrWTBa3t4R"
    "vPZZiZA56rfcVZRAwhJwUtgXAa3nNmxOo3+CN6SJkjzyLZjDXb8H7lnF4bVezj2ScjP8eP"
    "vQAYXl9cdL4/TUTAxz0jJrASSH5UYCX73cYFvnYc4tr+YGF7ELIxNLKqasYDBsmSXvETfA"
    "GVCBiIgEEzFo0DdR2LgMFzlHqZgAF2eW3oKrpsxNG6PKTjbpnzRt38A0fdpBYbbYcbeXxX"
    "3M2OyQwm/dH4rAeCE5gzPJmOB1dyz6vWbaEZlvufB6wfqfc6670cnE3H0nDSA6aueWnqPE"
    "JzPpb6Ux6dWXB9hPFcnnKPMK9dznikq0EPQEuf4ffyUB4P+j3gfb2uNsNZHNd2KkymBFv7"
    "XF212IbIhLpRCeaQoX0Ad09KxQ1PCgKHJ+nIoU00V6WK938FnJN8LXAwJdE+KYX2SQHaJ0"
    "m0/3IhpjrN8CjlmjJxlv0Fmn5qtEETi9yZxK16xDfiaU3gThxgb9sB9uecQHAlDbwEAa5B"
    "Sp+lwZR18yyc/scev0RGp4yKp+CotzMcZAlx/THIEOI65Lk0uOBNC6YM8P/lL1cDj8aPe7"
    "GWvjTsyxcekcohNDw6ppteD894o3+JDW+7ksbTgXRx8asS9VrQpjo0DH4wL6RjuvHV9VT2"
    "lWPLpZslN9SSG2QiTBUTsZGwccpY+imNNlQ+M4HJzMbwT8imzZQsw0T+MpXHQ+mCjxJfV2"
    "d00vCat5gQu9BohgGiLpF6S1xa0QBJsNWkH7csNhUOezbNK2nH62wC63LHuPylVNlEqctg"
    "FtrdZtodRkhzvPQrnH3zQGHhkAxuUT3kkeohyVxEDzm2eECn4sUPGbzCMC9jmIsbChqWQL"
    "15gptIbWtqSCodieQ23gYijrEJ+TZZviuTfAMhJ3mFpJss6TCXp1oeX4JLpPKl9UELqrfw"
    "JvvSzlxc15kErBmwBvGrarCuMQlYH008jWf4bZl7Gr8U4LAwLpt+mlgM1zJQxzL3YPanna"
    "xBvAN0r6IntRPc9albBlt/Cd0FttGTWort2m5TOXM6wvxPMt+ygGVQJKUdOK8bxHcIZ51Q"
    "rVwsVr5DB3n7aimUvKigolNkbgnVhD9owJ7TouFU+xEFf2jlnVNYDbxHDisoaEW44yMLq7"
    "MQKnQdb0G20QLxtASUOrggDiKIgwiNmM4HmpIuDiI8R6mXOYiwsImZWz2yXDZK4hENzvUV"
    "6U01pzexcbbdWFp7QKOTmsRQqncorbTC0ilVIUOTh82GYfY6KgeHunYFiNeYWghzLZlUzG"
    "Qi2ZGYwrz4GFeLfNv7vnHJSwtJI/9YIkmWHivySLbOI3mK4iKNW3HaVV2kafBuXV6kL036"
    "0pn8VNVFwvhEht8uFrrId9rFIiW7dtjFAlyrc3DCUSccdY1cBw7UZSMcdc9R6mUcdQdzWr"
    "nx62k8ZUOveuP2iqVNgO7ZKuO3Wd5l4V50lCVi2uMJllBZONgDLE+VWdfQgV6X1fUUuV9N"
    "g3gHyV8lbC9xYfNTJZWEIzPLMo0GbYFlGiMS1+Ye0sJ3JEzQZ2SMCBP0OUq9jAkqrs2tKR"
    "hbtd7b/uu87S8E++pVmRDsq1f5IVjelwwDRm9WAeYEW+sO75+UwvqkAOuTNNatvwqPX4HX"
    "A/zmuxkObrbzrrTj7Yo0PAuuu+ME/+Y9nU1mwc7rFAlXlyjO14wVfse1+fgUq5xdE2MShY"
    "k2G9kGUx29ZMYKRvUaz/6AP6kX+J2FI1bwKNBAdpCJWcFFnskv6j1VqfckIhN1Qp3yoAs/"
    "7/anLIOMny0RKn8uumnaRXOPoh4MUnWGDSLAMgIHa2jmhw4i6e0+evB1PXiHb5DNDB+GTf"
    "ryrBhhdEiFX7PF789aJV6Ky7NEHKJR0/5APdIiDvEcpV4mDqHq1pLbN98ypJ5/B+86Vysc"
    "K0UyreMW3vj2mEI+36GVYGsF9HWHhA7wygl4B3X/CdUw70ifpMGFdMq95qtn8EOtE3n8yT"
    "/U6iD7zjusmnlsdix/Gn30Ce/I7WYHWHfvcQ/feoPNKcEqim02ZzNK6yCirOpzkTQjZZKa"
    "ZwRzCk/yxrjESd5Nww3iXvrWVF1tnConcsMPIDc8uzDovo87N2xJ2Pq0c5mSoHV6h6fEur"
    "Y6GZ5hv+OoyCvsXyemUGK5Vim/cEcCKtO1dCZdwLh+dC0AsQbul5ACnToguCgKsFF4pzPA"
    "gAN1DTg6GzlhZR3H4wgq5Tgvk5bG7n9hhmd4ukTsi1TGT7DxAKCquqZrsEEKXkCwMOANcB"
    "AFbIg/OPyvI0AZg/80oDvefwa0b5BDQcDJlM4Z9i9nYhwI/3AEHOIRqga856IFKjG9akCA"
    "l/fiXWb4LIdJCuiYvecD8AYWIAvgV0T1ABEp+sI1fiD70oE6SYVr/DlKvYxrvCllvRqUri"
    "+uojxwrA/lWvHW+VxE8nLdycu+saCwJcF+qHhZU5qzTSN9Z04u3wza4hZbcYft1uvI6jpg"
    "HSsL9l4ZYijKr81iF1nNFbKaA2eCQiwGT9Wk8jSzwH4D7O8r392c4BSob4C6QZysRb8M7C"
    "GrwL0C7tx7mLnCFGyzEY/YXzfV05/qus82ao8FobynuUGxaSCXDTqVu0LxaeJOn73Y0dSG"
    "2IFqAEAqBpUmOioTj0rQ7/i0QnhGXlyWJaIrDV8oDtTPLqIrz1HqZaIrra9tMh1dXV/1gJ"
    "dSMcNX19xvOZF7wHJtdQkdFF41FCYrzLB09uF6Mr2Uh9MegNqfbMvnAY4Z7l9In08lfvVR"
    "mFHQKTd6as7KFsEEEUx4QujrDCbMocFXHgUuaJaJUjTCU6xioG/j7W5ECP6pwa8/MIwJrV"
    "Y2L6BvXSG37slJCXQZVf79e7xP3FvWlDVEePSER0949Kp59NB8Scht7q33a/1HhX48n7K+"
    "m+/D7G/+bO9HOJ7pciPRIV4bqUgPzoOKuiLCvdeMVeNAHT3CvfccpV7GvRdfl0tn9MZ42m"
    "i37dwBt9rwKoAc52kjyHUYx3GdoeIalmAVi1hTFrEyW5fDjBamN9pIIRmleQtTn5Ksopxp"
    "+cwnf4nyoKq8sIVcrfNL7b4sEjdH50TLiCLkF/6K87Ri99h32a8DrEUVbmEVx3lnLPflQV"
    "B0yn/CDF+NR315MuGNTNtTkePw1sH74cgrRMUWTeKVoTqXBhe8YQF1oylFqJBtkwx9Nn+y"
    "rBhasBjte55ASpFp0YyZku8uj7G0Jv11lxVq/Om2gRKb5BWltZpjeftaa8ot/zSOYwnZur"
    "rsZLiMg56jImcxjGjEpZb7Gvl1O33vkO1UvCssxtIKHXMfAWbLqoJwQN5CdGu58479IkVZ"
    "mW4fJqNhTsQiYknulrpKwT/A0J1DjCEXgMvBKNYDkypfYvPjDzitdrXJ7jez7/8H4HJ7ow"
    "=="
)
