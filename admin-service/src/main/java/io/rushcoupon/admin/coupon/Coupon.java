package io.rushcoupon.admin.coupon;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.common.coupon.CouponType;
import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.coupon.CouponStatus;
import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.redis.CouponSnapshot;

/**
 * A coupon row. The worker decrements {@code remainingQuantity} with plain SQL that also bumps
 * {@code version}; every change made here goes through the JPA {@link Version} check, so an admin
 * change never overwrites stock the worker has just taken.
 */
@Entity
@Table(name = "coupon")
public class Coupon {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, updatable = false, length = 64)
    private String code;

    @Column(nullable = false, length = 200)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private CouponType type;

    @Column(name = "discount_value", nullable = false, precision = 12, scale = 2)
    private BigDecimal discountValue;

    @Column(name = "max_discount_amount", precision = 12, scale = 2)
    private @Nullable BigDecimal maxDiscountAmount;

    @Column(name = "min_order_amount", precision = 12, scale = 2)
    private @Nullable BigDecimal minOrderAmount;

    @Column(name = "total_quantity", nullable = false)
    private int totalQuantity;

    @Column(name = "remaining_quantity", nullable = false)
    private int remainingQuantity;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private CouponState state;

    @Column(name = "issue_starts_at", nullable = false)
    private Instant issueStartsAt;

    @Column(name = "issue_ends_at", nullable = false)
    private Instant issueEndsAt;

    @Column(name = "valid_days")
    private @Nullable Integer validDays;

    @Column(name = "valid_until")
    private @Nullable Instant validUntil;

    @Version
    @Column(nullable = false)
    private long version;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Coupon() {
        // for JPA
    }

    static Coupon create(CreateCouponRequest request, Instant now) {
        Coupon coupon = new Coupon();
        coupon.code = request.code();
        coupon.name = request.name();
        coupon.type = request.type();
        coupon.discountValue = request.discountValue();
        coupon.maxDiscountAmount = request.maxDiscountAmount();
        coupon.minOrderAmount = request.minOrderAmount();
        coupon.totalQuantity = request.totalQuantity();
        coupon.remainingQuantity = request.totalQuantity();
        coupon.state = CouponState.ACTIVE;
        coupon.issueStartsAt = toMillis(request.issueStartsAt());
        coupon.issueEndsAt = toMillis(request.issueEndsAt());
        coupon.validDays = request.validDays();
        coupon.validUntil = toMicros(request.validUntil());
        coupon.createdAt = toMicros(now);
        coupon.updatedAt = coupon.createdAt;
        return coupon;
    }

    /**
     * Applies a partial update. Quantity: the remaining stock moves by the change of the total, so
     * units already issued stay issued; a total below them is refused.
     */
    void update(UpdateCouponRequest update, Instant now) {
        if (update.validDays() != null && update.validUntil() != null) {
            throw CouponRequestProblems.invalid(Map.of(
                    "validDays", "give exactly one of validDays and validUntil",
                    "validUntil", "give exactly one of validDays and validUntil"));
        }
        boolean changed = false;
        if (update.name() != null && !update.name().equals(name)) {
            name = update.name();
            changed = true;
        }
        if (update.type() != null && update.type() != type) {
            type = update.type();
            changed = true;
        }
        if (update.discountValue() != null && update.discountValue().compareTo(discountValue) != 0) {
            discountValue = update.discountValue();
            changed = true;
        }
        if (update.maxDiscountAmount() != null
                && (maxDiscountAmount == null || update.maxDiscountAmount().compareTo(maxDiscountAmount) != 0)) {
            maxDiscountAmount = update.maxDiscountAmount();
            changed = true;
        }
        if (update.minOrderAmount() != null && !sameAmount(update.minOrderAmount().orElse(null), minOrderAmount)) {
            minOrderAmount = update.minOrderAmount().orElse(null);
            changed = true;
        }
        if (update.issueStartsAt() != null && !toMillis(update.issueStartsAt()).equals(issueStartsAt)) {
            issueStartsAt = toMillis(update.issueStartsAt());
            changed = true;
        }
        if (update.issueEndsAt() != null && !toMillis(update.issueEndsAt()).equals(issueEndsAt)) {
            issueEndsAt = toMillis(update.issueEndsAt());
            changed = true;
        }
        if (update.validDays() != null && !update.validDays().equals(validDays)) {
            validDays = update.validDays();
            validUntil = null;
            changed = true;
        }
        if (update.validUntil() != null && !toMicros(update.validUntil()).equals(validUntil)) {
            validUntil = toMicros(update.validUntil());
            validDays = null;
            changed = true;
        }
        var violations = CouponRules.check(terms());
        if (!violations.isEmpty()) {
            throw CouponRequestProblems.invalid(violations);
        }
        if (update.totalQuantity() != null && update.totalQuantity() != totalQuantity) {
            int newRemaining = remainingQuantity + (update.totalQuantity() - totalQuantity);
            if (newRemaining < 0) {
                throw new CouponException(ErrorCode.QUANTITY_BELOW_ISSUED,
                        "Coupon " + id + " has " + issuedQuantity() + " units issued; the total cannot be "
                                + update.totalQuantity() + ".",
                        Map.of("issued", issuedQuantity(), "requestedTotal", update.totalQuantity()));
            }
            totalQuantity = update.totalQuantity();
            remainingQuantity = newRemaining;
            changed = true;
        }
        if (changed) {
            updatedAt = toMicros(now);
        }
    }

    void pause(Instant now) {
        requireNotClosed("paused");
        changeState(CouponState.PAUSED, now);
    }

    void resume(Instant now) {
        requireNotClosed("resumed");
        changeState(CouponState.ACTIVE, now);
    }

    /** Closing is final: a closed coupon is never issued again. */
    void close(Instant now) {
        changeState(CouponState.CLOSED, now);
    }

    /**
     * 409 COUPON_ACTIVE unless nobody can be admitted for the coupon any more: paused, closed, or its
     * window over. A delete needs that, or a request admitted meanwhile would outlive its coupon.
     */
    void requireStopped(Instant now) {
        if (state == CouponState.ACTIVE && now.isBefore(issueEndsAt)) {
            throw new CouponException(ErrorCode.COUPON_ACTIVE,
                    "Coupon " + id + " may still admit requests (its window ends " + issueEndsAt
                            + "); pause or close it first.");
        }
    }

    private void requireNotClosed(String action) {
        if (state == CouponState.CLOSED) {
            // ISSUANCE_ENDED: closing ended issuance for good; no code of its own is needed
            throw new CouponException(ErrorCode.ISSUANCE_ENDED,
                    "Coupon " + id + " is closed; a closed coupon cannot be " + action + ".");
        }
    }

    private void changeState(CouponState next, Instant now) {
        if (state != next) {
            state = next;
            updatedAt = toMicros(now);
        }
    }

    CouponTerms terms() {
        return new CouponTerms(type, discountValue, issueStartsAt, issueEndsAt, validDays, validUntil);
    }

    public CouponSnapshot snapshot() {
        return new CouponSnapshot(id, name, state, issueStartsAt, issueEndsAt, totalQuantity, remainingQuantity);
    }

    public CouponStatus statusAt(Instant now) {
        return CouponStatus.derive(state, issueStartsAt, issueEndsAt, remainingQuantity, now);
    }

    /** Units taken from the stock in PostgreSQL: one per issuance row the worker committed. */
    public int issuedQuantity() {
        return totalQuantity - remainingQuantity;
    }

    /** By value: 5 and 5.00 are the same amount. */
    private static boolean sameAmount(@Nullable BigDecimal a, @Nullable BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    /** Redis keeps the window in epoch milliseconds; keeping it so here makes both agree exactly. */
    private static Instant toMillis(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }

    /** PostgreSQL keeps microseconds; an answer should show what a later read will show. */
    private static @Nullable Instant toMicros(@Nullable Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    public long id() {
        return Objects.requireNonNull(id, "not persisted yet");
    }

    public String code() {
        return code;
    }

    public String name() {
        return name;
    }

    public CouponType type() {
        return type;
    }

    public BigDecimal discountValue() {
        return discountValue;
    }

    public @Nullable BigDecimal maxDiscountAmount() {
        return maxDiscountAmount;
    }

    public @Nullable BigDecimal minOrderAmount() {
        return minOrderAmount;
    }

    public int totalQuantity() {
        return totalQuantity;
    }

    public int remainingQuantity() {
        return remainingQuantity;
    }

    public CouponState state() {
        return state;
    }

    public Instant issueStartsAt() {
        return issueStartsAt;
    }

    public Instant issueEndsAt() {
        return issueEndsAt;
    }

    public @Nullable Integer validDays() {
        return validDays;
    }

    public @Nullable Instant validUntil() {
        return validUntil;
    }

    public long version() {
        return version;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
