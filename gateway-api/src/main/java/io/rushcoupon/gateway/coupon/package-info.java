/** The public, token-free view of a coupon, read from Redis. */
@NullMarked
package io.rushcoupon.gateway.coupon;

import org.jspecify.annotations.NullMarked;
