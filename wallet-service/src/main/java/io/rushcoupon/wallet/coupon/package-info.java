/**
 * A user's issued coupons as the wallet sees them: the issuance row the worker wrote, the coupon's
 * terms, and the status derived from both at a given instant.
 */
@NullMarked
package io.rushcoupon.wallet.coupon;

import org.jspecify.annotations.NullMarked;
