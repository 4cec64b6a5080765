-- Transactional outbox of the team's Discord notifications (#14). A row is written in the same
-- transaction as the change it tells of (the worker's commit that sells a coupon out, an admin's
-- pause), or by the reconciler's leader for time-based events (a window opened or ended). Writers
-- insert with ON CONFLICT (dedupe_key) DO NOTHING: one stable key per event, so several workers,
-- admins or retries announce it once. The worker's dispatcher delivers (issuance-worker/README.md).
CREATE TABLE notification (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- e.g. soldout:<couponId>:<total>, opened:<couponId>, paused:<couponId>:<version>
    dedupe_key      VARCHAR(200) NOT NULL,
    kind            VARCHAR(32)  NOT NULL,
    -- the facts (common's io.rushcoupon.common.notification payload records), not the rendered message
    payload         JSONB        NOT NULL,
    -- PENDING → SENT (every webhook answered 2xx), FAILED (a webhook refused it for good, or retries
    -- ran out), LOGGED (no webhook configured: written to the log instead)
    state           VARCHAR(16)  NOT NULL DEFAULT 'PENDING',
    -- failed deliveries so far (5xx, connection errors); a 429 is not one
    attempts        INTEGER      NOT NULL DEFAULT 0,
    -- when the dispatcher may take it next; a claim moves it a lease ahead, so a dispatcher that
    -- dies holding it leaves it to another after the lease
    next_attempt_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    -- the masked webhooks (…/webhooks/<id>/****) that took it, so a retry goes only to the others
    delivered_to    TEXT[]       NOT NULL DEFAULT '{}',
    -- the masked webhooks that refused it for good (4xx other than 429)
    failed_to       TEXT[]       NOT NULL DEFAULT '{}',
    -- never holds a webhook's URL (its token is a secret)
    last_error      VARCHAR(1000),
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    sent_at         TIMESTAMPTZ,
    CONSTRAINT notification_dedupe_uk UNIQUE (dedupe_key),
    CONSTRAINT notification_state_ck CHECK (state IN ('PENDING', 'SENT', 'FAILED', 'LOGGED')),
    CONSTRAINT notification_attempts_ck CHECK (attempts >= 0)
);

-- the dispatcher's claim: due PENDING rows, oldest first
CREATE INDEX notification_due_idx ON notification (next_attempt_at, id) WHERE state = 'PENDING';
