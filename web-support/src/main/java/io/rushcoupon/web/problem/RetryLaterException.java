package io.rushcoupon.web.problem;

import java.time.Duration;

import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;

/**
 * A refusal the client should repeat later after a {@code Retry-After} of its own (the gateway's
 * BUSY, UNAVAILABLE, RATE_LIMITED); other 429 and 503 answers get {@code rushcoupon.web.retry-after}.
 */
public class RetryLaterException extends CouponException {

    private final Duration retryAfter;

    public RetryLaterException(ErrorCode code, String detail, Duration retryAfter) {
        super(code, detail);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
