/** A coupon's figures in PostgreSQL and Redis side by side, and the remaining-units gauge. */
@NullMarked
package io.rushcoupon.admin.stats;

import org.jspecify.annotations.NullMarked;
