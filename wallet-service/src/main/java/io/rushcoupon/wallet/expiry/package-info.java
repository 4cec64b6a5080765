/** The leader-run job that marks coupons past their expiresAt EXPIRED, in bounded batches. */
@NullMarked
package io.rushcoupon.wallet.expiry;

import org.jspecify.annotations.NullMarked;
