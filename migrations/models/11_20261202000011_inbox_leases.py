"""Inbox leases: webhook_event.claimed_by and lease_until, and an index for the claim.

Several worker processes share the inbox: a row is processed by the worker holding its
lease, and a dead worker's rows are claimable again once lease_until has passed. The
(status, lease_until) index serves "received rows whose lease is free".
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE = """
ALTER TABLE "webhook_event" ADD "claimed_by" VARCHAR(64);
ALTER TABLE "webhook_event" ADD "lease_until" TIMESTAMP;
CREATE INDEX IF NOT EXISTS "idx_webhook_eve_status_a464cc" ON "webhook_event" ("status", "lease_until");
"""

POSTGRES = """
ALTER TABLE "webhook_event" ADD COLUMN IF NOT EXISTS "claimed_by" VARCHAR(64);
ALTER TABLE "webhook_event" ADD COLUMN IF NOT EXISTS "lease_until" TIMESTAMPTZ;
CREATE INDEX IF NOT EXISTS "idx_webhook_eve_status_a464cc" ON "webhook_event" ("status", "lease_until");
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES if db.schema_generator.DIALECT == "postgres" else SQLITE


async def downgrade(db: BaseDBAsyncClient) -> str:
    return ""


MODELS_STATE = (
    "eJztXVtz2ziW/isovXS6xp11nDjpUe1MlSwzaXVsySXJSWaiKTZEQhbbFMAmQTuu2fz3BcCr"
    "eAspiRJF400CcEDyO7icGw7+21kRHZnOy55OLIr0MTFRpwv+28FwxX9kVZ+ADrSsqJIXUDgX"
    "hB3oNVTtoOXcoTbUKKtbQNNBrEhHjmYbFjUI5hQjjMAKrebI/skBzpJYgNOCBXGxDgwMLBNq"
    "CDwadAkwAcTWkQ3maGnwWgpeoJd3L8HCJisAGY294rWE/vySP1wnGnu6ge9qfM4MzzCHBdhI"
    "I1gzTAPyLwMmgg/I4aRB3ycAsr4ga7jgj9QJq8aEAgrvEW8HH+HTCXAxNUzWcoahvmKktosd"
    "8Mf/+H+Q84Q1/t7sE9iXabQ7tV30xwl4XBraktWvCH8qXSLv6/gTvT+PAhEXG3+5SKXkDrFi"
    "m+Hy9WtHNxyNfa9q6LwJp+M///Mf9od9PfqGHN6O/7Xu1YWBTH1tiHhkolylT5YoG2D6XjTk"
    "XJirGjHdFY4aW090SXDY2sCUl94hjGzIRg8ro+yzWBF2TdMfWsHw8T4hauK9YoxGRwvomnzE"
    "cWrvBaKyjqoOR1N1okxVtZMajQFFbOD4RYy5fCSzV3XE19/xV/jl7NWbd29+ff32za+siXjN"
    "sOTdd+/RETAeoYBnOO18F/WQQq+FwDgCVbMRR0KFNA3uJauhxgplI7xOmUBa90lfBj+SuAco"
    "FwEfFETIR1N7H9CzD9RH2HzyWV6A83RwrUymvesb/riV4/xlCvx6U4XXnInSp0Tpi7c/83LC"
    "Vi1vSQs7AZ8H098A/wv+PRoqAl7i0DtbPDFqN/13h78TdClRMXlUoR4bnUFpgBprGXF9fSau"
    "c/3CuMudVet0P55dx8Blb4L9/ezs9et3Z6ev3/56/ubdu/NfT8OZlq4qmnIXgw981q1xNpiG"
    "EQOCxa8S+jEiCX0l6PmesriPLYC8YA61+0fIRnOqhpyRvLbpqtXZKlkCMbwTcPLv5i8cSDeu"
    "blAFU/spU/aJaotFH95ORWHDH0k++fzI2KUTm/HX+DLP6r522JOI7Y/CeJ3ctuW23YxVpb3b"
    "dnzuld824lRy39h4y2Yw8vdMQd9fQjsXeJ8iATv7mGOEfQW/qSbCd3TJ/r59U4Dop964/1tv"
    "/OLtm8RkGfo1Z6JqHWAKbbYPVQE4otgfwJ3OXuB99fdXJfBlrXIBFnXrCOuIQsOTJtYh/n0y"
    "GuZI/BFJcq8wNAr+D5iGU9sa0vnfhYvFJAJz1zCpgZ2X/LH/rIsHBZBziNa2iQDpF9e9L0km"
    "9K9GF8n1n3dw0RxZ9ILQCWX8ypJEw7pCOXROqOqEzX5of5usoGkC3bU5PWukUacrbEbCRmZB"
    "jEywQo7DXvdElJvQoZ59zPlFW0IcawD4Hp82vdXziB9LyVL2lbJvM7bo9sq+rqVvyPV1Ssn1"
    "pnA9wCjGdv/tI67fo6cqAqHffDfS4GEX0ZqF7QdouqiKIBgSSDGwTWJg33UoWQmpJiUGhnWF"
    "YqAWb1WnLVJKWVLKkvutlLIk13ctZTXJHdyERXXPluU5NCHWMqSxIuxjRPsz6p+2CnfNtW2E"
    "tUoaRpxmj0bn28nlfuzOr0soGq9z9YzXKZs+odBUHQvhjA2laHgnCOUQ32yIezBSYllsa3at"
    "TXiwRiz5sBkf9JWjaiZxUNYOS4iJIM7ZYtcIE/DPGWVd+Icl+9WvL0ajqzWp6WKQAHd4e32h"
    "jF94ji/WyKAxzCto1RFzPAdABmN8uvcfx8iEOb5cX1ce8T5K8MKXZpoi1H4PxltQmiUeMkGT"
    "Eu1etRF7Z4duidTY623sdXaEikApzNiq6VpbIjUl1q3VVoAeoWkiqrIG2PECJbZE67PocBr1"
    "1ybk6jQBDnS0sgjlUu0YcX2uk2ELTDc6KTIKGlFz1Y7aS/PgvkaSNA9KQ9GJNA9Krksn7BY8"
    "rT8kz5ep1SV0llVATtLJCNMSTm82JSz2RCTC1twMeTP/6E2aciNTSMPUv91ICRkAz4mesWbk"
    "RxekCLeKMmgYys8onOB3Mu9kaA+8uFBf+NNvUO9ZpmjyYvSNMlmEMi2FhkebSGDDuWdU8kST"
    "VCgasn4cqWgpFYrnyPVSCgVfXzOFXQW7K8HvAcMi8G+vaxc+bZMF3s6lcjX4pIzV/uhSmXQB"
    "2+6MB2Szr2DtZvjDuDecquPRldIFdzbEVGQxmeGx8mn0UfErbPRA7pFfczOaTNX3inLZBZwV"
    "6gIhfYbZGwze/0vtXV4Phl2e4sNYPKkigccM395wRquT6WisvB+PhtMu8GYMk2CJjRY2wTTs"
    "4eL2X8o47GHuPiE7rBszZo/6H8Na3xnQ2UCgPysj0J/lC/RnKYHegk8mgRljKV/SjJHISNad"
    "iJ5xhuQpVuXmdq5yVWdohYWwziGsOMVvlOHlYPiBTUiPnk3f2+FQlNguxqLkki2fbPYTzKdw"
    "b/xRzF9o33vO3Mr2h7dlzA/JZT1mfXibnD6+AFxFEY6TtCYYYGf6b1KtqCjTZJC3ULA5XkEm"
    "Lb+aCDpIJY/YUxzLWu8SZButdg0zctRtu/MgQ98sg7Fvg7mVRb+DydUwLrRqbkEm6SLbJhlT"
    "a8pWyhw+r1G1IC9AEUuVL9NiES7k6NVo+CFonpTrkkkCdNdCakWnzzrVTha0trt+hLkxM+Y+"
    "V/qKk0j/Q07IXwLhNLzvmQJs3OGP6CmljjyL4D5WbMPH0LC9NqrYx7NPRl5MJXsBMLy9uup8"
    "P4w3wcM9w58QMiTfoxDyfrc+ha8dh7i2N1jYHoRsDM2sLKZxZ0MyhVr8xKTfSjobpLOhGYvG"
    "kZqdpbPhOXK9jLMBuzwXdxVZNqJoXQzT67My57vO8g94nSWl2Gg73MjiG1I3258zmPRH48su"
    "8E+8zvBkOh7cKF2RHd1CM6z0Pw9YPdIeDVZ7PbicjnvDSResDF2EuHPvzvtxrz/lnp0Fl0cY"
    "zfUFtwjzXPGMpncz6AJoGTP8QRkq40G/C8TXG1ozjMVxaafCZEqQtc/UVYtuiFbQMCvBHBC0"
    "D+Cz81J+w/MCx+F52nNoE93VqCr+V8A5SdcCA1MS7fNSaJ8XoH2eRPsvF2Jq0AyLUq4qEyfZ"
    "n6PpVaMVmpjnbkXcqkeqI5rWOO5kwoC2JQx4zgEEN72BCBDgEmTvc28wZdWqH30DH6FBWStV"
    "RN/MsB9hxOVHP7qIy5Dve4MrXrRgwgD/r3y5GYg2nt+LlfR7w75yJRppHEJTtGOy6e3wkhd6"
    "lwbxspveeDroXV3xEKCg1oI2NaBp8jCgoB2TjW9up4onHFsu3Sy4oZbYoBXCVF0hNhI2DjdL"
    "99JoReUzY5jCdAzvdG1aTclSTJQvU2U87F3xUeLJ6qxdb3jLS1YQu9BshgKiLZF2T1xaUQFJ"
    "kNUkH7fMNxUMezbNK0nH62QS63JHwLylVN1EqMsgltLdZtIdRkh3RPgVzr7poTBRSwa1zNby"
    "g2wtyVhEgRxbPKBT8aKNDFqpmJdRzOWNEA0LoN48wE2GtjXVJZX2RHIdbwMWx8gkf5vM31Al"
    "34DJSVrJ6SZzOojlqRbHl6CSoXxpedCC2j28y74kNRfXdSIJawasvv+qGqxrRBLWHwaexiP8"
    "tow9jV/CcFwYlw0/TSyGaxGo/PTpeNCfdrIG8Q7QvYl6aie461O3DLbeEroLbKOeWort2m5T"
    "OXI6wvxPMt8y+aWfYKUdOK8rxA8Ib5tyVoSLKw/oKG+7LYWSl6DXoGi1JVQT3tGA9dOi4VT7"
    "EQVvaOWdUwgH3g8OK6gobLjjIwvhWQgNuo5YkG20QDwsAaUOLsiDCPIgQiOm85GGpMuDCM+R"
    "62UOIixsssrNPFkuGiXRRYNjfWV4U83hTWycbTeW1jpodFCTHEr1DqVQKiwdUhUQNHnYbOhm"
    "ryPrcCBrV4B4jaiFMNcSScVUJpLtiSmMi49Rtci2ve8brkRYSBr5HwWSZMmxMo5k6ziSQyQX"
    "adyK067sIk2Dd+v0Iv3epN+7VA6VXSTwT2TY7WKui3yjXcxTsmuDXczBFZ6Dk4Y6aahr5Dpw"
    "pCYbaah7jlwvY6g7mtPKjV9P4yEbRtUbzkOSNgG6Z62M34T5kIV70VGWiGiPJ1gCYeFoD7Ac"
    "KrKuoQO9Lq3rELFfTYN4B8FfJXQveUH2oYJKgpGZpZlGg7ZAM401klfuHtPCdyJV0GekjEgV"
    "9DlyvYwKKq/crckZWzXf2/7zvO3PBXt6WsYFe3qa74LldUk3YPRmFWBOkLXu8P55KazPC7A+"
    "T2Pd+mv0+PV5XcBvzZth/1Y8cR0eL1d7w0v/qjze4G+8prPJLNh5niJp6pLJ+Zqxwu84Nx+f"
    "YpWja2JEMjHRZiPbZKJjeOlmSaV6jWZ/wJ/XC/zO3BEhPCo0ke1HYlYwkWfSy3xPVfI9Sc/E"
    "vqB2ENKzRnh+aF5EsVVoXjNtubXG4KU8F9K+vv3pVj/SakuEyp9Hb5pUVwok/2Ju1UbsnZ1t"
    "j0yPvd7GXmdtxewgx6aPBqk6XVyJ8ZXh6UqPwHyHV2Lsl3J8dYbiQnuwQuBxiTDw+0B6F0AQ"
    "5CQB/mEisCA2IBgBh5j6L8SlwPexgRe81GItLWjYP79MmiDqecoMz/AfmPdsCAP/H8BwgIOo"
    "9wwYPAUwNBgegC6RYYPL6y7/BXyQOAnlzR0LYXoCINYBnGE20tljgg4ur0WjFYB3bGSwdzOf"
    "gLHgRU8AOvd+8YvHpaEtAdsfoe0Ag3owZEa2xjPjBG7K9N15MQdm7CvlLXnS4diQNfNIXU/S"
    "4fgcuV7G4RhfZiuyPUEq81U2h83p2X24fJWNm8wtyazYRlwL4j8Pk1qxaSCXjQAtyq0YhoAe"
    "OrXisYK7XXhtndp1ZI7IUKzXbBX5OnVkGymlTleKI/26Ps7wHbItmwNdqApG6Ur4hev8JvXw"
    "CG5wjTofyusYoW8W2z4d9pKiqDOLsW0moj9mHf7rb6ecOqZQflMjBFT4AA1vuHKI/IHeEd0z"
    "WPgf8Pk3ZawA70XAP8BPIclP3iiQeqvUWw++tB2pBiP11ufI9TJ6q2ZYS+6A/5bB9SkrzZnn"
    "a1StiPwp4qnyZVrs3AxZejUafgiaJz2e6+pOfNdOIZ8fcZUgawX0dccsH+GdqGvyUpWQz96n"
    "3uCqd8HDOsM+eNa1iTL+5GVdc5D9ILKpZeZ1GyufRh+9hg/kfrMMa7sPCQ3eeoPNKUEqrWvN"
    "2YzSMoi89+e5cJo1ZZyaZ0QbF6aai1HJVHObxsMeIrdZM4GXxusG4iqTFxzm5pp95+Nr2JJQ"
    "FtfcdHxl7qyp02g9Jdat1ckwWHsVJ0XGau++e5USy7VKmas7PaAxWctg3AWM6hfXEgFQj0tI"
    "gUEd4N9kzgOwHgwGGHCgoQPHYCMnSP3sCAo/lbOTjvza+RN41Nd0idgXaYxexGJBTXNXLo/Z"
    "Ai8gWJjwToSBsSH+JALCTvyIL96bH/AFTGjf8fgvn5IJnTPs3R7OKBD++QQ4RDTUTPjIWQs0"
    "shLpqgHPP+/Fg/l9OYxTwMDsPZ+AGFiALIB3ZU9eDJjMISFN403cl47USCpN48+R62VM403J"
    "O9+gfBK1ZJ33N3J+0UMVpBNkNd3l0jKsPTmlotElpGmTiipP1x/a0bPj0/WesqCyJcF+qhid"
    "maZs00jfmZHLU4PUTdaQFKnMZbDZOhLchqQaWF2w98pgQ9EB8Cxyeey+wllw35igEovBUzXr"
    "QZpYYr8B9o9ZubFKAf+YeQZVol4GdZM4WYt+GdgDUol7Bdy59TBzhSnYZiMaub9uKqfL8z3y"
    "HErjnE5F51Aib95h/E6fhe9oakPsQM0HIOWDSjc6KeOPSrTf8SGKIImjvM1delcavlAcqZ1d"
    "eleeI9fLeFdan3x3Orq5vekCEVIxwze33G45UbrAcm1tCR0U3IUdBCvMcO/y99vJ9FoZTrsA"
    "6n+yLZ87OGa4f9X7fNHjd3MHEQWdcqOn5qhs6UyQzoQDQl+nM2EOTb7yqHBBs1SUohGeIpUD"
    "fRtrdyNc8IcGv37HMCa02r0OfvvW3TRwdn5eAl3WKhddUZdK1kuyTUqFe2WMqkVB99KiJy16"
    "0qLXaIsemi8JuVd4HHIny5gXrz8ptON5LVUUNt19HhQR/c37Fg/heKazoESHeG2kIcM/Dypy"
    "oERVJmJqmcrUE8OUqTKl5a8hC8qR2oCk5e85cr2M5S++ZJcO9o3RtFGl27ltLtwLK4Acp2kj"
    "yHXozXFxouIaliCVi1hTFrEyW5fD9BkmN9pIJRnXShVGRSVJ5VU85YOivCVKQFV5YQuoWmey"
    "2n3GJK6pzome4WDIzwkWp2nF7rHvjGBHmKYq2MIqjvPOWOkrAz8fldfDDN+MR31lMuGFTNrT"
    "kOPw0sGH4UjkqGKLJhEZqt73Ble8YAENsyn5qZBtkwx5Nn+yhAQtWIz2PU8gpWhlZV3QlG9J"
    "j5G0JjJ2l8lrvOm2gRCbpJVZt5qjeaelVs2EjAfZebcKQgfWqGo6aHtAxXD38lPcklxxQiVI"
    "5Xxq2nxKecAO46PpIdvQlp0M74xfc1Lkl4FRm506ZGT49AGdKA/Idoyss3H5S3uMpBU62z5i"
    "OSyrCsJ+8xai++r0tIwedXqar0jxukS0BsEUZQWV5l+2HCPZ6rblpqFdAO4hrlve/Wb2/f8B"
    "yz8e3Q=="
)
