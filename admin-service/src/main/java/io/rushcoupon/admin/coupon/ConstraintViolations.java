package io.rushcoupon.admin.coupon;

import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.ConstraintViolationException.ConstraintKind;

/**
 * Which database constraint refused a write. The database is the judge of uniqueness and of
 * references (a check-then-insert would race), so its answer is read, not predicted.
 */
final class ConstraintViolations {

    /** The unique key on coupon.code (V1__coupon_schema.sql). */
    static final String COUPON_CODE_UNIQUE = "coupon_code_uk";

    private ConstraintViolations() {
    }

    static boolean isUnique(Throwable failure, String constraint) {
        ConstraintViolationException violation = find(failure);
        return violation != null && violation.getKind() == ConstraintKind.UNIQUE
                && constraint.equalsIgnoreCase(violation.getConstraintName());
    }

    static boolean isForeignKey(Throwable failure) {
        ConstraintViolationException violation = find(failure);
        return violation != null && violation.getKind() == ConstraintKind.FOREIGN_KEY;
    }

    private static ConstraintViolationException find(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConstraintViolationException violation) {
                return violation;
            }
        }
        return null;
    }
}
