package io.rushcoupon.admin.coupon;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;

/**
 * A coupon's ETag is its version in quotes ({@code "3"}). {@code If-Match} must name it: a
 * PATCH without one would be a blind update, which the worker's concurrent stock changes make
 * dangerous, so it is refused with 428.
 */
final class ETags {

    private ETags() {
    }

    static String of(long version) {
        return "\"" + version + "\"";
    }

    /**
     * Checks {@code If-Match} against the current version: 428 when it is missing or {@code *}
     * (which names no version), 412 when none of its strong tags is the version. Weak tags never
     * match (RFC 9110 asks for strong comparison here).
     */
    static void requireMatch(@Nullable String ifMatch, long currentVersion) {
        requirePresent(ifMatch);
        for (String tag : ifMatch.split(",")) {
            if (tag.trim().equals(of(currentVersion))) {
                return;
            }
        }
        throw new CouponException(ErrorCode.VERSION_MISMATCH,
                "The coupon has changed since it was read; read it again and retry with its new ETag.");
    }

    /** 428 before any work when there is no version to check against. */
    static void requirePresent(@Nullable String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            throw new CouponException(ErrorCode.PRECONDITION_REQUIRED,
                    "Send If-Match with the ETag of the coupon as you last read it, e.g. If-Match: \"3\".");
        }
    }
}
