package io.rushcoupon.web.problem;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import io.rushcoupon.common.error.ErrorCode;

/** RFC 9457 problem details for the shared {@link ErrorCode}s: one shape for every service. */
public final class Problems {

    public static final String CODE = "code";

    private Problems() {
    }

    public static URI type(ErrorCode code) {
        return URI.create("urn:rushcoupon:problem:" + code.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    public static ProblemDetail of(ErrorCode code, String detail) {
        return of(code, detail, Map.of());
    }

    public static ProblemDetail of(ErrorCode code, String detail, Map<String, Object> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(code.httpStatus()), detail);
        decorate(problem, code);
        properties.forEach(problem::setProperty);
        return problem;
    }

    /** Gives a problem Spring built the title, type and {@code code} of an error code. */
    public static void decorate(ProblemDetail problem, ErrorCode code) {
        problem.setTitle(code.title());
        problem.setType(type(code));
        problem.setProperty(CODE, code.name());
    }

    /** Whether an answer with this status tells the client to come back: 429 and 503 carry {@code Retry-After}. */
    public static boolean asksToRetryLater(int httpStatus) {
        return httpStatus == 429 || httpStatus == 503;
    }

    /** {@code Retry-After} in whole seconds, rounded up, at least one. */
    public static String retryAfterSeconds(Duration retryAfter) {
        return Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
    }

    /** The same problem as JSON text, for filters that write responses before Spring MVC runs. */
    public static String json(ErrorCode code, String detail) {
        return "{\"type\":\"" + type(code) + "\",\"title\":\"" + code.title() + "\",\"status\":"
                + code.httpStatus() + ",\"detail\":\"" + detail.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\",\"code\":\"" + code.name() + "\"}";
    }
}
