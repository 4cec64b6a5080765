package io.rushcoupon.system.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.harness.process.ServiceProcess;
import io.rushcoupon.harness.rush.InvariantChecker;
import io.rushcoupon.harness.rush.InvariantChecker.StateReport;
import io.rushcoupon.harness.rush.RushClient;
import io.rushcoupon.harness.rush.RushClient.Answer;
import io.rushcoupon.harness.rush.RushClient.Attempt;
import io.rushcoupon.harness.rush.RushClient.Outcome;
import io.rushcoupon.harness.stack.Stack;
import io.rushcoupon.system.SystemStack;
import io.rushcoupon.testsupport.RealServers;
import io.rushcoupon.testsupport.TestTokens;

/**
 * A rush through nginx (the rules of infra/nginx) over two gateways from their production jars:
 * nginx spreads the requests, and when one gateway is killed in the middle of the rush no accepted
 * request is lost and nobody is issued a coupon they were told they could not have.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NginxRushIntegrationTest {

    private static final Duration DRAIN = Duration.ofSeconds(120);
    private static final int CLIENTS = 64;
    /**
     * The client does not know the outcome: nginx's answers when a gateway failed with the request
     * in hand, or an answer cut off because the gateway died while nginx was already passing it on.
     */
    private static final String BROKEN = "BROKEN_ANSWER";
    private static final Set<String> UNKNOWN_OUTCOME = Set.of("UPSTREAM_FAILED", "UPSTREAM_TIMEOUT", BROKEN);
    /**
     * Refusals after which nothing was taken for that request. UNAVAILABLE is one only while Redis
     * answers in time, as here: after a Redis timeout the request may be pending (README, "What the
     * answers … promise").
     */
    private static final Set<String> REFUSALS = Set.of("SOLD_OUT", "DUPLICATE_REQUEST", "BUSY", "UNAVAILABLE");

    /** Redis database of this test: system-tests' own (4) is the other system tests'. */
    private static final int REDIS_DATABASE = 12;

    private static Stack stack;
    private static RushClient client;
    private static InvariantChecker checker;

    @BeforeAll
    static void startStack() throws Exception {
        // a generous lock wait, as in RushIntegrationTest: a second click meets the first's DUPLICATE, not BUSY
        RealServers servers = RealServers.get();
        stack = SystemStack.builder("nginx")
                // a database of its own: system-tests' own is the other system tests'
                .redis(servers.redisHost(), servers.redisPort(), REDIS_DATABASE)
                .gateways(2).nginx(0)
                .gatewaySettings(Map.of("RUSHCOUPON_GATEWAY_LOCK_WAIT", "2s"))
                // what a killed gateway left pending is settled within the test's patience
                .workerSettings(Map.of("RUSHCOUPON_WORKER_CONCURRENCY", "2",
                        "RUSHCOUPON_WORKER_RECONCILER_INTERVAL", "1s", "RUSHCOUPON_WORKER_RECONCILER_PENDING_THRESHOLD",
                        "5s"))
                .start();
        client = new RushClient(stack.userApiUrl(), TestTokens::user);
        checker = new InvariantChecker(stack.db(), stack.couponRedis());
        // services are warm before a drop opens: a short rush on a coupon of its own
        client.warmUp(stack.openCoupon("WARM-UP", 100), CLIENTS, DRAIN);
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void spreadsIssueRequestsOverBothGatewaysAndSendsEachToExactlyOne() throws Exception {
        List<ServiceProcess> gateways = stack.gateways();
        List<Long> before = new ArrayList<>();
        for (ServiceProcess gateway : gateways) {
            before.add(issueRequestsAnswered(gateway));
        }
        long coupon = stack.openCoupon("SPREAD-200", 200);
        List<Attempt> attempts = new ArrayList<>();
        for (long user = 1; user <= 600; user++) {
            attempts.add(new Attempt(user, coupon));
        }

        List<Answer> answers = client.rush(attempts, CLIENTS);
        Map<String, Outcome> outcomes = client.awaitFinal(answers.stream().filter(Answer::accepted).toList(), DRAIN);

        List<Long> handled = new ArrayList<>();
        for (int i = 0; i < gateways.size(); i++) {
            handled.add(issueRequestsAnswered(gateways.get(i)) - before.get(i));
        }
        System.out.println("issue requests per gateway: " + handled);
        assertThat(handled).allMatch(count -> count > 0);
        assertThat(handled.stream().mapToLong(Long::longValue).sum()).isEqualTo(attempts.size());
        var report = checker.check(coupon, answers, outcomes);
        System.out.println(report.line());
        assertThat(report.violations()).isEmpty();
        assertThat(report.issued()).isEqualTo(200);
        // a gateway may shed a request (503 with Retry-After, e.g. after a Redis reply timed out on a
        // busy machine); every other answer is 202 or SOLD_OUT, and every 202 was checked above
        assertThat(answers).allMatch(answer -> answer.accepted() || "SOLD_OUT".equals(answer.code()) || answer.shed());
    }

    /**
     * The precise claim: every request answered 202 ends ISSUED with its row; a request lost with
     * the killed gateway (nginx answered 502 or 504, or the answer broke off: the client does not
     * know) may or may not have
     * been admitted before the gateway died, and if it was, the reconciler sees it through, so its
     * user may hold a unit without having been told 202 — but only such a user. Nobody whose every
     * answer was a refusal holds one, exactly the units are issued, none twice, nothing stays pending.
     */
    @Test
    @Order(2)
    void losesNoAcceptedRequestWhenAGatewayIsKilledInTheMiddleOfTheRush() throws Exception {
        int units = 2_000;
        long coupon = stack.openCoupon("KILL-2000", units);
        List<Attempt> attempts = new ArrayList<>();
        for (long user = 100_001; user <= 103_000; user++) {
            attempts.add(new Attempt(user, coupon));
        }
        Random random = new Random(13);
        for (int i = 0; i < 300; i++) {
            attempts.add(new Attempt(100_001 + random.nextInt(3_000), coupon));
        }
        Collections.shuffle(attempts, random);
        ServiceProcess doomed = stack.gateways().get(1);
        // units last past the middle, so the kill meets admissions in flight, not only refusals
        int killAfter = attempts.size() / 2;

        AtomicInteger answered = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicLong doomedHandled = new AtomicLong(-1);
        ConcurrentLinkedQueue<Answer> afterKill = new ConcurrentLinkedQueue<>();
        List<Thread> killer = Collections.synchronizedList(new ArrayList<>());
        List<Answer> answers = rushKeepingBrokenAnswers(attempts, answer -> {
            if (killed.get()) {
                afterKill.add(answer);
            }
            if (answered.incrementAndGet() == killAfter) {
                killer.add(Thread.ofPlatform().name("kill-gateway-2").start(() -> {
                    try {
                        doomedHandled.set(issueRequestsAnswered(doomed));
                        doomed.kill();
                        killed.set(true);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
        });
        for (Thread thread : killer) {
            thread.join();
        }
        assertThat(doomed.alive()).isFalse();

        List<Answer> accepted = answers.stream().filter(Answer::accepted).toList();
        Map<String, Outcome> outcomes = client.awaitFinal(accepted, DRAIN);
        awaitNothingPending(coupon);
        StateReport state = checker.checkState(coupon);
        Map<String, Long> answerCounts = new TreeMap<>(answers.stream().collect(
                Collectors.groupingBy(answer -> answer.accepted() ? "202" : answer.status() + " " + answer.code(),
                        Collectors.counting())));
        System.out.println("killed gateway-2 after " + doomedHandled.get() + " issue requests; answers " + answerCounts
                + "; " + afterKill.size() + " after the kill; issued " + state.issued() + "; violations "
                + state.violations());

        // the kill happened mid-rush, on a gateway that was serving, and the rush went on without it
        assertThat(doomedHandled.get()).isPositive();
        assertThat(afterKill).anyMatch(Answer::accepted);

        // I1, I2, I5 and nothing pending: exactly the units, each to one user
        assertThat(state.violations()).isEmpty();
        assertThat(state.issued()).isEqualTo(units);

        // every answer is an admission, a refusal that took nothing, or nginx saying it does not know
        assertThat(answers).allMatch(answer -> answer.accepted() || is(REFUSALS, answer)
                || is(UNKNOWN_OUTCOME, answer), "202, a refusal or an unknown outcome");
        List<Answer> unknown = answers.stream().filter(answer -> is(UNKNOWN_OUTCOME, answer)).toList();
        // only requests in flight at the kill can be lost with it; nginx sent no other to the dead gateway
        assertThat(unknown).hasSizeLessThanOrEqualTo(2 * CLIENTS);

        // I3: every 202 reached ISSUED (there were units for all of them), with its own row
        Map<String, Row> rowsByRequest = rows(coupon).stream().collect(Collectors.toMap(Row::requestId, row -> row));
        for (Answer answer : accepted) {
            Outcome outcome = outcomes.get(answer.requestId());
            assertThat(outcome).as(answer.requestId()).isNotNull();
            assertThat(outcome.status()).as(answer.requestId()).isEqualTo("ISSUED");
            assertThat(rowsByRequest.get(answer.requestId())).as(answer.requestId()).isNotNull()
                    .extracting(Row::userId).isEqualTo(answer.attempt().userId());
        }

        // I4: a row comes from a 202, or from a request lost with the gateway of a user told nothing else
        Set<String> acceptedIds = accepted.stream().map(Answer::requestId).collect(Collectors.toSet());
        Set<Long> toldAccepted = accepted.stream().map(answer -> answer.attempt().userId()).collect(Collectors.toSet());
        Set<Long> toldUnknown = unknown.stream().map(answer -> answer.attempt().userId()).collect(Collectors.toSet());
        for (Row row : rowsByRequest.values()) {
            assertThat(acceptedIds.contains(row.requestId())
                    || toldUnknown.contains(row.userId()) && !toldAccepted.contains(row.userId()))
                    .as("row %s of user %d", row.requestId(), row.userId()).isTrue();
        }
        Set<Long> holders = rowsByRequest.values().stream().map(Row::userId).collect(Collectors.toSet());
        Map<Long, List<Answer>> byUser = answers.stream().collect(Collectors.groupingBy(answer -> answer.attempt().userId()));
        Set<Long> onlyRefused = new HashSet<>();
        byUser.forEach((user, theirs) -> {
            if (theirs.stream().allMatch(answer -> is(REFUSALS, answer))) {
                onlyRefused.add(user);
            }
        });
        assertThat(onlyRefused).as("users told only refusals who hold a unit").doesNotContainAnyElementsOf(holders);
        // a DUPLICATE_REQUEST answer names the request that holds the user's unit
        Map<Long, String> heldBy = new HashMap<>();
        rowsByRequest.values().forEach(row -> heldBy.put(row.userId(), row.requestId()));
        for (Answer answer : answers) {
            if ("DUPLICATE_REQUEST".equals(answer.code())) {
                assertThat(answer.requestId()).as("user %d", answer.attempt().userId())
                        .isEqualTo(heldBy.get(answer.attempt().userId()));
            }
        }
    }

    private record Row(long userId, String requestId) {
    }

    /** Whether the answer's code is one of these; a 202 has none. */
    private static boolean is(Set<String> codes, Answer answer) {
        return answer.code() != null && codes.contains(answer.code());
    }

    /**
     * {@link RushClient#rush} with one difference: an answer cut off in transfer (nginx had begun
     * passing on the gateway's answer when the gateway died) is kept as {@link #BROKEN} instead of
     * ending the rush. Bounded like the client's own: {@link #CLIENTS} at a time, a timeout per call.
     */
    private static List<Answer> rushKeepingBrokenAnswers(List<Attempt> attempts, Consumer<Answer> onAnswer)
            throws Exception {
        Semaphore permits = new Semaphore(CLIENTS);
        List<Future<Answer>> futures = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Attempt attempt : attempts) {
                futures.add(executor.submit(() -> {
                    permits.acquire();
                    long started = System.nanoTime();
                    try {
                        Answer answer;
                        try {
                            answer = client.issue(attempt);
                        } catch (IOException broken) {
                            answer = new Answer(attempt, 0, BROKEN, null, Duration.ofNanos(System.nanoTime() - started),
                                    null);
                        }
                        onAnswer.accept(answer);
                        return answer;
                    } finally {
                        permits.release();
                    }
                }));
            }
        }
        List<Answer> answers = new ArrayList<>();
        for (Future<Answer> future : futures) {
            answers.add(future.get());
        }
        return answers;
    }

    /** Issue requests a gateway has answered so far, every outcome together, from its own actuator. */
    private static long issueRequestsAnswered(ServiceProcess gateway) {
        return Math.round(stack.metric(gateway, MetricNames.ISSUE_REQUESTS.replace('.', '_') + "_total", Map.of()));
    }

    private static List<Row> rows(long coupon) {
        return stack.db().sql("SELECT user_id, request_id FROM coupon_issuance WHERE coupon_id = ?").param(coupon)
                .query((rs, n) -> new Row(rs.getLong(1), rs.getString(2))).list();
    }

    /** What the killed gateway left pending is re-sent by the reconciler; waits until it is all decided. */
    private static void awaitNothingPending(long coupon) throws InterruptedException {
        Instant until = Instant.now().plus(DRAIN);
        while (stack.couponRedis().pendingCount(coupon) > 0 && Instant.now().isBefore(until)) {
            Thread.sleep(500);
        }
    }
}
