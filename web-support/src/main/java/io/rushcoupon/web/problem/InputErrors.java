package io.rushcoupon.web.problem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.method.annotation.HandlerMethodValidationException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Names the offending field of bad input in the {@code errors} list of a VALIDATION_FAILED problem
 * ({@code {field, message}} entries), also where Spring could not even bind the input: a
 * non-numeric id, an unknown enum value, an unknown JSON field, a body's errors reported through
 * method validation.
 */
final class InputErrors {

    private InputErrors() {
    }

    static Map<String, Object> error(String field, String message) {
        return Map.of("field", field, "message", message);
    }

    static List<Map<String, Object>> of(HandlerMethodValidationException exception) {
        List<Map<String, Object>> errors = new ArrayList<>();
        for (ParameterValidationResult result : exception.getParameterValidationResults()) {
            if (result instanceof ParameterErrors bean) {
                bean.getFieldErrors().forEach(error ->
                        errors.add(error(error.getField(), String.valueOf(error.getDefaultMessage()))));
                bean.getGlobalErrors().forEach(error ->
                        errors.add(error(error.getObjectName(), String.valueOf(error.getDefaultMessage()))));
            } else {
                String name = result.getMethodParameter().getParameterName();
                result.getResolvableErrors().forEach(error -> errors.add(
                        error(name == null ? "argument" : name, String.valueOf(error.getDefaultMessage()))));
            }
        }
        return errors;
    }

    /** The field a JSON body failed at, or empty when the body is not JSON at all. */
    static List<Map<String, Object>> of(@Nullable Throwable cause) {
        if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
            String field = jackson.getPath().stream()
                    .map(reference -> reference.getPropertyName() != null ? reference.getPropertyName()
                            : "[" + reference.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            return List.of(error(field, message(jackson)));
        }
        return List.of();
    }

    private static String message(JacksonException exception) {
        if (exception instanceof UnrecognizedPropertyException) {
            return "is not a known field";
        }
        if (exception instanceof InvalidFormatException format) {
            return expectation(format.getTargetType());
        }
        if (exception instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return expectation(mismatch.getTargetType());
        }
        return "has an invalid value";
    }

    static String expectation(@Nullable Class<?> type) {
        if (type == null) {
            return "has an invalid value";
        }
        if (type.isEnum()) {
            return "must be one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "must be a number";
        }
        if (type == Instant.class) {
            return "must be an ISO-8601 instant, e.g. 2030-01-01T00:00:00Z";
        }
        return "must be a " + type.getSimpleName();
    }
}
