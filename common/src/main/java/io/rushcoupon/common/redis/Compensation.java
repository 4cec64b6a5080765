package io.rushcoupon.common.redis;

/** What {@link CouponScript#ISSUE_COMPENSATE} found for a request Kafka definitely did not take. */
public enum Compensation {
    /** It was pending: its unit, the user's place and the request are given back. */
    UNDONE,
    /** Its hash shows a final status (the worker had it from a re-send): nothing changed, it can be polled. */
    DECIDED,
    /**
     * Neither decided nor pending: Redis lost it (restarted empty) or its coupon was deleted.
     * Nothing will ever send or finish it, so it must not be answered as accepted.
     */
    GONE
}
