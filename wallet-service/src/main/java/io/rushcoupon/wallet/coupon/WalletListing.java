package io.rushcoupon.wallet.coupon;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

import io.rushcoupon.common.coupon.IssuanceStatus;
import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.web.page.PageResponse;

/**
 * A user's coupons as they stand at the time of the answer. One instant per answer, truncated to
 * PostgreSQL's microseconds, so the status the query filters on and the status each item shows are
 * derived from the same now.
 */
@Service
class WalletListing {

    private final Issuances issuances;
    private final Clock clock;

    WalletListing(Issuances issuances, Clock clock) {
        this.issuances = issuances;
        this.clock = clock;
    }

    /** One snapshot for the rows and the total, so they agree while the worker inserts and users redeem. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public PageResponse<WalletCoupon> page(long userId, @Nullable IssuanceStatus status, int page, int size) {
        Instant now = now();
        return PageResponse.of(issuances.page(userId, status, now, page, size), issuance -> WalletCoupon.of(issuance, now));
    }

    @Transactional(readOnly = true)
    public WalletCoupon one(long userId, long issuanceId) {
        Instant now = now();
        return issuances.findByIdAndUserId(issuanceId, userId)
                .map(issuance -> WalletCoupon.of(issuance, now))
                .orElseThrow(() -> new CouponException(ErrorCode.ISSUANCE_NOT_FOUND,
                        "No coupon " + issuanceId + " is in your wallet."));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
