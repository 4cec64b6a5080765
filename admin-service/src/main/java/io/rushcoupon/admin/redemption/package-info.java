/** Reading the redemptions of coupons, which the wallet writes: the paged listing and the discount given. */
@NullMarked
package io.rushcoupon.admin.redemption;

import org.jspecify.annotations.NullMarked;
