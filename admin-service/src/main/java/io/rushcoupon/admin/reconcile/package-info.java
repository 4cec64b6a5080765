/** Rebuilding one coupon's Redis state from PostgreSQL on an admin's request. */
@NullMarked
package io.rushcoupon.admin.reconcile;

import org.jspecify.annotations.NullMarked;
