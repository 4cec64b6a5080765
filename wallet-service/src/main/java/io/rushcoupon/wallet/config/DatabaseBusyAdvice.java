package io.rushcoupon.wallet.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.web.problem.ProblemDetailsAdvice;

/**
 * PostgreSQL out of reach, or no pooled connection free within Hikari's connection-timeout (a
 * redemption rush on a small box did that: 55 of 10,000 answered 500, bench scenario r): nothing
 * was written, so the answer is 503 UNAVAILABLE with Retry-After — the client may repeat it, with
 * the same Idempotency-Key — not a 500. Before web-support's advice, whose last resort would take it.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class DatabaseBusyAdvice {

    private static final Logger log = LoggerFactory.getLogger(DatabaseBusyAdvice.class);

    private final ProblemDetailsAdvice problems;

    DatabaseBusyAdvice(ProblemDetailsAdvice problems) {
        this.problems = problems;
    }

    @ExceptionHandler({CannotCreateTransactionException.class, DataAccessResourceFailureException.class})
    ResponseEntity<ProblemDetail> databaseBusy(RuntimeException exception) {
        log.warn("PostgreSQL not available for a request: {}", exception.getMessage());
        return problems.couponException(new CouponException(ErrorCode.UNAVAILABLE,
                "The wallet cannot reach its database right now; retry later."));
    }
}
