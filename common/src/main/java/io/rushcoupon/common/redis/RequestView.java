package io.rushcoupon.common.redis;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.issue.RequestId;

/** One issue request as Redis has it. */
public record RequestView(
        RequestId requestId,
        long userId,
        IssueStatus status,
        @Nullable String reason,
        @Nullable Instant requestedAt,
        @Nullable Instant issuedAt,
        @Nullable String email,
        @Nullable String username) {
}
