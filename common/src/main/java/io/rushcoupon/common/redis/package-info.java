/** A coupon's state in Redis: the key scheme, the Lua scripts beside these classes and their typed client. */
@NullMarked
package io.rushcoupon.common.redis;

import org.jspecify.annotations.NullMarked;
