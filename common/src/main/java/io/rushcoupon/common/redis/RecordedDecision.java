package io.rushcoupon.common.redis;

import java.time.Instant;

/**
 * A final status as PostgreSQL records it (an issuance or a rejection row), with when it was
 * decided: a restored status hash lives as long as the worker's would have from then on.
 */
public record RecordedDecision(FinalStatus status, Instant decidedAt) {
}
