package io.rushcoupon.admin.coupon;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.common.coupon.CouponType;

/**
 * The rules of a coupon that span fields: percentage at most 100, the window's end after its
 * start, exactly one kind of validity, and {@code validUntil} after the window. One place for
 * them, used by bean validation of a new coupon and by the service on a PATCH's merged result.
 */
final class CouponRules {

    static final BigDecimal MAX_PERCENTAGE = BigDecimal.valueOf(100);
    /** Instants outside this range are typos, and PostgreSQL or epoch milliseconds would choke on some. */
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    record Violation(String field, String message) {
    }

    private CouponRules() {
    }

    static List<Violation> check(CouponTerms terms) {
        List<Violation> violations = new ArrayList<>();
        if (terms.type() == CouponType.PERCENTAGE && terms.discountValue() != null
                && terms.discountValue().compareTo(MAX_PERCENTAGE) > 0) {
            violations.add(new Violation("discountValue", "must be at most 100 for a PERCENTAGE coupon"));
        }
        inRange(violations, "issueStartsAt", terms.issueStartsAt());
        inRange(violations, "issueEndsAt", terms.issueEndsAt());
        inRange(violations, "validUntil", terms.validUntil());
        if (terms.issueStartsAt() != null && terms.issueEndsAt() != null
                && !terms.issueEndsAt().isAfter(terms.issueStartsAt())) {
            violations.add(new Violation("issueEndsAt", "must be after issueStartsAt"));
        }
        if ((terms.validDays() == null) == (terms.validUntil() == null)) {
            String message = "give exactly one of validDays and validUntil";
            violations.add(new Violation("validDays", message));
            violations.add(new Violation("validUntil", message));
        } else if (terms.validUntil() != null && terms.issueEndsAt() != null
                && !terms.validUntil().isAfter(terms.issueEndsAt())) {
            violations.add(new Violation("validUntil", "must be after issueEndsAt"));
        }
        return violations;
    }

    private static void inRange(List<Violation> violations, String field, @Nullable Instant instant) {
        if (instant != null && (instant.isBefore(EARLIEST) || instant.isAfter(LATEST))) {
            violations.add(new Violation(field, "must be between " + EARLIEST + " and " + LATEST));
        }
    }
}
