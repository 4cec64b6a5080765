package io.rushcoupon.gateway.shedding;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.RequestPath;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.web.problem.Problems;

/**
 * Caps the issue requests in flight. It runs before Spring Security, so a shed request costs
 * neither token verification nor Redis: one counter, one short answer (503 OVERLOADED with
 * {@code Retry-After}), counted as outcome {@code shed} of the issue-request counter. Nothing was
 * taken for a shed request, so retrying it is always safe.
 */
public final class IssueLoadShedder extends OncePerRequestFilter {

    /** The {@code outcome} tag value of shed requests (the issue service's other outcomes beside it). */
    public static final String SHED = "shed";

    private static final PathPattern ISSUE_PATH =
            PathPatternParser.defaultInstance.parse("/api/v1/coupons/{couponId}/issue-requests");

    private final int maxInFlight;
    private final String retryAfterSeconds;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter shed;

    /**
     * @param maxInFlight issue requests processed at once ({@code rushcoupon.gateway.max-in-flight})
     * @param retryAfter  {@code Retry-After} of the OVERLOADED answer
     */
    public IssueLoadShedder(int maxInFlight, Duration retryAfter, MeterRegistry registry) {
        this.maxInFlight = maxInFlight;
        this.retryAfterSeconds = Problems.retryAfterSeconds(retryAfter);
        this.shed = Counter.builder(MetricNames.ISSUE_REQUESTS)
                .description("Issue requests answered by the gateway, by outcome")
                .tag(MetricNames.OUTCOME, SHED)
                .register(registry);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod())) {
            return true;
        }
        RequestPath path = RequestPath.parse(request.getRequestURI(), request.getContextPath());
        return !ISSUE_PATH.matches(path.pathWithinApplication());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            shed.increment();
            response.setStatus(ErrorCode.OVERLOADED.httpStatus());
            response.setHeader(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getWriter().write(Problems.json(ErrorCode.OVERLOADED,
                    "The gateway is at capacity; nothing was reserved, retry shortly."));
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Issue requests being processed right now. */
    public int inFlight() {
        return inFlight.get();
    }
}
