package io.rushcoupon.web.problem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.web.WebProperties;
import io.rushcoupon.web.limit.BodyTooLargeException;

/**
 * Every error a service answers is a problem detail with a stable {@code code}: the services'
 * own {@link CouponException}s, Spring MVC's errors (bad JSON, wrong types, validation), and a
 * last resort that logs the failure and answers without a stack trace. Every 429 and 503 answer
 * carries {@code Retry-After}: a {@link RetryLaterException}'s own, otherwise
 * {@code rushcoupon.web.retry-after}.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    private final Duration retryAfter;

    public ProblemDetailsAdvice(WebProperties settings) {
        this.retryAfter = settings.retryAfter();
    }

    /** Public so a service's own advice can answer its exceptions the same way. */
    @ExceptionHandler(CouponException.class)
    public ResponseEntity<ProblemDetail> couponException(CouponException exception) {
        ProblemDetail problem = Problems.of(exception.code(), exception.getMessage(), exception.properties());
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(exception.code().httpStatus());
        if (Problems.asksToRetryLater(exception.code().httpStatus())) {
            Duration after = exception instanceof RetryLaterException later ? later.retryAfter() : retryAfter;
            answer.header(HttpHeaders.RETRY_AFTER, Problems.retryAfterSeconds(after));
        }
        return answer.body(problem);
    }

    /** A body without declared length ran over the limit while a handler read it itself (not via a converter). */
    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> bodyTooLarge(BodyTooLargeException exception) {
        return ResponseEntity.status(ErrorCode.PAYLOAD_TOO_LARGE.httpStatus()).body(tooLarge(exception));
    }

    /**
     * Spring Security's firewall refuses a header value (a control character, say) only when a handler
     * reads it, so the refusal reaches this advice: the client's input, not our failure. The value is
     * not echoed.
     */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> requestRejected(RequestRejectedException exception) {
        return ResponseEntity.badRequest().body(Problems.of(ErrorCode.VALIDATION_FAILED,
                "The request has a header value that is not allowed."));
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
            errors.add(InputErrors.error(error.getField(), String.valueOf(error.getDefaultMessage())));
        }
        exception.getBindingResult().getGlobalErrors().forEach(error -> errors.add(
                InputErrors.error(error.getObjectName(), String.valueOf(error.getDefaultMessage()))));
        return validationFailed("The request has invalid fields.", errors, headers);
    }

    /** Raised when a handler has constraints beside a {@code @Valid} body (e.g. PATCH with {@code @Positive id}). */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return validationFailed("The request has invalid fields.", InputErrors.of(exception), headers);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException exception, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = exception.getPropertyName() == null ? "argument" : exception.getPropertyName();
        return validationFailed("The request has invalid parameters.",
                List.of(InputErrors.error(name, InputErrors.expectation(exception.getRequiredType()))), headers);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyTooLargeException tooLarge) {
                return ResponseEntity.status(ErrorCode.PAYLOAD_TOO_LARGE.httpStatus()).headers(headers)
                        .body(tooLarge(tooLarge));
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        List<Map<String, Object>> errors = InputErrors.of(exception.getCause());
        return validationFailed(errors.isEmpty() ? "The request body is missing or is not valid JSON."
                : "The request has invalid fields.", errors, headers);
    }

    private static ProblemDetail tooLarge(BodyTooLargeException exception) {
        return Problems.of(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is too large: " + exception.getMessage() + ".");
    }

    private ResponseEntity<Object> validationFailed(String detail, List<Map<String, Object>> errors,
            HttpHeaders headers) {
        ProblemDetail problem = Problems.of(ErrorCode.VALIDATION_FAILED, detail, Map.of("errors", new ArrayList<>(errors)));
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
        if (response != null && Problems.asksToRetryLater(response.getStatusCode().value())
                && !response.getHeaders().containsHeader(HttpHeaders.RETRY_AFTER)) {
            HttpHeaders withRetryAfter = new HttpHeaders();
            withRetryAfter.putAll(response.getHeaders());
            withRetryAfter.set(HttpHeaders.RETRY_AFTER, Problems.retryAfterSeconds(retryAfter));
            return new ResponseEntity<>(response.getBody(), withRetryAfter, response.getStatusCode());
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
