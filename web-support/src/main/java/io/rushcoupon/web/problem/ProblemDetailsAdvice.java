package io.rushcoupon.web.problem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;

/**
 * Every error a service answers is a problem detail with a stable {@code code}: the services'
 * own {@link CouponException}s, Spring MVC's errors (bad JSON, wrong types, validation), and a
 * last resort that logs the failure and answers without a stack trace.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(CouponException.class)
    ResponseEntity<ProblemDetail> couponException(CouponException exception) {
        ProblemDetail problem = Problems.of(exception.code(), exception.getMessage(), exception.properties());
        return ResponseEntity.status(exception.code().httpStatus()).body(problem);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception exception) {
        log.error("Unexpected failure", exception);
        ProblemDetail problem = Problems.of(ErrorCode.INTERNAL_ERROR, "The request could not be completed.");
        return ResponseEntity.internalServerError().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = new ArrayList<>();
        for (FieldError error : exception.getBindingResult().getFieldErrors()) {
            errors.add(Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())));
        }
        exception.getBindingResult().getGlobalErrors().forEach(error -> errors.add(
                Map.of("field", error.getObjectName(), "message", String.valueOf(error.getDefaultMessage()))));
        return validationFailed(errors, headers);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = new ArrayList<>();
        exception.getParameterValidationResults().forEach(result -> result.getResolvableErrors().forEach(error ->
                errors.add(Map.of("field", result.getMethodParameter().getParameterName() == null ? "argument"
                        : result.getMethodParameter().getParameterName(),
                        "message", String.valueOf(error.getDefaultMessage())))));
        return validationFailed(errors, headers);
    }

    private ResponseEntity<Object> validationFailed(List<Map<String, Object>> errors, HttpHeaders headers) {
        ProblemDetail problem = Problems.of(ErrorCode.VALIDATION_FAILED, "The request has invalid fields.",
                Map.of("errors", errors));
        return ResponseEntity.badRequest().headers(headers).body(problem);
    }

    /** Spring MVC's own errors (unreadable body, type mismatch, 404, 405, 415 …) get a code too. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception exception, @Nullable Object body,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(exception, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem
                && (problem.getProperties() == null || !problem.getProperties().containsKey(Problems.CODE))) {
            // keep Spring's precise title ("Method Not Allowed", …); add the shared code
            problem.setProperty(Problems.CODE, codeFor(status).name());
        }
        return response;
    }

    private static ErrorCode codeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 503 -> ErrorCode.UNAVAILABLE;
            default -> status.is4xxClientError() ? ErrorCode.VALIDATION_FAILED : ErrorCode.INTERNAL_ERROR;
        };
    }
}
