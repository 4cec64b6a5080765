package io.rushcoupon.harness.rush;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.LongFunction;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Many users at once, through the gateway's real HTTP endpoint with real tokens. Concurrency is
 * bounded by a permit count, and every call has a timeout, so a rush always ends.
 */
public final class RushClient {

    /** One issue request a user makes. */
    public record Attempt(long userId, long couponId) {
    }

    /**
     * What the gateway answered. {@code requestId} is the accepted one, or the earlier one for
     * DUPLICATE_REQUEST; {@code retryAfter} is the {@code Retry-After} header, {@code null} without one.
     */
    public record Answer(Attempt attempt, int status, String code, String requestId, Duration latency,
            String retryAfter) {

        public boolean accepted() {
            return status == 202;
        }

        /** A 503 with {@code Retry-After}: the system shed the request and asks the client to come back. */
        public boolean shed() {
            return status == 503 && retryAfter != null;
        }
    }

    /** A request's state as its owner polls it. */
    public record Outcome(String requestId, String status, String reason) {
    }

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<Long, String> tokens = new ConcurrentHashMap<>();
    private final LongFunction<String> mint;
    private final String baseUrl;

    /**
     * @param baseUrl the gateway
     * @param mint    a bearer token for a user id
     */
    public RushClient(String baseUrl, LongFunction<String> mint) {
        this.baseUrl = baseUrl;
        this.mint = mint;
    }

    private String token(long userId) {
        return tokens.computeIfAbsent(userId, mint::apply);
    }

    /** Sends every attempt, {@code concurrency} at a time, and returns the answers in no particular order. */
    public List<Answer> rush(Collection<Attempt> attempts, int concurrency) throws Exception {
        return rush(attempts, concurrency, answer -> {
        });
    }

    /** As {@link #rush(Collection, int)}, telling {@code onAnswer} of each answer as it arrives. */
    public List<Answer> rush(Collection<Attempt> attempts, int concurrency, Consumer<Answer> onAnswer)
            throws Exception {
        attempts.forEach(attempt -> token(attempt.userId())); // mint up front, off the clock
        Semaphore permits = new Semaphore(concurrency);
        List<Future<Answer>> futures = new ArrayList<>(attempts.size());
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Attempt attempt : attempts) {
                futures.add(executor.submit(() -> {
                    permits.acquire();
                    try {
                        Answer answer = issue(attempt);
                        onAnswer.accept(answer);
                        return answer;
                    } finally {
                        permits.release();
                    }
                }));
            }
        }
        List<Answer> answers = new ArrayList<>(futures.size());
        for (Future<Answer> future : futures) {
            answers.add(future.get());
        }
        return answers;
    }

    /**
     * A drop is announced: services are warm before it opens. A short rush on a coupon of its own
     * (600 users) gets the JIT and the connection pools going, so the measured rush meets a warm system.
     */
    public void warmUp(long coupon, int concurrency, Duration drain) throws Exception {
        List<Attempt> attempts = new ArrayList<>();
        for (long user = 900_001; user <= 900_600; user++) {
            attempts.add(new Attempt(user, coupon));
        }
        List<Answer> answers = rush(attempts, concurrency);
        awaitFinal(answers.stream().filter(Answer::accepted).toList(), drain);
    }

    public Answer issue(Attempt attempt) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(baseUrl + "/api/v1/coupons/" + attempt.couponId() + "/issue-requests"))
                .timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + token(attempt.userId()))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        long started = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        Duration latency = Duration.ofNanos(System.nanoTime() - started);
        JsonNode body = response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body());
        return new Answer(attempt, response.statusCode(), text(body, "code"), text(body, "requestId"), latency,
                response.headers().firstValue("Retry-After").orElse(null));
    }

    /**
     * Polls every accepted request as its owner until none is PENDING or the deadline passes.
     *
     * @return requestId → last outcome seen
     */
    public Map<String, Outcome> awaitFinal(Collection<Answer> accepted, Duration deadline) throws Exception {
        Map<String, Outcome> outcomes = new HashMap<>();
        Map<String, Answer> open = new HashMap<>();
        accepted.forEach(answer -> open.put(answer.requestId(), answer));
        Instant until = Instant.now().plus(deadline);
        while (!open.isEmpty() && Instant.now().isBefore(until)) {
            for (Outcome outcome : poll(open.values())) {
                outcomes.put(outcome.requestId(), outcome);
                if (!"PENDING".equals(outcome.status())) {
                    open.remove(outcome.requestId());
                }
            }
            if (!open.isEmpty()) {
                Thread.sleep(200);
            }
        }
        return outcomes;
    }

    private List<Outcome> poll(Collection<Answer> answers) throws Exception {
        List<Future<Outcome>> futures = new ArrayList<>();
        Semaphore permits = new Semaphore(32);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Answer answer : List.copyOf(answers)) {
                futures.add(executor.submit(() -> {
                    permits.acquire();
                    try {
                        return status(answer.attempt().userId(), answer.requestId());
                    } finally {
                        permits.release();
                    }
                }));
            }
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> future : futures) {
            outcomes.add(future.get());
        }
        return outcomes;
    }

    public Outcome status(long userId, String requestId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/issue-requests/" + requestId))
                .timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + token(userId))
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = json.readTree(response.body());
        if (response.statusCode() != 200) {
            return new Outcome(requestId, "HTTP_" + response.statusCode(), text(body, "code"));
        }
        return new Outcome(requestId, text(body, "status"), text(body, "reason"));
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asString();
    }
}
