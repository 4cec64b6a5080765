package io.rushcoupon.system.fault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.rushcoupon.testsupport.TestTokens;

/**
 * Users asking for one coupon through the gateway's real HTTP endpoint while a fault is injected,
 * as persistent clients do: a user retries UNAVAILABLE, BUSY, overload and unanswered calls (after
 * {@code Retry-After}, capped) until the gateway gives a definite answer — accepted (202), or
 * refused for good (sold out, duplicate, …) — or the user's patience runs out. Every exchange is
 * recorded as the client saw it. Request ids a user learns (from a 202, or from DUPLICATE_REQUEST
 * naming the user's earlier request) are polled, as their owners would, until final; the time from
 * learning to final is recorded.
 *
 * <p>Bounded: a fixed number of users (or of requests, for a flood), a concurrency limit on calls
 * in flight, a timeout on every call, and a deadline for every session.
 */
final class FaultRush implements AutoCloseable {

    /** One HTTP exchange. {@code status} 0: no answer (connection refused or reset, or timed out). */
    record Exchange(long userId, long sentAtMillis, int status, String code, String requestId, long latencyMillis) {

        boolean answered() {
            return status != 0;
        }

        boolean accepted() {
            return status == 202;
        }

        /** Answers a persistent client retries: no answer, BUSY/overload (429), unavailable (5xx). */
        boolean retryable() {
            return status == 0 || status == 429 || status >= 500;
        }

        /** e.g. {@code 410 SOLD_OUT}, {@code 202}, {@code no answer (ConnectException)} */
        String outcome() {
            if (status == 0) {
                return "no answer (" + code + ")";
            }
            return code == null ? Integer.toString(status) : status + " " + code;
        }
    }

    /** A request id a user learned, and what polling it showed. */
    static final class Tracked {

        final String requestId;
        final long userId;
        /** How the user learned it: "202" or "duplicate" (a retry named the earlier request). */
        final String via;
        final long learnedAtMillis;
        volatile String status = "PENDING";
        volatile String reason;
        volatile long finalAtMillis = -1;
        volatile long nextPollAtMillis;
        volatile long pollEveryMillis = 100;

        Tracked(String requestId, long userId, String via, long learnedAtMillis) {
            this.requestId = requestId;
            this.userId = userId;
            this.via = via;
            this.learnedAtMillis = learnedAtMillis;
            this.nextPollAtMillis = learnedAtMillis + pollEveryMillis;
        }

        boolean isFinal() {
            return finalAtMillis >= 0;
        }
    }

    /** How users arrive: one phase after another, each starting {@code users} sessions evenly at its rate. */
    record Paced(long couponId, long firstUser, List<Phase> phases) {

        Paced(long couponId, long firstUser, int users, double usersPerSecond) {
            this(couponId, firstUser, List.of(new Phase(users, usersPerSecond)));
        }

        int users() {
            return phases.stream().mapToInt(Phase::users).sum();
        }
    }

    /**
     * @param afterRelease the phase starts when the scenario calls {@link #release()}, not when
     *                     the phase before it ends
     */
    record Phase(int users, double usersPerSecond, boolean afterRelease) {

        Phase(int users, double usersPerSecond) {
            this(users, usersPerSecond, false);
        }
    }

    /** Every client asks for the next user as soon as its last one is done, for {@code offerFor}. */
    record Flood(long couponId, long firstUser, int clients, Duration offerFor, int maxRequests) {
    }

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
    private static final int POLLERS = 16;

