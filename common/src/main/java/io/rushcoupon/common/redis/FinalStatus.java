package io.rushcoupon.common.redis;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.issue.RequestId;

/** The final state of a request the worker has decided, to record in Redis. */
public record FinalStatus(RequestId requestId, long userId, IssueStatus status,
        @Nullable ErrorCode reason, @Nullable Instant issuedAt) {

    public FinalStatus {
        Objects.requireNonNull(requestId, "requestId");
        if (status == IssueStatus.PENDING) {
            throw new IllegalArgumentException("a final status cannot be PENDING");
        }
        if (status == IssueStatus.ISSUED ? issuedAt == null : reason == null) {
            throw new IllegalArgumentException("ISSUED needs issuedAt, REJECTED needs a reason");
        }
    }

    public static FinalStatus issued(RequestId requestId, long userId, Instant issuedAt) {
        return new FinalStatus(requestId, userId, IssueStatus.ISSUED, null, issuedAt);
    }

    public static FinalStatus rejected(RequestId requestId, long userId, ErrorCode reason) {
        return new FinalStatus(requestId, userId, IssueStatus.REJECTED, reason, null);
    }
}
