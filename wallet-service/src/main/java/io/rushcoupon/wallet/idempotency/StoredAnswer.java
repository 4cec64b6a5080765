package io.rushcoupon.wallet.idempotency;

/**
 * The answer a request with an {@code Idempotency-Key} got, as stored with its key and sent again
 * to a repeat.
 *
 * @param status the HTTP status
 * @param body   the JSON body, exactly as first sent
 */
public record StoredAnswer(int status, String body) {
}
