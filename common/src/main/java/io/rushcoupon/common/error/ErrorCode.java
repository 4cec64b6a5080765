package io.rushcoupon.common.error;

/**
 * The stable error codes every RushCoupon API answers with, each with the HTTP status it maps to.
 * Clients switch on {@link #name()}; the title is for people.
 */
public enum ErrorCode {

    COUPON_NOT_FOUND(404, "Coupon not found"),
    NOT_FOUND(404, "Resource not found"),
    REQUEST_NOT_FOUND(404, "Issue request not found"),
    SOLD_OUT(410, "Coupon sold out"),
    DUPLICATE_REQUEST(409, "Coupon already requested by this user"),
    ISSUANCE_NOT_STARTED(409, "Issuance has not started"),
    ISSUANCE_ENDED(409, "Issuance has ended"),
    COUPON_PAUSED(409, "Issuance is paused"),
    /** Delete refused: units were issued, or requests are still pending. */
    COUPON_HAS_ISSUANCES(409, "Coupon already has issuances"),
    /**
     * Delete refused: the coupon may still admit requests (ACTIVE and its window not over, in
     * PostgreSQL or in Redis); pause or close it first.
     */
    COUPON_ACTIVE(409, "Coupon still admits requests"),
    /** A new total below the units issued plus the requests still pending (being issued). */
    QUANTITY_BELOW_ISSUED(409, "Total quantity below units issued or being issued"),
    COUPON_CODE_TAKEN(409, "Coupon code already in use"),
    // wallet (wallet-service): a user's coupons after the rush
    /** Unknown issuance, or one of another user: both answer the same, so ids reveal nothing. */
    ISSUANCE_NOT_FOUND(404, "Coupon not found in this wallet"),
    /** Unknown redemption, or one of another user. */
    REDEMPTION_NOT_FOUND(404, "Redemption not found"),
    COUPON_ALREADY_REDEEMED(409, "Coupon already redeemed"),
    COUPON_EXPIRED(409, "Coupon expired"),
    /** The order is below the coupon's {@code minOrderAmount}. */
    MIN_ORDER_NOT_MET(422, "Order amount below the coupon's minimum"),
    /** An {@code Idempotency-Key} already used by this user for another request. */
    IDEMPOTENCY_KEY_REUSED(422, "Idempotency key used for another request"),
    /** A request with this {@code Idempotency-Key} is still being processed; retry after {@code Retry-After}. */
    REQUEST_IN_PROGRESS(409, "Request with this idempotency key in progress"),
    BUSY(429, "Too many concurrent requests"),
    /** The user asked more often than the per-user rate limit allows; {@code Retry-After} says when to retry. */
    RATE_LIMITED(429, "Too many requests"),
    VALIDATION_FAILED(400, "Request is not valid"),
    UNAUTHORIZED(401, "Authentication required"),
    FORBIDDEN(403, "Not allowed"),
    VERSION_MISMATCH(412, "Version does not match"),
    PRECONDITION_REQUIRED(428, "If-Match header required"),
    UNAVAILABLE(503, "Service temporarily unavailable"),
    /** The service sheds load: too many requests in flight; nothing was taken, retry after {@code Retry-After}. */
    OVERLOADED(503, "Service overloaded"),
    /** The request body exceeds the services' size limit. */
    PAYLOAD_TOO_LARGE(413, "Request body too large"),
    /**
     * Answered by nginx (infra/nginx): the service behind it failed before answering, so the
     * request may or may not have taken effect; repeating an issue request is safe.
     */
    UPSTREAM_FAILED(502, "The service failed to answer"),
    /** Answered by nginx: the service did not answer in time; as {@link #UPSTREAM_FAILED}. */
    UPSTREAM_TIMEOUT(504, "The service answered too late"),
    INTERNAL_ERROR(500, "Internal error");

    private final int httpStatus;
    private final String title;

    ErrorCode(int httpStatus, String title) {
        this.httpStatus = httpStatus;
        this.title = title;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String title() {
        return title;
    }
}
