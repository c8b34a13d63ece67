"""Initial schema: every table of SPEC section 4, for SQLite and PostgreSQL."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE = """
CREATE TABLE "bot_state" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "key" VARCHAR(64) NOT NULL UNIQUE,
    "value" JSON NOT NULL
) /* Small durable facts: the shop panel message, the last orders-channel message read. */;
CREATE TABLE "customer" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "discord_id" BIGINT NOT NULL UNIQUE,
    "balance" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "total_spent" BIGINT NOT NULL,
    "total_topped_up" BIGINT NOT NULL,
    "dms_closed" INT NOT NULL
);
CREATE TABLE "idempotency_record" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "key" VARCHAR(191) NOT NULL UNIQUE,
    "request_hash" VARCHAR(64) NOT NULL,
    "response_status" INT,
    "response_body" JSON
);
CREATE TABLE "product" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "key" VARCHAR(64) NOT NULL UNIQUE,
    "name" VARCHAR(100) NOT NULL,
    "description" VARCHAR(500) NOT NULL,
    "kind" VARCHAR(16) NOT NULL /* CODE: code\nROLE: role\nCODE_AND_ROLE: code+role */,
    "price" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "role_id" BIGINT NOT NULL,
    "low_stock" INT NOT NULL,
    "low_stock_alerted" INT NOT NULL,
    "active" INT NOT NULL
);
CREATE TABLE "package" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "quantity" INT NOT NULL,
    "price" BIGINT NOT NULL,
    "active" INT NOT NULL,
    "product_id" INT NOT NULL REFERENCES "product" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_package_product_fd177c" UNIQUE ("product_id", "quantity")
);
CREATE TABLE "order" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "number" VARCHAR(32) NOT NULL UNIQUE,
    "source" VARCHAR(16) NOT NULL /* DISCORD: discord\nSTRIPE: stripe\nECWID: ecwid\nMIDTRANS: midtrans\nREFRACT: refract\nEMBED: embed\nAPI: api\nGENERIC: generic */,
    "external_id" VARCHAR(191),
    "email" VARCHAR(254),
    "product_name" VARCHAR(255) NOT NULL,
    "quantity" INT NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "status" VARCHAR(24) NOT NULL /* PENDING: pending\nPAID: paid\nAWAITING_STOCK: awaiting_stock\nDELIVERED: delivered\nFAILED: failed\nEXPIRED: expired\nCANCELLED: cancelled\nREFUNDED: refunded\nPARTIALLY_REFUNDED: partially_refunded\nDISPUTED: disputed */,
    "payment_method" VARCHAR(16) NOT NULL /* WALLET: wallet\nSTRIPE: stripe\nMIDTRANS: midtrans\nEXTERNAL: external\nMANUAL: manual */,
    "checkout_id" VARCHAR(191),
    "payment_ref" VARCHAR(191),
    "refunded_amount" BIGINT NOT NULL,
    "needs_attention" INT NOT NULL,
    "attention_reason" VARCHAR(255) NOT NULL,
    "details" JSON NOT NULL,
    "expires_at" TIMESTAMP,
    "paid_at" TIMESTAMP,
    "delivered_at" TIMESTAMP,
    "customer_id" INT REFERENCES "customer" ("id") ON DELETE RESTRICT,
    "package_id" INT REFERENCES "package" ("id") ON DELETE SET NULL,
    "product_id" INT REFERENCES "product" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_order_source_42d0ba" UNIQUE ("source", "external_id")
);
CREATE INDEX "idx_order_checkou_46e99b" ON "order" ("checkout_id");
CREATE INDEX "idx_order_payment_f453cc" ON "order" ("payment_ref");
CREATE INDEX "idx_order_status_4d7d61" ON "order" ("status", "created_at");
CREATE TABLE "job" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(24) NOT NULL /* DELIVER_CODES: deliver_codes\nGRANT_ROLE: grant_role\nREVOKE_ROLE: revoke_role\nPOST_FEED: post_feed\nNOTIFY_ADMIN: notify_admin\nUPDATE_STOREFRONT: update_storefront */,
    "payload" JSON NOT NULL,
    "status" VARCHAR(16) NOT NULL /* PENDING: pending\nRUNNING: running\nDONE: done\nPARKED: parked */,
    "attempts" INT NOT NULL,
    "next_attempt_at" TIMESTAMP NOT NULL,
    "lease_owner" VARCHAR(64),
    "lease_expires_at" TIMESTAMP,
    "last_error" TEXT NOT NULL,
    "dedupe_key" VARCHAR(191) UNIQUE,
    "order_id" INT REFERENCES "order" ("id") ON DELETE SET NULL
);
CREATE INDEX "idx_job_status_dab176" ON "job" ("status", "next_attempt_at");
CREATE TABLE "order_event" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "from_status" VARCHAR(24) /* PENDING: pending\nPAID: paid\nAWAITING_STOCK: awaiting_stock\nDELIVERED: delivered\nFAILED: failed\nEXPIRED: expired\nCANCELLED: cancelled\nREFUNDED: refunded\nPARTIALLY_REFUNDED: partially_refunded\nDISPUTED: disputed */,
    "to_status" VARCHAR(24) NOT NULL /* PENDING: pending\nPAID: paid\nAWAITING_STOCK: awaiting_stock\nDELIVERED: delivered\nFAILED: failed\nEXPIRED: expired\nCANCELLED: cancelled\nREFUNDED: refunded\nPARTIALLY_REFUNDED: partially_refunded\nDISPUTED: disputed */,
    "cause" VARCHAR(64) NOT NULL,
    "reference" VARCHAR(191) NOT NULL,
    "actor_id" BIGINT,
    "detail" JSON NOT NULL,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_order_event_order_i_061031" UNIQUE ("order_id", "cause", "reference")
);
CREATE TABLE "stock_item" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "fingerprint" VARCHAR(64) NOT NULL,
    "status" VARCHAR(16) NOT NULL /* AVAILABLE: available\nRESERVED: reserved\nDELIVERED: delivered\nREVOKED: revoked */,
    "reserved_at" TIMESTAMP,
    "delivered_at" TIMESTAMP,
    "added_by" BIGINT,
    "order_id" INT REFERENCES "order" ("id") ON DELETE SET NULL,
    "product_id" INT NOT NULL REFERENCES "product" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_stock_item_product_bd782f" UNIQUE ("product_id", "fingerprint")
);
CREATE INDEX "idx_stock_item_product_4147d4" ON "stock_item" ("product_id", "status");
CREATE TABLE "wallet_transaction" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(16) NOT NULL /* TOPUP: topup\nPURCHASE: purchase\nREFUND: refund\nADJUSTMENT: adjustment */,
    "amount" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "balance_after" BIGINT NOT NULL,
    "reference" VARCHAR(191) NOT NULL,
    "note" VARCHAR(255) NOT NULL,
    "actor_id" BIGINT,
    "customer_id" INT NOT NULL REFERENCES "customer" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_wallet_tran_kind_6e274b" UNIQUE ("kind", "reference")
);
CREATE TABLE "webhook_event" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "provider" VARCHAR(16) NOT NULL,
    "event_id" VARCHAR(191) NOT NULL,
    "received_at" TIMESTAMP NOT NULL,
    "signature_ok" INT NOT NULL,
    "event_type" VARCHAR(64) NOT NULL,
    "raw_body" TEXT NOT NULL,
    "status" VARCHAR(16) NOT NULL /* RECEIVED: received\nPROCESSED: processed\nIGNORED: ignored\nFAILED: failed */,
    "error" TEXT NOT NULL,
    "attempts" INT NOT NULL,
    "processed_at" TIMESTAMP,
    CONSTRAINT "uid_webhook_eve_provide_6d79d1" UNIQUE ("provider", "event_id")
);
CREATE INDEX "idx_webhook_eve_status_930ac2" ON "webhook_event" ("status", "received_at");
CREATE TABLE "aerich" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSON NOT NULL
);
"""

POSTGRES = """
CREATE TABLE "bot_state" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" SERIAL NOT NULL PRIMARY KEY,
    "key" VARCHAR(64) NOT NULL UNIQUE,
    "value" JSONB NOT NULL
);
COMMENT ON TABLE "bot_state" IS 'Small durable facts: the shop panel message, the last orders-channel message read.';
CREATE TABLE "customer" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" SERIAL NOT NULL PRIMARY KEY,
    "discord_id" BIGINT NOT NULL UNIQUE,
    "balance" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "total_spent" BIGINT NOT NULL,
    "total_topped_up" BIGINT NOT NULL,
    "dms_closed" BOOL NOT NULL
);
CREATE TABLE "idempotency_record" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" SERIAL NOT NULL PRIMARY KEY,
    "key" VARCHAR(191) NOT NULL UNIQUE,
    "request_hash" VARCHAR(64) NOT NULL,
    "response_status" INT,
    "response_body" JSONB
);
CREATE TABLE "product" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" SERIAL NOT NULL PRIMARY KEY,
    "key" VARCHAR(64) NOT NULL UNIQUE,
    "name" VARCHAR(100) NOT NULL,
    "description" VARCHAR(500) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "price" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "role_id" BIGINT NOT NULL,
    "low_stock" INT NOT NULL,
    "low_stock_alerted" BOOL NOT NULL,
    "active" BOOL NOT NULL
);
COMMENT ON COLUMN "product"."kind" IS 'CODE: code\nROLE: role\nCODE_AND_ROLE: code+role';
CREATE TABLE "package" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" SERIAL NOT NULL PRIMARY KEY,
    "quantity" INT NOT NULL,
    "price" BIGINT NOT NULL,
    "active" BOOL NOT NULL,
    "product_id" INT NOT NULL REFERENCES "product" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_package_product_fd177c" UNIQUE ("product_id", "quantity")
);
CREATE TABLE "order" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" SERIAL NOT NULL PRIMARY KEY,
    "number" VARCHAR(32) NOT NULL UNIQUE,
    "source" VARCHAR(16) NOT NULL,
    "external_id" VARCHAR(191),
    "email" VARCHAR(254),
    "product_name" VARCHAR(255) NOT NULL,
    "quantity" INT NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "status" VARCHAR(24) NOT NULL,
    "payment_method" VARCHAR(16) NOT NULL,
    "checkout_id" VARCHAR(191),
    "payment_ref" VARCHAR(191),
    "refunded_amount" BIGINT NOT NULL,
    "needs_attention" BOOL NOT NULL,
    "attention_reason" VARCHAR(255) NOT NULL,
    "details" JSONB NOT NULL,
    "expires_at" TIMESTAMPTZ,
    "paid_at" TIMESTAMPTZ,
    "delivered_at" TIMESTAMPTZ,
    "customer_id" INT REFERENCES "customer" ("id") ON DELETE RESTRICT,
    "package_id" INT REFERENCES "package" ("id") ON DELETE SET NULL,
    "product_id" INT REFERENCES "product" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_order_source_42d0ba" UNIQUE ("source", "external_id")
);
CREATE INDEX "idx_order_checkou_46e99b" ON "order" ("checkout_id");
CREATE INDEX "idx_order_payment_f453cc" ON "order" ("payment_ref");
CREATE INDEX "idx_order_status_4d7d61" ON "order" ("status", "created_at");
COMMENT ON COLUMN "order"."source" IS 'DISCORD: discord\nSTRIPE: stripe\nECWID: ecwid\nMIDTRANS: midtrans\nREFRACT: refract\nEMBED: embed\nAPI: api\nGENERIC: generic';
COMMENT ON COLUMN "order"."status" IS 'PENDING: pending\nPAID: paid\nAWAITING_STOCK: awaiting_stock\nDELIVERED: delivered\nFAILED: failed\nEXPIRED: expired\nCANCELLED: cancelled\nREFUNDED: refunded\nPARTIALLY_REFUNDED: partially_refunded\nDISPUTED: disputed';
COMMENT ON COLUMN "order"."payment_method" IS 'WALLET: wallet\nSTRIPE: stripe\nMIDTRANS: midtrans\nEXTERNAL: external\nMANUAL: manual';
CREATE TABLE "job" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" SERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(24) NOT NULL,
    "payload" JSONB NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "attempts" INT NOT NULL,
    "next_attempt_at" TIMESTAMPTZ NOT NULL,
    "lease_owner" VARCHAR(64),
    "lease_expires_at" TIMESTAMPTZ,
    "last_error" TEXT NOT NULL,
    "dedupe_key" VARCHAR(191) UNIQUE,
    "order_id" INT REFERENCES "order" ("id") ON DELETE SET NULL
);
CREATE INDEX "idx_job_status_dab176" ON "job" ("status", "next_attempt_at");
COMMENT ON COLUMN "job"."kind" IS 'DELIVER_CODES: deliver_codes\nGRANT_ROLE: grant_role\nREVOKE_ROLE: revoke_role\nPOST_FEED: post_feed\nNOTIFY_ADMIN: notify_admin\nUPDATE_STOREFRONT: update_storefront';
COMMENT ON COLUMN "job"."status" IS 'PENDING: pending\nRUNNING: running\nDONE: done\nPARKED: parked';
CREATE TABLE "order_event" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" SERIAL NOT NULL PRIMARY KEY,
    "from_status" VARCHAR(24),
    "to_status" VARCHAR(24) NOT NULL,
    "cause" VARCHAR(64) NOT NULL,
    "reference" VARCHAR(191) NOT NULL,
    "actor_id" BIGINT,
    "detail" JSONB NOT NULL,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_order_event_order_i_061031" UNIQUE ("order_id", "cause", "reference")
);
COMMENT ON COLUMN "order_event"."from_status" IS 'PENDING: pending\nPAID: paid\nAWAITING_STOCK: awaiting_stock\nDELIVERED: delivered\nFAILED: failed\nEXPIRED: expired\nCANCELLED: cancelled\nREFUNDED: refunded\nPARTIALLY_REFUNDED: partially_refunded\nDISPUTED: disputed';
COMMENT ON COLUMN "order_event"."to_status" IS 'PENDING: pending\nPAID: paid\nAWAITING_STOCK: awaiting_stock\nDELIVERED: delivered\nFAILED: failed\nEXPIRED: expired\nCANCELLED: cancelled\nREFUNDED: refunded\nPARTIALLY_REFUNDED: partially_refunded\nDISPUTED: disputed';
CREATE TABLE "stock_item" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" SERIAL NOT NULL PRIMARY KEY,
    "ciphertext" TEXT NOT NULL,
    "fingerprint" VARCHAR(64) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "reserved_at" TIMESTAMPTZ,
    "delivered_at" TIMESTAMPTZ,
    "added_by" BIGINT,
    "order_id" INT REFERENCES "order" ("id") ON DELETE SET NULL,
    "product_id" INT NOT NULL REFERENCES "product" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_stock_item_product_bd782f" UNIQUE ("product_id", "fingerprint")
);
CREATE INDEX "idx_stock_item_product_4147d4" ON "stock_item" ("product_id", "status");
COMMENT ON COLUMN "stock_item"."status" IS 'AVAILABLE: available\nRESERVED: reserved\nDELIVERED: delivered\nREVOKED: revoked';
CREATE TABLE "wallet_transaction" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" SERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(16) NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "balance_after" BIGINT NOT NULL,
    "reference" VARCHAR(191) NOT NULL,
    "note" VARCHAR(255) NOT NULL,
    "actor_id" BIGINT,
    "customer_id" INT NOT NULL REFERENCES "customer" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_wallet_tran_kind_6e274b" UNIQUE ("kind", "reference")
);
COMMENT ON COLUMN "wallet_transaction"."kind" IS 'TOPUP: topup\nPURCHASE: purchase\nREFUND: refund\nADJUSTMENT: adjustment';
CREATE TABLE "webhook_event" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" SERIAL NOT NULL PRIMARY KEY,
    "provider" VARCHAR(16) NOT NULL,
    "event_id" VARCHAR(191) NOT NULL,
    "received_at" TIMESTAMPTZ NOT NULL,
    "signature_ok" BOOL NOT NULL,
    "event_type" VARCHAR(64) NOT NULL,
    "raw_body" TEXT NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "error" TEXT NOT NULL,
    "attempts" INT NOT NULL,
    "processed_at" TIMESTAMPTZ,
    CONSTRAINT "uid_webhook_eve_provide_6d79d1" UNIQUE ("provider", "event_id")
);
CREATE INDEX "idx_webhook_eve_status_930ac2" ON "webhook_event" ("status", "received_at");
COMMENT ON COLUMN "webhook_event"."status" IS 'RECEIVED: received\nPROCESSED: processed\nIGNORED: ignored\nFAILED: failed';
CREATE TABLE "aerich" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSONB NOT NULL
);
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES if db.schema_generator.DIALECT == "postgres" else SQLITE


