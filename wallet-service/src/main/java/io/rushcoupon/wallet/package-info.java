/**
 * The wallet service: a user's coupons after the rush. Listing, redemption against an order,
 * cancellation, expiry and per-user statistics, on PostgreSQL alone (it is the truth; Redis holds
 * only the rush's state).
 */
@NullMarked
package io.rushcoupon.wallet;

import org.jspecify.annotations.NullMarked;
