package io.rushcoupon.harness.chaos;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What PostgreSQL and Redis say about a run's coupon once it settled (or the settle wait ran
 * out). Times of rows are on the run's clock ({@link History#at}).
 *
 * @param redisRemaining {@code null} when Redis has no such coupon
 * @param settled        whether nothing was pending and Redis matched PostgreSQL before the wait ran out
 * @param rejections     the worker's durable rejections (table {@code issue_rejection}); empty while the worker writes none
 */
public record FinalState(int total, int databaseRemaining, @Nullable Integer redisRemaining, int pending,
        boolean settled, List<IssuedRow> rows, List<RejectedRow> rejections) {

    /** The figures, with the rows counted rather than listed. */
    public String withoutRows() {
        return "total %d, PostgreSQL remaining %d, Redis remaining %s, pending %d, settled %s, %d rows, %d rejections"
                .formatted(total, databaseRemaining, redisRemaining, pending, settled, rows.size(), rejections.size());
    }

    /** A {@code coupon_issuance} row. */
    public record IssuedRow(String requestId, long user, long issuedAt) {
    }

    /** An {@code issue_rejection} row. */
    public record RejectedRow(String requestId, long user, String reason, long rejectedAt) {
    }
}