    private final JsonMapper json = JsonMapper.builder().build();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).executor(threads).build();
    private final String baseUrl;
    private final long couponId;
    private final Semaphore inFlight;
    private final Duration retryCap;
    private final Duration patience;
    private final Map<Long, String> tokens = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Exchange> exchanges = new ConcurrentLinkedQueue<>();
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger sessionsRunning = new AtomicInteger();
    private final AtomicInteger sessionsStarted = new AtomicInteger();
    private final AtomicLong requestsSent = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicLong releasedAtMillis = new AtomicLong(-1);
    private volatile boolean closed;

    /**
     * @param concurrency calls in flight at most
     * @param retryCap    longest pause before a retry, whatever {@code Retry-After} says
     * @param patience    after this long from the start no session sends again
     */
    private FaultRush(String baseUrl, long couponId, int concurrency, Duration retryCap, Duration patience) {
        this.baseUrl = baseUrl;
        this.couponId = couponId;
        this.inFlight = new Semaphore(concurrency);
        this.retryCap = retryCap;
        this.patience = patience;
        threads.submit(this::pollLoop);
    }

    /** Starts paced user sessions and returns at once. */
    static FaultRush paced(String baseUrl, Paced plan, int concurrency, Duration retryCap, Duration patience) {
        FaultRush rush = new FaultRush(baseUrl, plan.couponId(), concurrency, retryCap, patience);
        for (long user = plan.firstUser(); user < plan.firstUser() + plan.users(); user++) {
            rush.token(user); // minted off the clock
        }
        rush.sessionsRunning.addAndGet(plan.users());
        long user = plan.firstUser();
        double phaseStartMillis = 0;
        boolean released = false;
        for (Phase phase : plan.phases()) {
            if (phase.afterRelease()) {
                released = true;
                phaseStartMillis = 0;
            }
            boolean waitForRelease = released;
            for (int i = 0; i < phase.users(); i++) {
                long sessionUser = user++;
                long startAtMillis = Math.round(phaseStartMillis + i * 1000.0 / phase.usersPerSecond());
                rush.threads.submit(() -> {
                    try {
                        long origin = waitForRelease ? rush.awaitRelease() : 0;
                        rush.sleepUntil(origin + startAtMillis);
                        rush.session(sessionUser);
                    } finally {
                        rush.sessionsRunning.decrementAndGet();
                    }
                });
            }
            phaseStartMillis += phase.users() * 1000.0 / phase.usersPerSecond();
        }
        return rush;
    }

    /** Starts a closed-loop flood and returns at once. */
    static FaultRush flood(String baseUrl, Flood plan, Duration retryCap, Duration patience) {
        FaultRush rush = new FaultRush(baseUrl, plan.couponId(), plan.clients(), retryCap, patience);
        AtomicLong nextUser = new AtomicLong(plan.firstUser());
        long offerUntil = plan.offerFor().toMillis();
        rush.sessionsRunning.addAndGet(plan.clients());
        for (int client = 0; client < plan.clients(); client++) {
            rush.threads.submit(() -> {
                try {
                    while (!rush.closed && rush.elapsedMillis() < offerUntil
                            && rush.requestsSent.get() < plan.maxRequests()) {
                        rush.session(nextUser.getAndIncrement(), offerUntil, plan.maxRequests());
                    }
                } finally {
                    rush.sessionsRunning.decrementAndGet();
                }
            });
        }
        return rush;
    }

    /** Starts the phases that wait for it. */
    void release() {
        releasedAtMillis.compareAndSet(-1, elapsedMillis());
        release.countDown();
    }

    /** @return when {@link #release()} was called, in ms of the rush */
    private long awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return releasedAtMillis.get();
    }

    private void session(long userId) {
        session(userId, patience.toMillis(), Long.MAX_VALUE);
    }

    private void session(long userId, long untilMillis, long maxRequests) {
        sessionsStarted.incrementAndGet();
        int retries = 0;
        while (!closed && elapsedMillis() < untilMillis && requestsSent.get() < maxRequests) {
            Exchange exchange;
            Duration retryAfter;
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                requestsSent.incrementAndGet();
                long sentAt = elapsedMillis();
                Response response = issue(userId);
                exchange = new Exchange(userId, sentAt, response.status(), response.code(), response.requestId(),
                        elapsedMillis() - sentAt);
                retryAfter = response.retryAfter();
            } finally {
                inFlight.release();
            }
            if (closed) {
                return;
            }
            exchanges.add(exchange);
            if (exchange.accepted()) {
                accepted.incrementAndGet();
                track(exchange.requestId(), userId, "202");
                return;
            }
            if (!exchange.retryable()) {
                if ("DUPLICATE_REQUEST".equals(exchange.code()) && exchange.requestId() != null) {
                    track(exchange.requestId(), userId, "duplicate");
                }
                return;
            }
            // Retry-After when the gateway gave one, growing while calls go unanswered; capped
            long backOff = exchange.answered() ? 0 : 250L << Math.min(retries, 4);
            long pause = Math.min(Math.max(retryAfter.toMillis(), backOff), retryCap.toMillis());
            retries++;
            sleepFor(pause / 2 + ThreadLocalRandom.current().nextLong(pause / 2 + 1));
        }
    }

    private record Response(int status, String code, String requestId, Duration retryAfter) {
    }

    private Response issue(long userId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/coupons/" + couponId + "/issue-requests"))
                .timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + token(userId))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = body(response.body());
            Duration retryAfter = response.headers().firstValue("Retry-After")
                    .map(FaultRush::seconds).orElse(Duration.ofMillis(500));
            return new Response(response.statusCode(), text(body, "code"), text(body, "requestId"), retryAfter);
        } catch (IOException e) {
            return new Response(0, e.getClass().getSimpleName(), null, Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(0, "interrupted", null, Duration.ZERO);
        }
    }

    private void track(String requestId, long userId, String via) {
        tracked.putIfAbsent(requestId, new Tracked(requestId, userId, via, elapsedMillis()));
    }

    // --- polling ------------------------------------------------------------------------------

    private void pollLoop() {
        Semaphore pollers = new Semaphore(POLLERS);
        while (!closed) {
            long now = elapsedMillis();
            for (Tracked request : tracked.values()) {
                if (request.isFinal() || request.nextPollAtMillis > now) {
                    continue;
                }
                // not again until this poll is answered and its pause is over
                request.nextPollAtMillis = Long.MAX_VALUE;
                try {
                    pollers.acquire();
                } catch (InterruptedException e) {
                    return;
                }
                threads.submit(() -> {
                    try {
                        poll(request);
                    } finally {
                        pollers.release();
                    }
                });
            }
            sleepFor(50);
        }
    }

    private void poll(Tracked request) {
        HttpRequest get = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/issue-requests/" + request.requestId))
                .timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + token(request.userId))
                .GET()
                .build();
        try {
            HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
            JsonNode body = body(response.body());
            String status = response.statusCode() == 200 ? text(body, "status") : "HTTP_" + response.statusCode();
            request.status = status;
            request.reason = response.statusCode() == 200 ? text(body, "reason") : text(body, "code");
            if ("ISSUED".equals(status) || "REJECTED".equals(status)) {
                request.finalAtMillis = elapsedMillis();
                return;
            }
        } catch (IOException e) {
            request.status = "NO_ANSWER";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        request.pollEveryMillis = Math.min(request.pollEveryMillis * 2, 1_000);
        request.nextPollAtMillis = elapsedMillis() + request.pollEveryMillis;
    }

    // --- what a scenario waits for --------------------------------------------------------------

    long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    int accepted() {
        return accepted.get();
    }

    /** Requests learned but not yet seen final. */
    int open() {
        return (int) tracked.values().stream().filter(request -> !request.isFinal()).count();
    }

    /** Waits until {@code count} requests were accepted; false when the rush ended or time ran out first. */
    boolean awaitAccepted(int count, Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        while (accepted.get() < count && sessionsRunning.get() > 0 && System.nanoTime() < until) {
            sleepFor(20);
        }
        return accepted.get() >= count;
    }

    /** Waits until every session has ended; false on timeout. */
    boolean awaitSessions(Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        while (sessionsRunning.get() > 0 && System.nanoTime() < until) {
            sleepFor(50);
        }
        return sessionsRunning.get() == 0;
    }

    /** Waits until every learned request has been seen final; false on timeout. */
    boolean awaitFinal(Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        while (open() > 0 && System.nanoTime() < until) {
            sleepFor(100);
        }
        return open() == 0;
    }

    List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    Collection<Tracked> tracked() {
        return List.copyOf(tracked.values());
    }

    int sessionsStarted() {
        return sessionsStarted.get();
    }

    private String token(long userId) {
        return tokens.computeIfAbsent(userId, TestTokens::user);
    }

    private JsonNode body(String text) {
        if (text == null || text.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(text);
        } catch (RuntimeException notJson) {
            return json.createObjectNode();
        }
    }

    private static Duration seconds(String retryAfter) {
        try {
            return Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asString();
    }

    private void sleepUntil(long atMillis) {
        sleepFor(atMillis - elapsedMillis());
    }

    private static void sleepFor(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops sessions and polling; what was recorded stays readable. */
    @Override
    public void close() {
        closed = true;
        release.countDown();
        threads.shutdownNow();
        http.shutdownNow();
    }
}
