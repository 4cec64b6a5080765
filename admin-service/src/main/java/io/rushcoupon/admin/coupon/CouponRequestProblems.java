package io.rushcoupon.admin.coupon;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;

/**
 * A 400 found after binding (on a PATCH's merged result) in the same shape bean validation
 * answers: {@code errors} of {@code {field, message}}.
 */
final class CouponRequestProblems {

    private CouponRequestProblems() {
    }

    static CouponException invalid(List<CouponRules.Violation> violations) {
        List<Map<String, Object>> errors = new ArrayList<>();
        for (var violation : violations) {
            errors.add(Map.of("field", violation.field(), "message", violation.message()));
        }
        return new CouponException(ErrorCode.VALIDATION_FAILED, "The request has invalid fields.",
                Map.of("errors", errors));
    }

    static CouponException invalid(Map<String, String> fieldMessages) {
        List<CouponRules.Violation> violations = new ArrayList<>();
        fieldMessages.forEach((field, message) -> violations.add(new CouponRules.Violation(field, message)));
        violations.sort((a, b) -> a.field().compareTo(b.field()));
        return invalid(violations);
    }
}
