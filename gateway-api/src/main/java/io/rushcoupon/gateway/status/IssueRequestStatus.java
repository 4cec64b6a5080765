package io.rushcoupon.gateway.status;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.redis.RequestView;

/** Where a user's request stands; {@code reason} is an error code name when REJECTED. */
record IssueRequestStatus(String requestId, long couponId, IssueStatus status, @Nullable String reason,
        @Nullable Instant issuedAt) {

    static IssueRequestStatus of(RequestView request) {
        return new IssueRequestStatus(request.requestId().toString(), request.requestId().couponId(),
                request.status(), request.reason(), request.issuedAt());
    }
}
