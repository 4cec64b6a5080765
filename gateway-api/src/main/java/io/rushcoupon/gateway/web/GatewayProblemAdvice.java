package io.rushcoupon.gateway.web;

import org.redisson.client.RedisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.gateway.config.GatewayProperties;
import io.rushcoupon.web.problem.ProblemDetailsAdvice;
import io.rushcoupon.web.problem.Problems;
import io.rushcoupon.web.problem.RetryLaterException;

/**
 * The gateway's addition to web-support's problem details: Redis outages anywhere (status and
 * coupon reads included) as a quick 503 UNAVAILABLE, answered through the shared advice (which
 * sets {@code Retry-After}), instead of the generic 500. Ordered first so it wins over the shared
 * advice's catch-all for these exceptions.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class GatewayProblemAdvice {

    private static final Logger log = LoggerFactory.getLogger(GatewayProblemAdvice.class);

    private final GatewayProperties settings;
    private final ProblemDetailsAdvice problems;

    GatewayProblemAdvice(GatewayProperties settings, ProblemDetailsAdvice problems) {
        this.settings = settings;
        this.problems = problems;
    }

    @ExceptionHandler(RedisException.class)
    ResponseEntity<ProblemDetail> redis(RedisException exception) {
        if (RedisFailures.isUnavailable(exception)) {
            log.warn("Redis unavailable: {}", exception.toString());
            return problems.couponException(new RetryLaterException(ErrorCode.UNAVAILABLE,
                    "Coupon state is unreachable right now; retry shortly.", settings.unavailableRetryAfter()));
        }
        log.error("Redis command failed", exception);
        return ResponseEntity.internalServerError()
                .body(Problems.of(ErrorCode.INTERNAL_ERROR, "The request could not be completed."));
    }
}
