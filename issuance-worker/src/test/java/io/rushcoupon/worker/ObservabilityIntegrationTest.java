package io.rushcoupon.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.client.codec.StringCodec;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.testsupport.ScrapeNames;

/**
 * What operators see of the worker: the Prometheus scrape (nothing else of the actuator, as the
 * worker has no authentication), the pending-request gauges, and the gateway's trace id in the
 * worker's lines about a request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // the reconciler runs (its counters are registered) but leaves this test's pending requests alone
        "rushcoupon.worker.reconciler.pending-threshold=1h",
        "rushcoupon.worker.pending-gauge.refresh=200ms",
        "logging.level." + ObservabilityIntegrationTest.LISTENER_LOGGER + "=DEBUG"})
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityIntegrationTest extends WorkerIntegrationTest {

    static final String LISTENER_LOGGER = "io.rushcoupon.worker.issuance.IssueRequestListener";

    private static final Duration SETTLE = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @AfterAll
    static void quietListenerAgain() {
        // log levels outlive the context; later test classes in this JVM need no per-request lines
        LoggingSystem.get(ObservabilityIntegrationTest.class.getClassLoader()).setLogLevel(LISTENER_LOGGER, null);
    }

    @Test
    void listsIssuanceAndConsumerMetricsOnTheScrapeWithoutAuthentication() throws Exception {
        fixture.openCoupon(601, 10);
        IssueRequested request = fixture.admit(601, 1);
        fixture.send(request);
        awaitFinal(request);

        HttpResponse<String> scrape = get("/actuator/prometheus");

        assertThat(scrape.statusCode()).isEqualTo(200);
        Set<String> names = ScrapeNames.metricNames(scrape.body());
        System.out.println("issuance-worker /actuator/prometheus names: " + names);
        assertThat(names).contains(
                "rushcoupon_issuances_total",
                "rushcoupon_issue_end_to_end_seconds_bucket",
                "rushcoupon_batch_size_bucket",
                "rushcoupon_version_retries_total",
                "rushcoupon_dead_letters_total",
                "rushcoupon_rejections_total",
                "rushcoupon_reconciler_resends_total",
                "rushcoupon_reconciler_rebuilds_total",
                "rushcoupon_pending_oldest_age_seconds",
                "rushcoupon_pending_requests",
                // consumer lag from Kafka's client metrics (Boot's MicrometerConsumerListener)
                "kafka_consumer_fetch_manager_records_lag_max");
        assertThat(scrape.body()).containsPattern("rushcoupon_issuances_total\\{[^}]*} [1-9]");
    }

    @Test
    void exposesNoActuatorEndpointBeyondProbesAndMetrics() throws Exception {
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        for (String endpoint : List.of("/actuator/env", "/actuator/beans", "/actuator/info", "/actuator/configprops",
                "/actuator/loggers", "/actuator/heapdump", "/actuator/threaddump", "/actuator/mappings")) {
            assertThat(get(endpoint).statusCode()).as(endpoint).isEqualTo(404);
        }
    }

    @Test
    void gaugesTheAgeOfTheOldestPendingRequest() {
        fixture.openCoupon(602, 10);
        IssueRequested waiting = fixture.admit(602, 1);
        fixture.admit(602, 2);
        // admitted two minutes ago and never sent: what the alert is for
        redisson.getScoredSortedSet(CouponKeys.of(602).pending(), StringCodec.INSTANCE)
                .add(Instant.now().minusSeconds(120).toEpochMilli(), waiting.requestId());

        await().atMost(SETTLE).untilAsserted(() -> {
            assertThat(gauge(MetricNames.PENDING_OLDEST_AGE)).isBetween(119.0, 600.0);
            assertThat(gauge(MetricNames.PENDING_REQUESTS)).isEqualTo(2.0);
        });

        fixture.couponRedis().pendingSince(602, Instant.now(), 10).forEach(fixture.couponRedis()::dropPending);

        await().atMost(SETTLE).untilAsserted(() -> {
            assertThat(gauge(MetricNames.PENDING_OLDEST_AGE)).isZero();
            assertThat(gauge(MetricNames.PENDING_REQUESTS)).isZero();
        });
    }

    @Test
    void gaugesPendingRequestsOfACouponWhoseWindowEndedHoursAgo() {
        fixture.openCoupon(605, 10);
        IssueRequested waiting = fixture.admit(605, 1);
        redisson.getScoredSortedSet(CouponKeys.of(605).pending(), StringCodec.INSTANCE)
                .add(Instant.now().minusSeconds(120).toEpochMilli(), waiting.requestId());
        fixture.endedAgo(605, Duration.ofHours(2));

        await().atMost(SETTLE).untilAsserted(() -> {
            assertThat(gauge(MetricNames.PENDING_OLDEST_AGE)).isBetween(119.0, 600.0);
            assertThat(gauge(MetricNames.PENDING_REQUESTS)).isEqualTo(1.0);
        });
    }

    @Test
    void logsEachDecidedRequestInTheTraceItsRecordCarries(CapturedOutput output) {
        fixture.openCoupon(603, 10);
        IssueRequested request = fixture.admit(603, 1);
        String traceId = randomHex(16);

        fixture.sendTraced(request, "00-" + traceId + "-" + randomHex(8) + "-00");
        awaitFinal(request);

        await().atMost(SETTLE).untilAsserted(() -> assertThat(lines(output, request.requestId()))
                .anySatisfy(line -> assertThat(line).contains("ISSUED").contains(traceId)));
    }

    @Test
    void logsADeadLetteredRecordInItsTrace(CapturedOutput output) {
        fixture.openCoupon(604, 10);
        String traceId = randomHex(16);

        fixture.sendRawTraced(604, "{\"requestId\": 42, not json", "00-" + traceId + "-" + randomHex(8) + "-00");

        await().atMost(SETTLE).untilAsserted(() -> assertThat(lines(output, "Dead-lettered"))
                .anySatisfy(line -> assertThat(line).contains(traceId)));
    }

    private void awaitFinal(IssueRequested request) {
        await().atMost(SETTLE).untilAsserted(() -> assertThat(fixture.request(request)).hasValueSatisfying(status ->
                assertThat(status.status()).isNotEqualTo(IssueStatus.PENDING)));
    }

    private static List<String> lines(CapturedOutput output, String containing) {
        return output.getOut().lines().filter(line -> line.contains(containing)).toList();
    }

    private HttpResponse<String> get(String path) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String randomHex(int bytes) {
        byte[] value = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(value);
        value[0] |= 1; // never all zeros, which W3C forbids
        return HexFormat.of().formatHex(value);
    }
}
