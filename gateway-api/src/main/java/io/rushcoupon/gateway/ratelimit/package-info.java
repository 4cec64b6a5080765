/** Settings of the per-user, per-coupon rate limit that the pre-check script counts in Redis. */
@NullMarked
package io.rushcoupon.gateway.ratelimit;

import org.jspecify.annotations.NullMarked;
