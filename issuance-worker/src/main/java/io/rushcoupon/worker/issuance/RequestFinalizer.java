package io.rushcoupon.worker.issuance;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.issue.IssueRequestSettings;
import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.FinalStatus;
import io.rushcoupon.common.redis.RequestView;

/**
 * Tells Redis what PostgreSQL committed. Never fails the caller: the database commit is what
 * counts, and a request committed but left pending in Redis is finalized by the reconciler (it
 * finds the row by request id) or decided again on redelivery, which is a harmless replay.
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
            couponRedis.finalizeRequests(outcome.couponId(), outcome.statuses(), outcome.remaining(),
                    issue.requestTtl());
            return true;
        } catch (RuntimeException e) {
            log.warn("Coupon {}: {} requests committed but not finalized in Redis ({}); the reconciler will finish them",
                    outcome.couponId(), outcome.decisions().size(), e.toString());
            return false;
        }
    }

    /**
     * Marks a dead-lettered request REJECTED, when Redis still waits for it. The user id comes from
     * Redis, not from the broken event, so the request stays visible to the user who made it.
     */
    void rejectInvalid(RequestId requestId, int databaseRemaining) {
        try {
            RequestView request = couponRedis.request(requestId).orElse(null);
            if (request == null || request.status() != IssueStatus.PENDING) {
                return;
            }
            couponRedis.finalizeRequests(requestId.couponId(),
                    List.of(FinalStatus.rejected(requestId, request.userId(), ErrorCode.VALIDATION_FAILED)),
                    databaseRemaining, issue.requestTtl());
        } catch (RuntimeException e) {
            log.warn("Could not mark dead-lettered request {} REJECTED in Redis: {}", requestId, e.toString());
        }
    }
}
