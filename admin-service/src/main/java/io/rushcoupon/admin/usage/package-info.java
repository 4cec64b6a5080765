/** One user's coupon usage across all coupons: what the wallet shows the user, plus per coupon. */
@NullMarked
package io.rushcoupon.admin.usage;

import org.jspecify.annotations.NullMarked;
