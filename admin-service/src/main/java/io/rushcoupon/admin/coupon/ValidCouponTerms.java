package io.rushcoupon.admin.coupon;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * The cross-field {@link CouponRules} as a bean-validation constraint, so a new coupon's request
 * reports all its problems, per field, in one 400.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ValidCouponTerms.Validator.class)
@interface ValidCouponTerms {

    String message() default "coupon terms are inconsistent";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<ValidCouponTerms, CreateCouponRequest> {

        @Override
        public boolean isValid(CreateCouponRequest request, ConstraintValidatorContext context) {
            if (request == null) {
                return true;
            }
            var violations = CouponRules.check(request.terms());
            if (violations.isEmpty()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            for (var violation : violations) {
                context.buildConstraintViolationWithTemplate(escape(violation.message()))
                        .addPropertyNode(violation.field())
                        .addConstraintViolation();
            }
            return false;
        }

        /** Messages are templates; ours are literal text. */
        private static String escape(String message) {
            return message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
        }
    }
}
