/** The admin service: coupon lifecycle, issuance listings, statistics and reconciliation for admins. */
@NullMarked
package io.rushcoupon.admin;

import org.jspecify.annotations.NullMarked;
