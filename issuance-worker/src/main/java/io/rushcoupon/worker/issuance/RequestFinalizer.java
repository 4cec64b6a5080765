package io.rushcoupon.worker.issuance;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.rushcoupon.common.issue.IssueRequestSettings;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.RequestView;

/**
 * Tells Redis what PostgreSQL committed. Never fails the caller: the database commit is what
 * counts, and a request committed but left pending in Redis is finalized by the reconciler (it
 * finds the row by request id) or answered again on redelivery with its recorded decision.
 */
@Component
class RequestFinalizer {

    private static final Logger log = LoggerFactory.getLogger(RequestFinalizer.class);

    private final CouponRedis couponRedis;
    private final IssueRequestSettings issue;

    RequestFinalizer(CouponRedis couponRedis, IssueRequestSettings issue) {
        this.couponRedis = couponRedis;
        this.issue = issue;
    }

    /** @return {@code false} when Redis could not be reached, so the batch stops trying */
    boolean finalizeCommitted(CouponOutcome outcome) {
        try {
            couponRedis.finalizeRequests(outcome.couponId(), outcome.statuses(), outcome.stock(), issue.requestTtl());
            return true;
        } catch (RuntimeException e) {
            log.warn("Coupon {}: {} requests committed but not finalized in Redis ({}); the reconciler will finish them",
                    outcome.couponId(), outcome.decisions().size(), e.toString());
            return false;
        }
    }

    /**
     * The request as Redis admitted it, empty when Redis does not know it or cannot be reached. A
     * broken record's own user id is not to be trusted over the gateway's.
     */
    Optional<RequestView> admitted(RequestId requestId) {
        try {
            return couponRedis.request(requestId);
        } catch (RuntimeException e) {
            log.warn("Could not read request {} from Redis: {}", requestId, e.toString());
            return Optional.empty();
        }
    }
}
