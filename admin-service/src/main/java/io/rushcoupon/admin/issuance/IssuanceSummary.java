package io.rushcoupon.admin.issuance;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The issuance rows of one coupon, aggregated.
 *
 * @param issued        number of rows
 * @param firstIssuedAt earliest issuedAt, null without rows
 * @param lastIssuedAt  latest issuedAt, null without rows
 */
public record IssuanceSummary(long issued, @Nullable Instant firstIssuedAt, @Nullable Instant lastIssuedAt) {
}
