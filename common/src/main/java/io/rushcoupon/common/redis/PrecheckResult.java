package io.rushcoupon.common.redis;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The pre-check's decision.
 *
 * @param outcome   accepted, or why not
 * @param requestId the accepted request's id, or for {@link PrecheckOutcome#DUPLICATE_REQUEST}
 *                  the user's earlier one; otherwise {@code null}
 * @param remaining stock left in Redis after the decision, -1 when the coupon is unknown or the
 *                  request was rate limited
 * @param retryAfterMillis for {@link PrecheckOutcome#RATE_LIMITED}, how long until the user's rate
 *                  window ends; otherwise 0
 * @param acceptedAt for a request {@link CouponRedis#precheck} admitted, when by Redis's clock (its
 *                  pending score and requested-at); {@code null} for every other decision
 */
public record PrecheckResult(PrecheckOutcome outcome, @Nullable String requestId, long remaining,
        long retryAfterMillis, @Nullable Instant acceptedAt) {

    public PrecheckResult(PrecheckOutcome outcome, @Nullable String requestId, long remaining) {
        this(outcome, requestId, remaining, 0, null);
    }

    public boolean accepted() {
        return outcome == PrecheckOutcome.ACCEPTED;
    }
}
