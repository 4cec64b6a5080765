package io.rushcoupon.wallet.coupon;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.common.coupon.IssuanceStatus;

/**
 * One coupon a user holds: the row the worker wrote when it issued the unit. The wallet changes
 * only its status (through the conditional updates of {@link Issuances}, never a read-modify-write
 * of this object: PostgreSQL is the fence between two devices).
 */
@Entity
@Table(name = "coupon_issuance")
public class Issuance {

    @Id
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "coupon_id", updatable = false, insertable = false)
    private CouponTerms coupon;

    @Column(name = "user_id", updatable = false, insertable = false)
    private long userId;

    @Column(name = "issued_at", updatable = false, insertable = false)
    private Instant issuedAt;

    @Column(name = "expires_at", updatable = false, insertable = false)
    private Instant expiresAt;

    @Enumerated(EnumType.STRING)
    private IssuanceStatus status;

    @Column(name = "redeemed_at")
    private @Nullable Instant redeemedAt;

    @Column(name = "expired_at")
    private @Nullable Instant expiredAt;

    protected Issuance() {
        // for JPA
    }

    public long id() {
        return id;
    }

    public CouponTerms coupon() {
        return coupon;
    }

    public long userId() {
        return userId;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** The stored status, as the last writer left it; see {@link #statusAt}. */
    public IssuanceStatus storedStatus() {
        return status;
    }

    /** The status a user sees at {@code now}. */
    public IssuanceStatus statusAt(Instant now) {
        return status.at(now, expiresAt);
    }

    public @Nullable Instant redeemedAt() {
        return redeemedAt;
    }

    public @Nullable Instant expiredAt() {
        return expiredAt;
    }
}
