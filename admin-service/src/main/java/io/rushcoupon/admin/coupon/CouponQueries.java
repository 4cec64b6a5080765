package io.rushcoupon.admin.coupon;

import java.time.Clock;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;

import io.rushcoupon.web.page.PageResponse;
import io.rushcoupon.common.coupon.CouponStatus;

/** Reading coupons; statuses are derived at one instant per answer. */
@Service
class CouponQueries {

    /** Newest first; the id breaks ties of coupons created in the same microsecond. */
    private static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"));

    private final Coupons coupons;
    private final Clock clock;

    CouponQueries(Coupons coupons, Clock clock) {
        this.coupons = coupons;
        this.clock = clock;
    }

    CouponResponse get(long couponId) {
        return CouponResponse.of(coupons.require(couponId), clock.instant());
    }

    PageResponse<CouponResponse> list(@Nullable CouponStatus status, int page, int size) {
        Instant now = clock.instant();
        Specification<Coupon> filter = status == null ? Specification.unrestricted()
                : CouponStatusSpecifications.withStatus(status, now);
        return PageResponse.of(coupons.findAll(filter, PageRequest.of(page, size, NEWEST_FIRST)),
                coupon -> CouponResponse.of(coupon, now));
    }
}
