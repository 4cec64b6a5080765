package io.rushcoupon.admin.issuance;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.common.coupon.IssuanceStatus;

/**
 * The issuance rows of one coupon, aggregated at one instant.
 *
 * @param issued        number of rows
 * @param redeemed      rows REDEEMED (a cancelled redemption made its row AVAILABLE again)
 * @param expired       rows that read EXPIRED at that instant ({@link IssuanceStatus})
 * @param firstIssuedAt earliest issuedAt, null without rows
 * @param lastIssuedAt  latest issuedAt, null without rows
 */
public record IssuanceSummary(long issued, long redeemed, long expired, @Nullable Instant firstIssuedAt,
        @Nullable Instant lastIssuedAt) {
}
