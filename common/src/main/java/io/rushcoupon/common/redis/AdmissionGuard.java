package io.rushcoupon.common.redis;

import java.time.Duration;

/**
 * What guards one user's admission besides the coupon's own rules, checked in the same script run
 * (issue-precheck.lua).
 *
 * @param rateRequests requests the user may make per {@code rateWindow} for one coupon; 0 for none
 *                     counted (a retry of a click already counted)
 * @param rateWindow   the rate limit's fixed window
 * @param lockLease    how long the user's lock outlives an admission whose holder never releases it
 */
public record AdmissionGuard(int rateRequests, Duration rateWindow, Duration lockLease) {

    public AdmissionGuard {
        if (rateRequests < 0 || rateWindow.isNegative() || lockLease.toMillis() <= 0) {
            throw new IllegalArgumentException("rate limit must not be negative and the lease positive");
        }
        if (rateRequests > 0 && rateWindow.toMillis() <= 0) {
            throw new IllegalArgumentException("a rate limit needs a positive window");
        }
    }

    /** The same lock, the request not counted again: for a retry of a click that found the lock taken. */
    public AdmissionGuard notCountedAgain() {
        return new AdmissionGuard(0, rateWindow, lockLease);
    }
}
