package io.rushcoupon.common.redis;

/** Fields of the coupon hash ({@link CouponKeys#coupon()}). Times are epoch milliseconds. */
public enum CouponField {
    name,
    state,
    startsAt,
    endsAt,
    total,
    remaining;

    public String field() {
        return name();
    }
}
