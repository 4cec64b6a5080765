package io.rushcoupon.worker.issuance;

/** The coupon row changed between reading its stock and taking from it; the transaction rolls back. */
class VersionConflictException extends RuntimeException {

    VersionConflictException(long couponId, long version) {
        super("coupon " + couponId + " is no longer at version " + version);
    }
}
