package io.rushcoupon.wallet.redemption;

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
 * An order id: 1 to {@link #MAX} characters, no control character and no unpaired surrogate (not
 * text: PostgreSQL would store a {@code ?} for it, as admin-service's CouponConstraints explains);
 * {@code null} passes ({@code @NotNull} says so). The length is checked before any character is read.
 */
@Documented
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = OrderId.Validator.class)
@interface OrderId {

    /** coupon_redemption.order_id is VARCHAR(64). */
    int MAX = 64;

    String message() default "must be 1 to " + MAX + " characters, without control characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<OrderId, String> {

        @Override
        public boolean isValid(String orderId, ConstraintValidatorContext context) {
            if (orderId == null) {
                return true;
            }
            if (orderId.isEmpty() || orderId.length() > MAX) {
                return false;
            }
            return orderId.codePoints().noneMatch(point -> Character.getType(point) == Character.CONTROL
                    || Character.getType(point) == Character.SURROGATE);
        }
    }
}
