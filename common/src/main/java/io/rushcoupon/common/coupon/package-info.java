/** A coupon's admin state and the status users see, derived from that state, the issue window and the stock. */
@NullMarked
package io.rushcoupon.common.coupon;

import org.jspecify.annotations.NullMarked;
