package io.rushcoupon.harness.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.rushcoupon.harness.chaos.Event.Issue;
import io.rushcoupon.harness.chaos.Event.Poll;
import io.rushcoupon.harness.token.Tokens;

/**
 * The users of one run, through the gateway's real HTTP API with real tokens. A user asks, and on
 * 409 (paused, not started, ended), 410, 429, 503 or no answer asks again after {@code Retry-After}
 * (capped); a request id it learns (202, or DUPLICATE_REQUEST naming its earlier request) it polls
 * until final; REJECTED, it may ask again, since units can come back. Every call is recorded in the
 * {@link History}. Bounded: attempts per user, a deadline for sending, calls in flight, a timeout per call.
 */
final class ChaosUsers implements AutoCloseable {

    private static final int MAX_ATTEMPTS = 8;
    private static final int IN_FLIGHT = 48;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final long RETRY_CAP_MILLIS = 2_000;
    /** A request id is polled this long after the users stop sending, then left to the final pass. */
    private static final long POLL_GRACE_MILLIS = 5_000;

    private final JsonMapper json = JsonMapper.builder().build();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).executor(threads).build();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final Map<Long, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, Long> learned = new ConcurrentHashMap<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private final String gatewayUrl;
    private final String secret;
    private final long couponId;
    private final History history;
    private final ChaosPlan plan;
    private final long stopSendingAt;
    private volatile boolean closed;

    ChaosUsers(String gatewayUrl, String secret, long couponId, History history, ChaosPlan plan) {
        this.gatewayUrl = gatewayUrl;
        this.secret = secret;
        this.couponId = couponId;
        this.history = history;
        this.plan = plan;
        this.stopSendingAt = plan.rushMillis() + ChaosPlan.PATIENCE_MILLIS;
    }

    /** Mints every token (off the clock), then starts the sessions, evenly over the plan's arrival span. */
    void start() {
        for (long user = plan.firstUser(); user < plan.firstUser() + plan.users(); user++) {
            token(user);
        }
        for (int i = 0; i < plan.users(); i++) {
            long user = plan.firstUser() + i;
            long startAt = i * plan.arrivalMillis() / plan.users();
            int clicks = plan.doubleClickers().contains(user) ? 2 : 1;
            for (int click = 0; click < clicks; click++) {
                sessions.incrementAndGet();
                threads.submit(() -> {
                    try {
                        sleepUntil(startAt);
                        session(user);
                    } finally {
                        sessions.decrementAndGet();
                    }
                });
            }
        }
    }

    /** Waits until every session ended or {@code untilMillis} (run clock); true when all ended. */
    boolean awaitSessions(long untilMillis) {
        while (sessions.get() > 0 && history.now() < untilMillis) {
            sleep(100);
        }
        return sessions.get() == 0;
    }

    private void session(long user) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS && !closed && history.now() < stopSendingAt; attempt++) {
            Issue issue = issue(user);
            String requestId = issue.requestId();
            if (requestId != null && (issue.accepted() || "DUPLICATE_REQUEST".equals(issue.code()))) {
                learned.putIfAbsent(requestId, user);
                Poll last = pollUntilFinal(user, requestId, stopSendingAt + POLL_GRACE_MILLIS);
                if (last == null || !last.showsFinal()) {
                    return;
                }
                if (last.showsIssued()) {
                    if (plan.askingAgain().contains(user)) {
                        // later, the user opens the app again: looks at the coupon, taps once more
                        sleep(ThreadLocalRandom.current().nextLong(500, 8_000));
                        poll(user, requestId);
                        askOnceMore(user, stopSendingAt + POLL_GRACE_MILLIS);
                    }
                    return;
                }
                // REJECTED: a unit may come back (a rejection, a raised total); ask again
                sleep(300 + ThreadLocalRandom.current().nextLong(700));
            } else if (retryable(issue)) {
                long pause = Math.min(RETRY_CAP_MILLIS, Math.max(retryAfterMillis(issue.retryAfter()),
                        issue.status() == 0 ? 250L << Math.min(attempt, 3) : 200));
                sleep(pause / 2 + ThreadLocalRandom.current().nextLong(pause / 2 + 1));
            } else {
                return;
            }
        }
    }

    private static boolean retryable(Issue issue) {
        return switch (issue.status()) {
            case 0, 410, 429, 503 -> true;
            case 409 -> !"DUPLICATE_REQUEST".equals(issue.code());
            default -> false;
        };
    }

    /** Polls as the owner does, backing off 150 ms … 1 s, until final or {@code untilMillis}; the last poll. */
    private @Nullable Poll pollUntilFinal(long user, String requestId, long untilMillis) {
        Poll last = null;
        long pause = 150;
        while (!closed && history.now() < untilMillis) {
            last = poll(user, requestId);
            if (last.showsFinal()) {
                return last;
            }
            sleep(pause);
            pause = Math.min(pause * 2, 1_000);
        }
        return last;
    }

    /**
     * After the run settled: every learned request is polled once more, and those not final until
     * they are or {@code untilMillis} passes.
     */
    void finalPolls(long untilMillis) throws InterruptedException {
        List<Map.Entry<String, Long>> requests = List.copyOf(learned.entrySet());
        try (var pollers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Map.Entry<String, Long> request : requests) {
                pollers.submit(() -> {
                    Poll last = poll(request.getValue(), request.getKey());
                    long pause = 250;
                    while (!last.showsFinal() && history.now() < untilMillis) {
                        sleep(pause);
                        pause = Math.min(pause * 2, 1_000);
                        last = poll(request.getValue(), request.getKey());
                    }
                });
            }
        }
    }

    /** Every user ever shown ISSUED asks once more: the answer must not be a 202. */
    void askIssuedUsersAgain(Set<Long> issuedUsers) {
        long until = history.now() + POLL_GRACE_MILLIS;
        try (var askers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long user : issuedUsers) {
                askers.submit(() -> askOnceMore(user, until));
            }
        }
    }

    /** One more tap; a request id the answer names is followed as any other, until final or {@code untilMillis}. */
    private void askOnceMore(long user, long untilMillis) {
        Issue issue = issue(user);
        String requestId = issue.requestId();
        if (requestId != null && (issue.accepted() || "DUPLICATE_REQUEST".equals(issue.code()))
                && learned.putIfAbsent(requestId, user) == null) {
            pollUntilFinal(user, requestId, untilMillis);
        }
    }

    Set<String> learned() {
        return Set.copyOf(learned.keySet());
    }

    // --- calls ------------------------------------------------------------------------------------

    private Issue issue(long user) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(gatewayUrl + "/api/v1/coupons/" + couponId + "/issue-requests"))
                .timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + token(user))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        Answer answer = send(request);
        Issue issue = new Issue(user, answer.sentAt(), answer.answeredAt(), answer.status(), answer.text("code"),
                answer.text("requestId"), answer.retryAfter());
        history.record(issue);
        return issue;
    }

    private Poll poll(long user, String requestId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gatewayUrl + "/api/v1/issue-requests/" + requestId))
                .timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + token(user))
                .GET()
                .build();
        Answer answer = send(request);
        boolean ok = answer.status() == 200;
        Poll poll = new Poll(user, requestId, answer.sentAt(), answer.answeredAt(), answer.status(),
                ok ? answer.text("status") : null, ok ? answer.text("reason") : null,
                ok ? null : answer.text("code"), answer.retryAfter());
        history.record(poll);
        return poll;
    }

    private record Answer(long sentAt, long answeredAt, int status, @Nullable JsonNode body,
            @Nullable String retryAfter, @Nullable String failure) {

        @Nullable String text(String field) {
            if (status == 0) {
                return "code".equals(field) ? failure : null;
            }
            JsonNode node = body == null ? null : body.get(field);
            return node == null || node.isNull() ? null : node.asString();
        }
    }

    private Answer send(HttpRequest request) {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(history.now(), history.now(), 0, null, null, "interrupted");
        }
        long sentAt = history.now();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(sentAt, history.now(), response.statusCode(), body(response.body()),
                    response.headers().firstValue("Retry-After").orElse(null), null);
        } catch (IOException e) {
            return new Answer(sentAt, history.now(), 0, null, null, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(sentAt, history.now(), 0, null, null, "interrupted");
        } finally {
            inFlight.release();
        }
    }

    private @Nullable JsonNode body(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    /**
     * A token the gateway accepts; a poisoned user's {@code preferred_username} carries a NUL,
     * which PostgreSQL refuses in a text column (issue #12, finding 3).
     */
    private String token(long user) {
        return tokens.computeIfAbsent(user, id -> Tokens.sign(secret, claims -> claims.subject(Long.toString(id))
                .claim("email", "user" + id + "@chaos.rushcoupon.local")
                .claim("preferred_username", plan.poisoned().contains(id) ? "chaos\u0000user" + id : "user" + id)));
    }

    private static long retryAfterMillis(@Nullable String retryAfter) {
        if (retryAfter == null) {
            return 500;
        }
        try {
            return Long.parseLong(retryAfter.trim()) * 1_000;
        } catch (NumberFormatException e) {
            return 1_000;
        }
    }

    private void sleepUntil(long atMillis) {
        sleep(atMillis - history.now());
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops sessions and polling; the history stays. */
    @Override
    public void close() {
        closed = true;
        threads.shutdownNow();
        http.shutdownNow();
    }
}
