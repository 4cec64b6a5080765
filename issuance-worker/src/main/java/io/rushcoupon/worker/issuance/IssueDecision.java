package io.rushcoupon.worker.issuance;

import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.redis.FinalStatus;

/**
 * What the worker decided for one request.
 *
 * @param replay {@code true} when the request had been decided and committed before (a redelivered
 *               record or a re-sent event): nothing changed now
 */
record IssueDecision(IssueRequested request, FinalStatus status, boolean replay) {
}
