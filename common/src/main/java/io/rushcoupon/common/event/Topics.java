package io.rushcoupon.common.event;

/** Kafka topic names shared by the producer (gateway) and the consumer (worker). */
public final class Topics {

    /** Accepted issue requests, keyed by coupon id so one consumer owns a coupon at a time. */
    public static final String ISSUE_REQUESTED = "coupon.issue.requested";

    /** Records the worker could not read or validate; spring-kafka's default dead-letter suffix. */
    public static final String ISSUE_REQUESTED_DLT = ISSUE_REQUESTED + "-dlt";

    private Topics() {
    }
}
