package io.rushcoupon.admin.coupon;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.regex.Pattern;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A coupon's display name: 1 to {@link CouponConstraints#NAME_MAX} characters matching
 * {@link CouponConstraints#NAME_PATTERN}; {@code null} passes (a PATCH that leaves the name). One
 * constraint instead of {@code @Size} beside {@code @Pattern}: bean validation runs every constraint
 * of a field in no fixed order, so the pattern would see a name of any length the body limit lets
 * through; here the length is checked first.
 */
@Documented
@Target({ElementType.METHOD, ElementType.FIELD, ElementType.ANNOTATION_TYPE, ElementType.CONSTRUCTOR,
        ElementType.PARAMETER, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = CouponName.Validator.class)
@interface CouponName {

    String message() default "must be 1 to " + CouponConstraints.NAME_MAX
            + " characters, with a visible character and no control characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<CouponName, String> {

        private static final Pattern NAME = Pattern.compile(CouponConstraints.NAME_PATTERN);

        @Override
        public boolean isValid(String name, ConstraintValidatorContext context) {
            if (name == null) {
                return true;
            }
            return !name.isEmpty() && name.length() <= CouponConstraints.NAME_MAX && NAME.matcher(name).matches();
        }
    }
}
