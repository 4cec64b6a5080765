-- Every final decision of the worker is durable: an issued request has its coupon_issuance row, a
-- rejected one its row here, written in the same transaction as the decision (the coupon's version
-- check serialises deciders, so a request id is in at most one of the two tables). A copy of a
-- decided request that arrives again gets the same answer, and Redis's REJECTED statuses can be
-- restored from here after Redis lost them (common.restore.CouponStateRestorer).
--
-- No foreign key to coupon: a request for a coupon that was deleted or never existed is rejected
-- (COUPON_NOT_FOUND) and recorded too.
CREATE TABLE issue_rejection (
    request_id  VARCHAR(64) PRIMARY KEY,
    coupon_id   BIGINT      NOT NULL,
    user_id     BIGINT      NOT NULL,
    reason      VARCHAR(32) NOT NULL,
    rejected_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- the restorer streams a coupon's rejections in keyset pages
CREATE INDEX issue_rejection_coupon_idx ON issue_rejection (coupon_id, request_id);
