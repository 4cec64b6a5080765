package io.rushcoupon.gateway.issue;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.issue.IssueRequestSettings;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.Compensation;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.PrecheckOutcome;
import io.rushcoupon.common.redis.PrecheckResult;
import io.rushcoupon.gateway.config.GatewayProperties;
import io.rushcoupon.gateway.web.MissingState;
import io.rushcoupon.gateway.web.RedisFailures;
import io.rushcoupon.web.problem.RetryLaterException;

/**
 * The rush path: one atomic admission script (the user's rate limit, coupon, window, pause,
 * duplicate and stock, at Redis's time, and on admission the user's lock: {@link UserLocks}), one
 * Kafka send, then the lock released without the client waiting. No gateway clock takes part in
 * admission. After a sell-out or the window's end, refusals come from this gateway's memory of the
 * coupon's terminal state ({@link TerminalCoupons}), without Redis.
 *
 * <p>Failure rules (README.md, "How a request flows"):
 * <ul>
 *   <li>Redis unreachable at any step: 503 UNAVAILABLE with Retry-After. The pre-check script is
 *       atomic, so it either ran or did not. If its reply was lost (a timeout after sending), the
 *       request may be admitted: it then sits PENDING in the pending set, the reconciler re-sends
 *       it, and a retry of the user answers DUPLICATE_REQUEST with its id.</li>
 *   <li>Kafka definitely did not take the event: undo the admission (stock back, user marker and
 *       request removed) and answer 503. If there was nothing to undo, 202 only when the request
 *       was decided meanwhile (its status is there to poll); when Redis no longer knows it at all
 *       (restarted empty, coupon deleted), 503.</li>
 *   <li>Kafka may have taken it: the request stays PENDING in the pending set, which is the outbox
 *       the reconciler re-sends from; answer 202.</li>
 * </ul>
 * A 202 therefore always names a request that Kafka acknowledged, that the pending set keeps, or
 * that is already decided.
 */
@Service
class IssueRequestService {

    private static final Logger log = LoggerFactory.getLogger(IssueRequestService.class);

    private final UserLocks locks;
    private final TerminalCoupons terminal;
    private final CouponRedis couponRedis;
    private final IssueEventPublisher publisher;
    private final IssueMetrics metrics;
    private final Duration requestTtl;
    private final Duration busyRetryAfter;
    private final Duration unavailableRetryAfter;
    private final MissingState missingState;

    IssueRequestService(UserLocks locks, TerminalCoupons terminal, CouponRedis couponRedis, IssueEventPublisher publisher, IssueMetrics metrics,
            GatewayProperties settings, IssueRequestSettings issue, MissingState missingState) {
        this.locks = locks;
        this.terminal = terminal;
        this.couponRedis = couponRedis;
        this.publisher = publisher;
        this.metrics = metrics;
        this.requestTtl = issue.requestTtl();
        this.busyRetryAfter = settings.busyRetryAfter();
        this.unavailableRetryAfter = settings.unavailableRetryAfter();
        this.missingState = missingState;
    }

    IssueRequestAccepted request(long couponId, Requester requester) {
        Optional<PrecheckOutcome> known = terminal.refusal(couponId, requester.userId());
        if (known.isPresent()) {
            metrics.answered(IssueOutcome.of(known.get()));
            throw refusal(couponId, new PrecheckResult(known.get(), null, 0));
        }
        RequestId requestId = RequestId.newFor(couponId);
        PrecheckResult result;
        try {
            // a re-run of this very admission (Redisson re-sends a script whose reply timed out)
            // answers ACCEPTED with the first run's time (issue-precheck.lua)
            result = locks.admit(requestId, requester, requestTtl);
        } catch (RuntimeException e) {
            throw unavailableIfRedisDown(e);
        }
        if (!result.accepted()) {
            terminal.refusedByRedis(couponId, result.outcome());
            throw refuse(couponId, result);
        }
        try {
            return send(requestId, requester, result);
        } finally {
            locks.release(requestId, requester.userId());
        }
    }

