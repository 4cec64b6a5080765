/** The leader-run reconciler (Redis rebuilt from PostgreSQL, stuck requests re-sent) and pending gauges. */
@NullMarked
package io.rushcoupon.worker.reconcile;

import org.jspecify.annotations.NullMarked;
