package io.rushcoupon.admin.coupon;

import java.time.Instant;

import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;

import org.springframework.data.jpa.domain.Specification;

import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.coupon.CouponStatus;

/**
 * {@link CouponStatus#derive} as SQL, so a listing filtered by status is filtered and paged by
 * PostgreSQL. The branches follow derive's order: closed wins over sold out, sold out over
 * paused, and only an active coupon in its window with stock is open.
 */
public final class CouponStatusSpecifications {

    private CouponStatusSpecifications() {
    }

    public static Specification<Coupon> withStatus(CouponStatus status, Instant now) {
        return (root, query, cb) -> switch (status) {
            case CLOSED -> closed(root, cb, now);
            case SOLD_OUT -> cb.and(cb.not(closed(root, cb, now)), soldOut(root, cb));
            case PAUSED -> cb.and(cb.not(closed(root, cb, now)), cb.not(soldOut(root, cb)),
                    cb.equal(root.get("state"), CouponState.PAUSED));
            case SCHEDULED -> cb.and(activeWithStock(root, cb, now),
                    cb.greaterThan(root.<Instant>get("issueStartsAt"), now));
            case OPEN -> cb.and(activeWithStock(root, cb, now),
                    cb.lessThanOrEqualTo(root.<Instant>get("issueStartsAt"), now));
        };
    }

    private static Predicate closed(Root<Coupon> root, CriteriaBuilder cb, Instant now) {
        return cb.or(cb.equal(root.get("state"), CouponState.CLOSED),
                cb.lessThanOrEqualTo(root.<Instant>get("issueEndsAt"), now));
    }

    private static Predicate soldOut(Root<Coupon> root, CriteriaBuilder cb) {
        return cb.lessThanOrEqualTo(root.<Integer>get("remainingQuantity"), 0);
    }

    /** Not closed, not sold out, not paused: what is left is SCHEDULED or OPEN by the start. */
    private static Predicate activeWithStock(Root<Coupon> root, CriteriaBuilder cb, Instant now) {
        return cb.and(cb.equal(root.get("state"), CouponState.ACTIVE),
                cb.greaterThan(root.<Instant>get("issueEndsAt"), now),
                cb.greaterThan(root.<Integer>get("remainingQuantity"), 0));
    }
}
