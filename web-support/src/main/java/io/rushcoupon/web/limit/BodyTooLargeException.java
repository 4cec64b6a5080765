package io.rushcoupon.web.limit;

import java.io.IOException;

/**
 * A body without a declared length grew past the limit while being read. An {@link IOException},
 * so it reaches the problem-details advice inside the message converter's failure.
 */
public final class BodyTooLargeException extends IOException {

    public BodyTooLargeException(long limit) {
        super("request body larger than " + limit + " bytes", null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // an answer to bad input, not a bug
        return this;
    }
}
