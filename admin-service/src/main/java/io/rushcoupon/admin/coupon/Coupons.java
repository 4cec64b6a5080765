package io.rushcoupon.admin.coupon;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;

/** All coupons; query by derived status with {@link CouponStatusSpecifications}. */
public interface Coupons extends JpaRepository<Coupon, Long>, JpaSpecificationExecutor<Coupon> {

    /** Deletes the coupon's issue_rejection rows (no foreign key holds them to the coupon). */
    @Modifying
    @Query(value = "DELETE FROM issue_rejection WHERE coupon_id = :couponId", nativeQuery = true)
    int deleteRejections(@Param("couponId") long couponId);

    /** The coupon, or a 404 {@code COUPON_NOT_FOUND}. */
    default Coupon require(long couponId) {
        return findById(couponId).orElseThrow(() -> notFound(couponId));
    }

    /** 404 {@code COUPON_NOT_FOUND} unless the coupon exists. */
    default void requireExists(long couponId) {
        if (!existsById(couponId)) {
            throw notFound(couponId);
        }
    }

    static CouponException notFound(long couponId) {
        return new CouponException(ErrorCode.COUPON_NOT_FOUND, "Coupon " + couponId + " does not exist.");
    }
}
