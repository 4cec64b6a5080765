package io.rushcoupon.common.issue;

/** Where an issue request stands, as users poll it. */
public enum IssueStatus {
    /** Accepted by the gateway, not yet committed by the worker. */
    PENDING,
    /** The issuance row is committed in PostgreSQL. */
    ISSUED,
    /** Final refusal; the reason is an {@link io.rushcoupon.common.error.ErrorCode} name. */
    REJECTED
}
