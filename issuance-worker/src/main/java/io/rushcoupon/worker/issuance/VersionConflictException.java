package io.rushcoupon.worker.issuance;

/**
 * Another decider changed the coupon between this transaction's read and its commit (the coupon
 * row's version moved, or a request was rejected concurrently); the transaction rolls back.
 */
class VersionConflictException extends RuntimeException {

    VersionConflictException(long couponId, long version) {
        this(couponId, "it is no longer at version " + version);
    }

    VersionConflictException(long couponId, String what) {
        super("coupon " + couponId + ": " + what);
    }
}
