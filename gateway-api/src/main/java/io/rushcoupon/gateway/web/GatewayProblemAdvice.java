package io.rushcoupon.gateway.web;

import org.redisson.client.RedisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.gateway.config.GatewayProperties;
import io.rushcoupon.web.problem.Problems;

/**
 * The gateway's additions to web-support's problem details: {@code Retry-After} on BUSY and
 * UNAVAILABLE, and Redis outages anywhere (status and coupon reads included) as a quick 503 instead
 * of the generic 500. Ordered first so it wins over the shared advice for these exceptions.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class GatewayProblemAdvice {

    private static final Logger log = LoggerFactory.getLogger(GatewayProblemAdvice.class);

    private final GatewayProperties settings;

    GatewayProblemAdvice(GatewayProperties settings) {
        this.settings = settings;
    }

    @ExceptionHandler(RetryLaterException.class)
    ResponseEntity<ProblemDetail> retryLater(RetryLaterException exception) {
        return ResponseEntity.status(exception.code().httpStatus())
                .header(HttpHeaders.RETRY_AFTER, exception.retryAfterSeconds())
                .body(Problems.of(exception.code(), exception.getMessage(), exception.properties()));
    }

    @ExceptionHandler(RedisException.class)
    ResponseEntity<ProblemDetail> redis(RedisException exception) {
        if (RedisFailures.isUnavailable(exception)) {
            log.warn("Redis unavailable: {}", exception.toString());
            return retryLater(new RetryLaterException(ErrorCode.UNAVAILABLE,
                    "Coupon state is unreachable right now; retry shortly.", settings.unavailableRetryAfter()));
        }
        log.error("Redis command failed", exception);
        return ResponseEntity.internalServerError()
                .body(Problems.of(ErrorCode.INTERNAL_ERROR, "The request could not be completed."));
    }
}
