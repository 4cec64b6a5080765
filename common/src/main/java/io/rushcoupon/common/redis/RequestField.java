package io.rushcoupon.common.redis;

/**
 * Fields of one request's hash ({@link CouponKeys#request}). Short names: there is one such hash
 * per request of a rush. Times are epoch milliseconds.
 */
public enum RequestField {
    /** {@link io.rushcoupon.common.issue.IssueStatus} name. */
    STATUS("s"),
    USER_ID("u"),
    /** Error code name when rejected. */
    REASON("r"),
    REQUESTED_AT("t"),
    ISSUED_AT("i"),
    EMAIL("e"),
    USERNAME("n");

    private final String field;

    RequestField(String field) {
        this.field = field;
    }

    public String field() {
        return field;
    }
}
