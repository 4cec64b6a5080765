package io.rushcoupon.wallet.idempotency;

import java.time.Duration;

/** What became of a request with an {@code Idempotency-Key}. */
public sealed interface IdempotentOutcome {

    /**
     * @param replayed whether the answer is the stored one of an earlier request with this key
     *                 (nothing was done now)
     */
    record Answered(StoredAnswer answer, boolean replayed) implements IdempotentOutcome {
    }

    /** A request with this key is still running; its key is held until {@code retryAfter} from now. */
    record InProgress(Duration retryAfter) implements IdempotentOutcome {
    }

    /** The key was used by this user for another request (another fingerprint). */
    record KeyReused() implements IdempotentOutcome {
    }
}
