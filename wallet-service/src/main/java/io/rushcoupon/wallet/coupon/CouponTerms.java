package io.rushcoupon.wallet.coupon;

import java.math.BigDecimal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.jspecify.annotations.Nullable;

import io.rushcoupon.common.coupon.CouponType;

/** The terms of a coupon the admin published, read only: the wallet never writes the coupon row. */
@Entity
@Immutable
@Table(name = "coupon")
public class CouponTerms {

    @Id
    private Long id;

    private String code;

    private String name;

    @Enumerated(EnumType.STRING)
    private CouponType type;

    @Column(name = "discount_value")
    private BigDecimal discountValue;

    @Column(name = "max_discount_amount")
    private @Nullable BigDecimal maxDiscountAmount;

    @Column(name = "min_order_amount")
    private @Nullable BigDecimal minOrderAmount;

    protected CouponTerms() {
        // for JPA
    }

    public long id() {
        return id;
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
}
