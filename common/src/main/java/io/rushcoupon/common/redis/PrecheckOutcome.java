package io.rushcoupon.common.redis;

import java.util.Optional;

import io.rushcoupon.common.error.ErrorCode;

/** What {@link CouponScript#ISSUE_PRECHECK} decided; every value but ACCEPTED is a refusal. */
public enum PrecheckOutcome {
    ACCEPTED(null),
    COUPON_NOT_FOUND(ErrorCode.COUPON_NOT_FOUND),
    DUPLICATE_REQUEST(ErrorCode.DUPLICATE_REQUEST),
    ISSUANCE_ENDED(ErrorCode.ISSUANCE_ENDED),
    SOLD_OUT(ErrorCode.SOLD_OUT),
    COUPON_PAUSED(ErrorCode.COUPON_PAUSED),
    ISSUANCE_NOT_STARTED(ErrorCode.ISSUANCE_NOT_STARTED),
    /** Only from a run with a rate limit: the user asked too often in the current window. */
    RATE_LIMITED(ErrorCode.RATE_LIMITED),
    /**
     * Only from an admission with the user's lock: another request of the user holds it and may
     * still undo its admission; retry within the lock wait, then BUSY.
     */
    LOCKED(ErrorCode.BUSY);

    private final ErrorCode refusal;

    PrecheckOutcome(ErrorCode refusal) {
        this.refusal = refusal;
    }

    /** The error to answer with, empty when accepted. */
    public Optional<ErrorCode> refusal() {
        return Optional.ofNullable(refusal);
    }
}
