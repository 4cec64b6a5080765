/**
 * {@code Idempotency-Key}s of a user's requests in PostgreSQL: the first request claims its key in a
 * transaction of its own, its answer is stored in the transaction that makes it take effect, and a
 * repeat gets that answer again. Kept for a retention, then purged by the leader.
 */
@NullMarked
package io.rushcoupon.wallet.idempotency;

import org.jspecify.annotations.NullMarked;
