/** A user's coupon figures: what was issued to them, what stands redeemed, what expired, what was given off. */
@NullMarked
package io.rushcoupon.wallet.stats;

import org.jspecify.annotations.NullMarked;