async def downgrade(db: BaseDBAsyncClient) -> str:
    return ""


MODELS_STATE = (
    "eJztXW1zm7gW/iuMP/XOzXZSp0m7njt3htik661je2zSdrfZYWRQEjZYoiCSZvb2v1+JF/"
    "MmXHCMjYk+tZF0MDxHOjqv0j+dJTag5b4+x2ROAIGdnvRPB4El+0+u70jqANuOe1gDAQvL"
    "H7zARHNXwxYucYBOaMcNsFxImwzo6o5pExMjNny+BJYlGZ7D6Okgnbg9idxByb3DtmQDBC"
    "1pCV0X3FJi1m4Bl0jYMaDj/qLfAZQYIDkQGK/Z7xpYpz9sotv6fsJD5jcPagTfQkrj0B/6"
    "+hdtNpEBv0M3+tO+125MaBkpPE2DPcBv18iT7bcNEbnwB7K3X2g6trwligfbT+QOo9VoEx"
    "HWegsRdCjU7PHE8Ri8yLOskBUR4sGbxkOCV0zQGPAGeBZjEqMOXiBu62jaeKJqc0XVtE6O"
    "gRFFAvCwSceIMZ++qut//S17hV+6b96+e/v+5OztezrEf81Vy7sfwU/HwASEPjxjtfPD7w"
    "cEBCN8jGNQdcoZioQGSB7cAe0h5hLyEU5TZpA2QtLX0X+yuEcorwM+aoiRj1fDLqBnk3aC"
    "rKeQ5WtwVoeXylyVL6fs55au+83y8ZNVhfV0/danTOurs3+xdkwXeiACVg+RPg/V3yT2p/"
    "TnZKz48GKX3Dr+L8bj1D877J2AR7CG8KMGjMTsjFoj1OjImOuebWzI9TSl4HpTuB5hlGB7"
    "+PYx1+/hU57d/Tvg8FkdDs/wmGK1CVf3K0SX4LtmQXRL7uifZ2/X8PSTPOv/Js9enb3N8G"
    "kc9nT9rh8pYB+A5cE8tL/PJ2M+tCuC7AIydSL9T7JMN7dRbWvpdP5z4yGdISgtPNMiJnJf"
    "s5/9b6cm8NeAzQBKrZ0I5FeX8pcs/v3R5Dy7KNgDzikzmM5wc5/Y4FjDAuj3j8AxtFwP7u"
    "KisfmuZXeZbQGI6jRG+MXs+0JVr++5BC99rSanBq761qqBenLUz7TAYhYILUtoWWK/FVqW"
    "4PrutSzDdHVqBWs8QXpu3hbK0jTdz2Vq87WuQKj+2u2enLzrHp+cvT99++7d6fvjlXTNd6"
    "0Ts+fDD0zSpvgaid4Y/gWwANI52tg67BNE2wG+zPI6bhXuuuc4EOmVLIwkzXbMjFIa8NV8"
    "UJeym7Y0TkoYGieFdsZJ1swgmABLc22IOBvKuumdIRRTfLMpHsBIsG3TrdmzN+FBiljwYT"
    "M+GEtX0y3sQt4Oi7EFASrYYlOEGfgXlLIu/Fctu7WvzyeTUUprOh9mwB1fXZ4rs1dvfCFE"
    "B5kkgXkFqzpmThAA4DAmpLv4OIMW8D8yz4PQVp6wZ5TgRajNNEWp/RHNt6iVpx4+AsuCRK"
    "MDkAt8P8wzwfrsP1CNn3eA5kAhcnV6a4YGXNqYMAVkBpnq3eG4bfKDjtb5b8x4uObE44Un"
    "Z1czSXhyhE1/JDw5gusiXvYMnqas2De/vilhx9JRhZas35fW4R1Iv9Ml2h1w76qAnKXbnd"
    "vggOOTdEnY9Behn2HkcfTNQrWAQ7mR1dowTX07WgIH4AU2ODKjOBCcI3xWQLhhKL+gyO/v"
    "eNHhWA+sea298Hc4oE4D4WsnXrwIfidUFyHUSmH/dv4S1oOwHhohLA5UjxTWw0vkeinrgU"
    "LK12wV5C19fg8pFlHcMW1KhLRN1m47A2U0/KTMtP5koMx7Et3bzAfo0K+g467Rh5k8VrXZ"
    "ZKT0pFsHIKI52ILXaKZ8mnxUwg4HPuB7GPZMJ3NVu1CUQU9irNBuIDSuEX2D4cUfmjy4HI"
    "7pa2Ji3jxRLixNdI2upozR2lydzJSL2WSs9qRgxVB1FTvwxsHBFlRVA++W0cC7xRp4N6eB"
    "2+DJwoAzH4pVwwSJyBLciq6YZEiRJVRufRZaQ3WGrW2IDAZhxWU6VcaD4fgDXVQBPV2CV+"
    "Ox3+J4CPktAyoC6QrGiC1DefbRX4PAuQ8CZZUdBmdl/AVZ0ZxwF5xll0+osVaxXJMkrQm0"
    "bs1gzdoBFfUSDnkLlZPDVUbyOqgFgQs1/IiCwGpZd1uGbCNp1zCvRN3OtgAy+N02Kfs2WF"
    "s8+i0sroZxoVVrC1BtFToO5iwtlUrKAj6nqHaoR+xBhVOVL+p6FW7F0dFk/CEantXrMmlA"
    "0PBsqFWM0qSptiLQ2h6r8VN6uPnMhdpXkkQEDArSqTII5+G9oEaseYs+wqecOfIiEqdosw"
    "MeV87p1KyiH08/GQb5avQFpPHVaNT5sR/3f4A7JwCwYkhxCGDF++0GAb52XOw5wWShexB0"
    "ELAYdH+tiQ4knMwiMCACA80QDgfqIhaBgZfI9TKBAeQtF9Ws8JiidclFJ90yNTLd4iKZbl"
    "Zbjbe9jTy7K+pmx16G8/5kNuhJYdXgNZqrs+FU6UkMfRteI6X/eUj7of5o0t7L4UCdyeN5"
    "T1qahp97ziIxFzO5r7IozA3TOyjN5Tnz/EI62yiNPB32JGCb1+iDMlZmw35P8r/e1JvhFE"
    "5qNRUWU4asfS6tWmxAuASmVQnmiKB9AHdPS8UHT9cECE/zEUIHG55ONP/vCjhn6VrgSMqi"
    "fVoK7dM1aJ9m0f7mAURMwvEcFZoySZLdBZTeNNqgSUToltirWpYa07QmQCeKrttWdP2SEw"
    "Wm8tBPBGAapPxZHqq0m2Xb9D9SxfARmISOYqk2+v01CrOBmP4YZgIxHfJCHo5Y0w1VBtjf"
    "ypfp0B8TxLdoS18e95WRP0hnEFr+OKqbXo0HrJEqpx79WMNPTFCH8mj0hxb32sAhJrAsVm"
    "0XjaO68fRKVQLl2PbIZkkMteQALSEi2hLSmbBxalj+KY02VD5ThinUxgjKXvNmCs8wUb6o"
    "ymwsj9gsCXR1Ok4eX7GWJUAesJphgOh3UL/HHqlogGTIatKPWxaDiqY9XeaVtOM0mcC6XG"
    "1WIEq1TZQ6DrHQ7jbT7hCEhuunWaGorj/Dh3WHXXCoxYkXPznxIptz6CNHhQdwefAXix0e"
    "rTDMyxjmBiRUVeTo28WJ0gkSkSidmvzbSJTePJFNpLA1NSSVj0QyG28DFifIBH+bzN+VSb"
    "4Bk7O0gtNN5nR0gnS1fL0MlUjZy+uDNtDvwS2shmuaSMDKgTWMX1WDNUUkYP1pgmnyXPln"
    "5pgmD7I/LIzLpplmhGEq03SmMA9mX+3wJvEW0J3GT2onuOmlWwbbQIRuA9v4SS3FNrXbVM"
    "6QjjH/Gy+eeSplePJJO3BOG8QPEPEqUSsfcKo8wPo8oftGyY8KaiaBy2dCNWcPGtLntGg6"
    "1V6KEEytonqE1cT7SVGCBlcDt1yasKp50IHn+gLZgTeQpSXAXIGCKEQQhQiNWM4HmpIuCh"
    "FeItfLFCLcOHhZeCRkuWyUzCManOsr0ptqTm+i8+x5cyn1gEYnNYmpVO9UWmmFpVOqIoIm"
    "T5sNw+x1HAcc6doVIE4RtRDmWjKpqMmE+ZGYtXnxCaoW+bZ3fUuQnxaSR/5niSQ8PVbkkT"
    "w7j2Qfh4g0TuK06xSRpsH77GNE+vK8Lw+UfZ0iEsUnOH67ROii2GmXiJRs22GXCHCt6uCE"
    "o0446hopBw7UZSMcdS+R62UcdQdTrdx4eZpM2TCr3hK9ImkToDu2ytgVlQ883NeVssREO6"
    "xgiZSFgy1g2VdmXUMnel1W1z5yv5oG8RaSv0rYXuKS4X0llUQzk2eZxpN2jWWaGCTuwj0k"
    "wXckTNAXZIwIE/Qlcr2MCSruwq0pGFv1vLfdn/O2uxDs8XGZEOzxcXEIlvVlw4Dxm1WAOU"
    "PWuuL901JYn67B+jSPdeuvvGNX3fUkdsPdNQpvsPOvrmPtmjwehNfasQH/Zj2dTVbB1s8p"
    "Eq4ucThfMyT8ls/mY0uscnZNgkgcTLTZzLao6ugnM1YwqlM0uwP+tF7gtxaOWMGjAQs6YS"
    "ZmBRc5l16c91TlvCcRmagT6pwHXfh5n19lGWb8PBOh8nXRTdMumluKejBI1Rk2iAHjBA5S"
    "aBaHDmLubT968DUdvEO30KGGDyKcS7ISA8MiFXFDlgg2NGNtH6jbWQQbXiLXywQbdNO+Y0"
    "bMdw7Xiy/UTVO1wnuyjqd1XKmb3ANzyBd7rTJkrYC+7rjPAd4rAR6AGTyhGuYd+ZM8HMnn"
    "zDW+egarXJ0rs09B5aoLnQe/IpVbGztTPk0+BgMf8P1mVarbd6tHb73B5pQhFSdqNmczyu"
    "sg4uzUl8JpOpRyasGJ2Kwt101QiXLdTWMK4pL51hyt2jhVTiSAH0ACOP/0z13XNDdMJDy7"
    "pLnMuZ91uoA/+/d+qexiL6CHX59zBecHHa1zCQd3iWkkM37LruEoIUmcTCgcwA2XvgfqCh"
    "QO4JfI9VLZ5m1PJFUn06sp/XBse/Y1ml4xJ9Nc6Um25+h3wIXRuW7RqW7XSB78fjVXL5Wx"
    "2pOA8bfnkmV4OO/+PWGHcvlz64xmkWJad4rpAlhMymjghvDskHUzPEcqJvrGE10cWcgT5H"
    "UcWYgwqVaPFI5vXYVMLddbigMh97lZ7utmtMaJkTZeNtU0kMu67srdNrUn7x1c3GF8X3id"
    "SKr/aK3PLhhZ35UitoMfzNDH6/8IwzOfxxknTjhQh2YYgxe5nMKV1wypcaBOHeHKe4lcL+"
    "PKS8rlsjZFkqaNdtvWHXCrDa8CyEmaNoJch3Gc1BkqyrAMqRBiTRFiZbYulxotVG90oIY5"
    "Nc9rK0SzpKJOtHxJbiCifKgqC7aIqnV+qRrug6Hm6AIbnChCcbFFkqYVu8euSy0OMP8/2s"
    "IqzvPOTOkrwzDRP3jCNZrOJn1lPvdvpnKwDl2XtQ4/jCd+8j8VmphzLVYzwp3QcTBHny1e"
    "LCuCFgijXa8TQAhc2rwLl4vd5QmS1hzxss2s4GC5baDEZmlFOUNzLO9Aa61wzEadjmMZOq"
    "Z+1+G4jMOeo3XOYhCPEacF72rm1+30fYCOW/EQxgRJK3TMXQSY6aKqgHA4vIXo1nKYKP1F"
    "AnmZbsWXCiZIdn+r4H42yq3dH7jXzezH/wEhZEzQ"
)
