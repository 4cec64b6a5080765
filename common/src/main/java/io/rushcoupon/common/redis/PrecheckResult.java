package io.rushcoupon.common.redis;

import org.jspecify.annotations.Nullable;

/**
 * The pre-check's decision.
 *
 * @param outcome   accepted, or why not
 * @param requestId the accepted request's id, or for {@link PrecheckOutcome#DUPLICATE_REQUEST}
 *                  the user's earlier one; otherwise {@code null}
 * @param remaining stock left in Redis after the decision, -1 when the coupon is unknown
 */
public record PrecheckResult(PrecheckOutcome outcome, @Nullable String requestId, long remaining) {

    public boolean accepted() {
        return outcome == PrecheckOutcome.ACCEPTED;
    }
}
