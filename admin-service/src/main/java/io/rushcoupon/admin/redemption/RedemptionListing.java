package io.rushcoupon.admin.redemption;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

import io.rushcoupon.admin.coupon.Coupons;
import io.rushcoupon.web.page.PageResponse;

/** A page of a coupon's redemptions. */
@Service
class RedemptionListing {

    private final Coupons coupons;
    private final Redemptions redemptions;

    RedemptionListing(Coupons coupons, Redemptions redemptions) {
        this.coupons = coupons;
        this.redemptions = redemptions;
    }

    /** One snapshot for the rows and the total, so they agree while the wallet writes. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public PageResponse<Redemption> page(long couponId, int page, int size) {
        coupons.requireExists(couponId);
        return PageResponse.of(redemptions.page(couponId, page, size), page, size, redemptions.count(couponId));
    }
}
