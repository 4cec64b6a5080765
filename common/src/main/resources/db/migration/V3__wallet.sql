-- The coupon's life after the rush (wallet-service): a user's issued coupon can be redeemed against
-- an order once, the redemption cancelled (the coupon is then usable again), and it expires at
-- expires_at. PostgreSQL is the fence here too: the conditional update of coupon_issuance.status
-- and the partial unique key on coupon_redemption refuse a second standing redemption of one coupon
-- whatever two devices or two wallet instances do at once.

-- below it a coupon gives no discount (422 MIN_ORDER_NOT_MET); NULL: any order
ALTER TABLE coupon
    ADD COLUMN min_order_amount NUMERIC(12, 2),
    ADD CONSTRAINT coupon_min_order_ck CHECK (min_order_amount IS NULL OR min_order_amount > 0);

-- A row the worker writes is AVAILABLE (the default, so the worker's insert is unchanged). EXPIRED is
-- what the expiry job marks; reads do not wait for it: an AVAILABLE row past expires_at reads EXPIRED.
ALTER TABLE coupon_issuance
    ADD COLUMN status     VARCHAR(16) NOT NULL DEFAULT 'AVAILABLE',
    ADD COLUMN expired_at TIMESTAMPTZ,
    ADD CONSTRAINT coupon_issuance_status_ck CHECK (status IN ('AVAILABLE', 'REDEEMED', 'EXPIRED')),
    ADD CONSTRAINT coupon_issuance_redeemed_ck CHECK ((status = 'REDEEMED') = (redeemed_at IS NOT NULL)),
    ADD CONSTRAINT coupon_issuance_expired_ck CHECK ((status = 'EXPIRED') = (expired_at IS NOT NULL));

-- a user's wallet, newest first (replaces the plain user index)
DROP INDEX coupon_issuance_user_idx;
CREATE INDEX coupon_issuance_user_idx ON coupon_issuance (user_id, issued_at DESC, id DESC);
-- the expiry job walks only what may still expire, oldest first
CREATE INDEX coupon_issuance_expiry_idx ON coupon_issuance (expires_at) WHERE status = 'AVAILABLE';

-- One row per redemption, kept when cancelled (the per-user statistics count those).
CREATE TABLE coupon_redemption (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    issuance_id  BIGINT         NOT NULL REFERENCES coupon_issuance (id),
    coupon_id    BIGINT         NOT NULL REFERENCES coupon (id),
    user_id      BIGINT         NOT NULL,
    order_id     VARCHAR(64)    NOT NULL,
    order_amount NUMERIC(12, 2) NOT NULL,
    discount     NUMERIC(12, 2) NOT NULL,
    payable      NUMERIC(12, 2) NOT NULL,
    status       VARCHAR(16)    NOT NULL DEFAULT 'REDEEMED',
    redeemed_at  TIMESTAMPTZ    NOT NULL,
    cancelled_at TIMESTAMPTZ,
    CONSTRAINT coupon_redemption_status_ck CHECK (status IN ('REDEEMED', 'CANCELLED')),
    CONSTRAINT coupon_redemption_cancelled_ck CHECK ((status = 'CANCELLED') = (cancelled_at IS NOT NULL)),
    CONSTRAINT coupon_redemption_order_ck CHECK (order_amount > 0 AND length(order_id) > 0),
    CONSTRAINT coupon_redemption_discount_ck CHECK (discount >= 0 AND discount <= order_amount),
    CONSTRAINT coupon_redemption_payable_ck CHECK (payable = order_amount - discount)
);

-- at most one standing redemption per issued coupon
CREATE UNIQUE INDEX coupon_redemption_standing_uk ON coupon_redemption (issuance_id) WHERE status = 'REDEEMED';
-- the admin's paged redemption listing of one coupon, and its stats
CREATE INDEX coupon_redemption_coupon_idx ON coupon_redemption (coupon_id, id);
-- a user's statistics
CREATE INDEX coupon_redemption_user_idx ON coupon_redemption (user_id, status);

-- Idempotency-Key of a redemption, scoped to the user. The first request inserts its key
-- IN_PROGRESS in a transaction of its own, so a second one with the key sees it (409
-- REQUEST_IN_PROGRESS) instead of waiting; the answer is stored COMPLETED in the redemption's
-- transaction, so a key is COMPLETED exactly when its answer took effect. A key left IN_PROGRESS past
-- lease_until belongs to a request whose service died before its transaction committed: a retry
-- takes it over. Kept at least rushcoupon.wallet.idempotency.retention (24 h) after created_at.
CREATE TABLE redemption_idempotency (
    user_id         BIGINT      NOT NULL,
    idempotency_key VARCHAR(64) NOT NULL,
    -- SHA-256 (hex) of the issuance id and the canonical body: the same key with another body is refused
    fingerprint     CHAR(64)    NOT NULL,
    state           VARCHAR(16) NOT NULL,
    lease_until     TIMESTAMPTZ NOT NULL,
    response_status INTEGER,
    response_body   TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    completed_at    TIMESTAMPTZ,
    PRIMARY KEY (user_id, idempotency_key),
    CONSTRAINT redemption_idempotency_state_ck CHECK (state IN ('IN_PROGRESS', 'COMPLETED')),
    CONSTRAINT redemption_idempotency_answer_ck CHECK ((state = 'COMPLETED') = (response_status IS NOT NULL))
);

-- the retention purge
CREATE INDEX redemption_idempotency_created_idx ON redemption_idempotency (created_at);

-- ShedLock's table: one wallet instance at a time runs each scheduled job (expiry, purge)
CREATE TABLE shedlock (
    name       VARCHAR(64)  PRIMARY KEY,
    lock_until TIMESTAMPTZ  NOT NULL,
    locked_at  TIMESTAMPTZ  NOT NULL,
    locked_by  VARCHAR(255) NOT NULL
);
