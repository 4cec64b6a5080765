package io.rushcoupon.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.rushcoupon.common.event.Topics;
import io.rushcoupon.harness.rush.InvariantChecker;
import io.rushcoupon.harness.rush.InvariantChecker.Report;
import io.rushcoupon.harness.rush.RushClient;
import io.rushcoupon.harness.rush.RushClient.Answer;
import io.rushcoupon.harness.rush.RushClient.Attempt;
import io.rushcoupon.harness.rush.RushClient.Outcome;
import io.rushcoupon.harness.stack.Stack;
import io.rushcoupon.testsupport.TestTokens;

/**
 * The whole rush path under contention: real HTTP with real tokens into the gateway's jar, real
 * Kafka, the worker's jar committing to real PostgreSQL, then I1–I5 checked per coupon.
 */
class RushIntegrationTest {

    private static final Duration DRAIN = Duration.ofSeconds(90);
    private static final int CLIENTS = 64;

    private static Stack stack;
    private static RushClient client;
    private static InvariantChecker checker;

    @BeforeAll
    static void startStack() throws Exception {
        // a generous lock wait: this test wants every second click to meet the first one's
        // DUPLICATE answer, not BUSY; BUSY has its own gateway test
        stack = SystemStack.builder("")
                .gatewaySettings(Map.of("RUSHCOUPON_GATEWAY_LOCK_WAIT", "2s"))
                .workerSettings(Map.of("RUSHCOUPON_WORKER_CONCURRENCY", "2", "RUSHCOUPON_WORKER_PARTITIONS", "8",
                        // one line per decided request, in the trace its record carries (environment variables
                        // are lower-cased, so only a package level can be set this way)
                        "LOGGING_LEVEL_IO_RUSHCOUPON_WORKER_ISSUANCE", "DEBUG"))
                .start();
        client = new RushClient(stack.gateway().baseUrl(), TestTokens::user);
        checker = new InvariantChecker(stack.db(), stack.couponRedis());
        warmUp();
    }

    private static void warmUp() throws Exception {
        client.warmUp(stack.openCoupon("WARM-UP", 100), CLIENTS, DRAIN);
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void issuesExactlyTheUnitsOfAHotCouponToDistinctUsersWhenEveryUserClicksTwice() throws Exception {
        long coupon = stack.openCoupon("HOT-1000", 1_000);
        List<Attempt> attempts = new ArrayList<>();
        for (long user = 1; user <= 4_000; user++) {
            attempts.add(new Attempt(user, coupon));
            attempts.add(new Attempt(user, coupon));
        }
        Collections.shuffle(attempts, new Random(7));

        List<Answer> answers = client.rush(attempts, CLIENTS);
        Map<String, Outcome> outcomes = client.awaitFinal(answers.stream().filter(Answer::accepted).toList(), DRAIN);
        Report report = checker.check(coupon, answers, outcomes);
        System.out.println(report.line());

        assertThat(report.violations()).isEmpty();
        assertThat(report.accepted()).isEqualTo(1_000);
        assertThat(report.issued()).isEqualTo(1_000);
        assertThat(outcomes.values()).allMatch(outcome -> "ISSUED".equals(outcome.status()));
        assertThat(answers).filteredOn(answer -> !answer.accepted())
                .allMatch(answer -> "DUPLICATE_REQUEST".equals(answer.code()) || "SOLD_OUT".equals(answer.code()));
        assertThat(stack.couponRedis().coupon(coupon).orElseThrow().remaining()).isZero();
        assertThat(stack.db().sql("SELECT count(DISTINCT user_id) FROM coupon_issuance WHERE coupon_id = ?")
                .param(coupon).query(Long.class).single()).isEqualTo(1_000);
    }

    @Test
    void keepsEveryInvariantPerCouponWhenSeveralCouponsRushAtOnceAcrossPartitions() throws Exception {
        List<Long> coupons = List.of(stack.openCoupon("MULTI-A", 150), stack.openCoupon("MULTI-B", 250),
                stack.openCoupon("MULTI-C", 400), stack.openCoupon("MULTI-D", 50));
        List<Attempt> attempts = new ArrayList<>();
        for (long user = 10_001; user <= 10_800; user++) {
            for (long coupon : coupons) {
                attempts.add(new Attempt(user, coupon));
            }
        }
        Collections.shuffle(attempts, new Random(11));

        List<Answer> answers = client.rush(attempts, CLIENTS);
        Map<String, Outcome> outcomes = client.awaitFinal(answers.stream().filter(Answer::accepted).toList(), DRAIN);

        Map<Long, List<Answer>> byCoupon = InvariantChecker.byCoupon(answers);
        assertThat(byCoupon).hasSize(4);
        for (long coupon : coupons) {
            Report report = checker.check(coupon, byCoupon.get(coupon), outcomes);
            System.out.println(report.line());
            int units = stack.db().sql("SELECT total_quantity FROM coupon WHERE id = ?").param(coupon)
                    .query(Integer.class).single();
            assertThat(report.violations()).isEmpty();
            assertThat(report.issued()).isEqualTo(units);
        }
        // the rush really was spread: the coupons' keys sit on several partitions, read by 2+ consumers
        assertThat(coupons.stream().map(stack::partitionOf).distinct().count()).isGreaterThan(1);
        assertThat(stack.brokerAdmin().consumersOf(Topics.ISSUE_REQUESTED)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void carriesTheCallersTraceFromTheGatewayThroughKafkaIntoTheWorkersLog() throws Exception {
        long coupon = stack.openCoupon("TRACED", 1);
        String traceId = UUID.randomUUID().toString().replace("-", "");
        HttpRequest issue = HttpRequest.newBuilder(
                        URI.create(stack.gateway().baseUrl() + "/api/v1/coupons/" + coupon + "/issue-requests"))
                .header("Authorization", "Bearer " + TestTokens.user(77_001))
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .build();

        HttpResponse<String> answer;
        try (HttpClient http = HttpClient.newHttpClient()) {
            answer = http.send(issue, HttpResponse.BodyHandlers.ofString());
        }

        assertThat(answer.statusCode()).isEqualTo(202);
        Matcher requestId = Pattern.compile("\"requestId\"\\s*:\\s*\"([^\"]+)\"").matcher(answer.body());
        assertThat(requestId.find()).as("request id in %s", answer.body()).isTrue();
        // the gateway wrote the trace into the Kafka record; the worker logs its decision in it
        await().atMost(DRAIN).untilAsserted(() -> assertThat(Files.readAllLines(stack.worker().log()))
                .anySatisfy(line -> assertThat(line).contains(traceId).contains(requestId.group(1)).contains("ISSUED")));
    }
}
