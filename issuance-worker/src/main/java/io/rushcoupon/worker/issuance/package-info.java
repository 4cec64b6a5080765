/** Issue requests from Kafka in batches: PostgreSQL transactions, final statuses in Redis, poison to the DLT. */
@NullMarked
package io.rushcoupon.worker.issuance;

import org.jspecify.annotations.NullMarked;
