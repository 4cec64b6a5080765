/** A redis-server process of the harness's own, and short-lived clients of a stack's Redis. */
@NullMarked
package io.rushcoupon.harness.redis;

import org.jspecify.annotations.NullMarked;
