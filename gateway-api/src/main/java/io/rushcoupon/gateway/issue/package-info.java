/** Asking for a coupon: per-user lock, the atomic Lua pre-check, the Kafka send and its compensation. */
@NullMarked
package io.rushcoupon.gateway.issue;

import org.jspecify.annotations.NullMarked;
