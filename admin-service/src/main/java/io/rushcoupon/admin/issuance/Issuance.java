package io.rushcoupon.admin.issuance;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** One issuance row: a user holds a unit of a coupon. */
record Issuance(long id, long userId, String requestId, Instant issuedAt, Instant expiresAt,
        @Nullable Instant redeemedAt) {
}
