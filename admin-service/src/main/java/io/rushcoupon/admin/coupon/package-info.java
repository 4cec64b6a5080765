/** Creating, changing, listing and deleting coupons in PostgreSQL, and publishing each committed change to Redis. */
@NullMarked
package io.rushcoupon.admin.coupon;

import org.jspecify.annotations.NullMarked;
