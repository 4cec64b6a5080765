package io.rushcoupon.worker.issuance;

/**
 * A record that can never be issued, whatever the retries: it goes to the dead-letter topic at once.
 */
class InvalidIssueRequestException extends RuntimeException {

    InvalidIssueRequestException(String reason) {
        super(reason);
    }
}
