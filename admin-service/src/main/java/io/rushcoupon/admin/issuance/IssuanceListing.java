package io.rushcoupon.admin.issuance;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

import io.rushcoupon.admin.coupon.Coupons;
import io.rushcoupon.web.page.PageResponse;

/** A page of a coupon's issuance rows. */
@Service
class IssuanceListing {

    private final Coupons coupons;
    private final Issuances issuances;

    IssuanceListing(Coupons coupons, Issuances issuances) {
        this.coupons = coupons;
        this.issuances = issuances;
    }

    /** One snapshot for the rows and the total, so they agree while the worker inserts. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public PageResponse<Issuance> page(long couponId, int page, int size) {
        coupons.requireExists(couponId);
        return PageResponse.of(issuances.page(couponId, page, size), page, size,
                issuances.count(couponId));
    }
}
