package io.rushcoupon.harness.chaos;

import org.jspecify.annotations.Nullable;

/**
 * One thing a run's history records, as the client (or the operator) saw it. Times are
 * milliseconds since the run started; {@code status} is the HTTP status, 0 when no answer came
 * (refused, reset or timed out).
 */
public sealed interface Event permits Event.Issue, Event.Poll, Event.Admin, Event.Fault {

    long sentAt();

    long answeredAt();

    /** One line of a history excerpt. */
    String line();

    /** {@code POST …/issue-requests} by a user; {@code requestId} is the accepted one or the one DUPLICATE_REQUEST names. */
    record Issue(long user, long sentAt, long answeredAt, int status, @Nullable String code,
            @Nullable String requestId, @Nullable String retryAfter) implements Event {

        public boolean accepted() {
            return status == 202;
        }

        @Override
        public String line() {
            return "%s user %d  issue  -> %s%s".formatted(times(this), user, answer(status, code, retryAfter),
                    requestId == null ? "" : " " + requestId);
        }
    }

    /**
     * {@code GET /api/v1/issue-requests/{id}} by its owner; {@code requestStatus} and {@code reason}
     * are the body's when the answer is 200, {@code code} the problem's otherwise.
     */
    record Poll(long user, String requestId, long sentAt, long answeredAt, int status,
            @Nullable String requestStatus, @Nullable String reason, @Nullable String code,
            @Nullable String retryAfter) implements Event {

        /** 200 with ISSUED or REJECTED. */
        public boolean showsFinal() {
            return status == 200 && ("ISSUED".equals(requestStatus) || "REJECTED".equals(requestStatus));
        }

        public boolean showsIssued() {
            return status == 200 && "ISSUED".equals(requestStatus);
        }

        public boolean showsRejected() {
            return status == 200 && "REJECTED".equals(requestStatus);
        }

        /** 404 REQUEST_NOT_FOUND: the gateway says the request does not exist. */
        public boolean showsUnknown() {
            return status == 404;
        }

        /** What the poll showed, e.g. {@code REJECTED SOLD_OUT}, {@code PENDING}, {@code 404 REQUEST_NOT_FOUND}. */
        public String shown() {
            if (status == 200) {
                return requestStatus + (reason == null ? "" : " " + reason);
            }
            return answer(status, code, retryAfter);
        }

        @Override
        public String line() {
            return "%s user %d  poll   %s -> %s".formatted(times(this), user, requestId, shown());
        }
    }

    /**
     * An admin call (create, raise, lower, pause, resume, close, window, reconcile) and what its
     * answer said the coupon now is ({@code total}, {@code state}, {@code window}), when it said.
     */
    record Admin(String operation, long sentAt, long answeredAt, int status, @Nullable String code,
            @Nullable Integer total, @Nullable String state, @Nullable Window window,
            @Nullable String retryAfter) implements Event {

        public boolean succeeded() {
            return status >= 200 && status < 300;
        }

        @Override
        public String line() {
            StringBuilder line = new StringBuilder("%s admin  %s -> %s".formatted(times(this), operation,
                    answer(status, code, retryAfter)));
            if (succeeded()) {
                if (total != null) {
                    line.append(" total=").append(total);
                }
                if (state != null) {
                    line.append(" state=").append(state);
                }
                if (window != null) {
                    line.append(" window=%.1f s..%.1f s".formatted(window.startsAt() / 1000.0,
                            window.endsAt() / 1000.0));
                }
            }
            return line.toString();
        }
    }

    /** An issue window on the run's clock (milliseconds since the run started; the start is usually negative). */
    record Window(long startsAt, long endsAt) {
    }

    /** A fault injected and mended between {@code sentAt} and {@code answeredAt}; {@code redisLoss}: Redis lost its data. */
    record Fault(String what, boolean redisLoss, long sentAt, long answeredAt) implements Event {

        @Override
        public String line() {
            return "%s fault  %s".formatted(times(this), what);
        }
    }

    private static String times(Event event) {
        return "%8.3f s .. %8.3f s ".formatted(event.sentAt() / 1000.0, event.answeredAt() / 1000.0);
    }

    private static String answer(int status, @Nullable String code, @Nullable String retryAfter) {
        if (status == 0) {
            return "no answer" + (code == null ? "" : " (" + code + ")");
        }
        return status + (code == null ? "" : " " + code) + (retryAfter == null ? "" : " Retry-After " + retryAfter);
    }
}
