package io.rushcoupon.gateway.issue;

/** What became of an event handed to Kafka, as far as the gateway can know within its timeout. */
enum SendOutcome {
    /** Acknowledged by the brokers (acks=all). */
    ACKED,
    /** Definitely not written: the admission in Redis must be undone. */
    NOT_SENT,
    /** Maybe written: keep the request pending; the reconciler re-sends it if it never arrives. */
    AMBIGUOUS
}