    private IssueRequestAccepted send(RequestId requestId, Requester requester, PrecheckResult admission) {
        IssueRequested event = new IssueRequested(requestId.toString(), requestId.couponId(), requester.userId(),
                requester.email(), requester.username(),
                Objects.requireNonNull(admission.acceptedAt(), "acceptedAt"));
        return switch (publisher.publish(event)) {
            case ACKED, AMBIGUOUS -> accepted(requestId);
            case NOT_SENT -> compensate(requestId, requester.userId());
        };
    }

    /** The refusal to answer, counted; COUPON_NOT_FOUND only once Redis's state is known complete. */
    private RuntimeException refuse(long couponId, PrecheckResult result) {
        if (result.outcome() == PrecheckOutcome.COUPON_NOT_FOUND) {
            try {
                missingState.confirmNotFound();
            } catch (RetryLaterException restoring) {
                metrics.answered(IssueOutcome.UNAVAILABLE);
                return restoring;
            }
        }
        metrics.answered(IssueOutcome.of(result.outcome()));
        return refusal(couponId, result);
    }

    private IssueRequestAccepted compensate(RequestId requestId, long userId) {
        Compensation compensation;
        try {
            compensation = couponRedis.compensate(requestId, userId);
        } catch (RuntimeException e) {
            // not known whether it was undone: if not, it is still pending and the reconciler sends it
            log.warn("Could not undo issue request {} after Kafka refused it: {}", requestId, e.toString());
            throw unavailableIfRedisDown(e);
        }
        if (compensation == Compensation.DECIDED) {
            // the worker decided it after a reconciler re-send: nothing to undo, its status is there to poll
            log.warn("Issue request {} was already decided when Kafka refused it", requestId);
            return accepted(requestId);
        }
        if (compensation == Compensation.UNDONE) {
            metrics.compensated();
        } else {
            // GONE: Redis lost it (restarted empty) or its coupon was deleted; nothing will send or
            // finish it, so a 202 would name a request that exists nowhere
            log.warn("Issue request {} was neither pending nor decided when Kafka refused it", requestId);
        }
        metrics.answered(IssueOutcome.UNAVAILABLE);
        throw new RetryLaterException(ErrorCode.UNAVAILABLE,
                "Your request could not be queued and nothing was reserved; retry shortly.", unavailableRetryAfter);
    }

    private IssueRequestAccepted accepted(RequestId requestId) {
        metrics.answered(IssueOutcome.ACCEPTED);
        return IssueRequestAccepted.pending(requestId.toString(), requestId.couponId());
    }

    private RuntimeException unavailableIfRedisDown(RuntimeException failure) {
        if (!RedisFailures.isUnavailable(failure)) {
            return failure;
        }
        log.warn("Redis unavailable on the rush path: {}", failure.toString());
        metrics.answered(IssueOutcome.UNAVAILABLE);
        return new RetryLaterException(ErrorCode.UNAVAILABLE, "Coupon state is unreachable right now; retry shortly.",
                unavailableRetryAfter);
    }

    private CouponException refusal(long couponId, PrecheckResult result) {
        ErrorCode code = result.outcome().refusal().orElseThrow();
        return switch (result.outcome()) {
            case DUPLICATE_REQUEST -> new CouponException(code, "You already requested coupon " + couponId + ".",
                    Map.of("requestId", result.requestId()));
            case COUPON_NOT_FOUND -> new CouponException(code, "Coupon " + couponId + " does not exist.");
            case ISSUANCE_NOT_STARTED -> new CouponException(code, "Issuance of coupon " + couponId + " has not started.");
            case ISSUANCE_ENDED -> new CouponException(code, "Issuance of coupon " + couponId + " has ended.");
            case COUPON_PAUSED -> new CouponException(code, "Issuance of coupon " + couponId + " is paused.");
            case SOLD_OUT -> new CouponException(code, "Coupon " + couponId + " is sold out.");
            case RATE_LIMITED -> new RetryLaterException(code, "Too many requests for coupon " + couponId
                    + "; wait before asking again.", Duration.ofMillis(Math.max(1, result.retryAfterMillis())));
            case LOCKED -> new RetryLaterException(code, "Another request of yours for this coupon is in progress.",
                    busyRetryAfter);
            case ACCEPTED -> throw new IllegalArgumentException("not a refusal");
        };
    }
}
