package io.rushcoupon.common.metrics;

/**
 * Micrometer meter names (Prometheus turns dots into underscores) and their tag keys. Dashboards
 * and alert rules under infra/ refer to these names; change them together.
 */
public final class MetricNames {

    // gateway
    /**
     * Counter, tag {@link #OUTCOME}: accepted, duplicate, sold_out, not_open, busy, unavailable,
     * rate_limited (per-user limit), shed (load shedding), …
     */
    public static final String ISSUE_REQUESTS = "rushcoupon.issue.requests";
    /** Timer: waiting for the per-user lock; tag {@link #RESULT} acquired|timeout|error. */
    public static final String LOCK_WAIT = "rushcoupon.lock.wait";
    /** Timer: the Lua pre-check round trip. */
    public static final String PRECHECK = "rushcoupon.precheck";
    /** Timer: producing to Kafka until acknowledged; tag {@link #RESULT} acked|failed|ambiguous. */
    public static final String KAFKA_SEND = "rushcoupon.kafka.send";
    /** Counter: admitted requests undone because Kafka definitely did not take them. */
    public static final String COMPENSATIONS = "rushcoupon.compensations";
    /** Gateway: refusals answered from its cache of sold-out and ended coupons, without Redis. */
    public static final String TERMINAL_CACHE_REFUSALS = "rushcoupon.terminal.cache.refusals";

    // worker
    /** Counter: issuance rows committed. */
    public static final String ISSUANCES = "rushcoupon.issuances";
    /** Counter, tag {@link #REASON}: requests the worker rejected. */
    public static final String REJECTIONS = "rushcoupon.rejections";
    /** Timer: from the gateway's acceptance to the database commit. */
    public static final String END_TO_END = "rushcoupon.issue.end.to.end";
    /** Distribution: records per listener batch. */
    public static final String BATCH_SIZE = "rushcoupon.batch.size";
    /** Counter: optimistic version conflicts on the coupon row that were retried. */
    public static final String VERSION_RETRIES = "rushcoupon.version.retries";
    /** Counter: records sent to the dead-letter topic. */
    public static final String DEAD_LETTERS = "rushcoupon.dead.letters";
    /** Counter: pending requests the reconciler sent again. */
    public static final String RECONCILER_RESENDS = "rushcoupon.reconciler.resends";
    /** Counter: coupons the reconciler rebuilt in Redis (restored, or their drifted stock repaired). */
    public static final String RECONCILER_REBUILDS = "rushcoupon.reconciler.rebuilds";
    /**
     * Gauge, seconds: age of the oldest request still PENDING in Redis over every coupon, however
     * long ago its window ended, measured in Redis's clock; 0 when none is pending. Every worker
     * instance reports the same reading, so take {@code max()} across instances. The alert
     * "requests pending too long" (I3) watches it; in Prometheus
     * {@code rushcoupon_pending_oldest_age_seconds}.
     */
    public static final String PENDING_OLDEST_AGE = "rushcoupon.pending.oldest.age";
    /**
     * Gauge: requests PENDING in Redis over the same coupons (admitted, not yet finalized); in
     * Prometheus {@code rushcoupon_pending_requests}.
     */
    public static final String PENDING_REQUESTS = "rushcoupon.pending.requests";

    // notifications (worker's dispatcher)
    /**
     * Counter, tag {@link #OUTCOME}: sent (every webhook took it), retried (due again later: 429,
     * 5xx, connection error), failed (refused by a webhook with a 4xx, or retries ran out; alert),
     * logged (no webhook configured).
     */
    public static final String NOTIFICATIONS = "rushcoupon.notifications";
    /** Gauge: notifications PENDING in the outbox (same reading in every worker instance). */
    public static final String NOTIFICATIONS_PENDING = "rushcoupon.notifications.pending";
    /** Gauge, seconds: age of the oldest PENDING notification; 0 when none. */
    public static final String NOTIFICATIONS_OLDEST_AGE = "rushcoupon.notifications.oldest.age";

    // admin
    /** Gauge per open coupon, tag {@link #COUPON}: remaining units. */
    public static final String COUPON_REMAINING = "rushcoupon.coupon.remaining";

    // wallet
    /**
     * Counter, tag {@link #OUTCOME}: redeemed, replayed (an Idempotency-Key's stored answer again),
     * already_redeemed, expired, min_order_not_met, not_found, key_reused, in_progress, error.
     */
    public static final String REDEMPTIONS = "rushcoupon.redemptions";
    /** Counter, in the coupons' currency: the discount of every redemption made (cancelled ones are not taken back). */
    public static final String DISCOUNT_GIVEN = "rushcoupon.redemption.discount";
    /** Counter: redemptions cancelled (a repeated cancellation is not counted again). */
    public static final String REDEMPTION_CANCELLATIONS = "rushcoupon.redemption.cancellations";
    /** Counter: coupons the expiry job marked EXPIRED. */
    public static final String EXPIRIES = "rushcoupon.coupon.expiries";

    // tag keys
    public static final String OUTCOME = "outcome";
    public static final String RESULT = "result";
    public static final String REASON = "reason";
    public static final String COUPON = "coupon";

    private MetricNames() {
    }
}
