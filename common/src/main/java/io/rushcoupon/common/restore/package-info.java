/** Restores a coupon's Redis state (settings, stock, issued users and their statuses) from PostgreSQL, for the worker's reconciler and the admin's reconcile alike. */
@NullMarked
package io.rushcoupon.common.restore;

import org.jspecify.annotations.NullMarked;
