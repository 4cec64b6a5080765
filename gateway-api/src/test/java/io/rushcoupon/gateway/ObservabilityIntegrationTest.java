package io.rushcoupon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import io.rushcoupon.gateway.support.GatewayClient.Reply;
import io.rushcoupon.gateway.support.GatewayIntegrationTest;
import io.rushcoupon.gateway.support.IssueRequestedTopic;
import io.rushcoupon.gateway.support.TestCoupons;
import io.rushcoupon.testsupport.ScrapeNames;
import io.rushcoupon.testsupport.TestTokens;

/** What operators see of the gateway: the Prometheus scrape, the closed actuator, trace headers. */
class ObservabilityIntegrationTest extends GatewayIntegrationTest {

    private static final String TRACEPARENT = "traceparent";

    @Test
    void listsRushPathMetricsOnTheScrapeWithoutAToken() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 10));
        assertThat(gateway.requestCoupon(couponId, TestTokens.user(11)).status()).isEqualTo(202);

        Reply scrape = gateway.get("/actuator/prometheus", null, "text/plain");

        assertThat(scrape.status()).as(scrape.toString()).isEqualTo(200);
        String body = scrape.response().body();
        Set<String> names = ScrapeNames.metricNames(body);
        System.out.println("gateway /actuator/prometheus names: " + names);
        assertThat(names).contains(
                "rushcoupon_issue_requests_total",
                "rushcoupon_lock_wait_seconds_bucket",
                "rushcoupon_precheck_seconds_bucket",
                "rushcoupon_kafka_send_seconds_bucket",
                "rushcoupon_compensations_total",
                "http_server_requests_seconds_bucket",
                // Kafka's own producer metrics through Micrometer
                "kafka_producer_record_send_total");
        assertThat(body)
                .containsPattern("rushcoupon_issue_requests_total\\{[^}]*outcome=\"accepted\"[^}]*} [1-9]")
                .containsPattern("rushcoupon_lock_wait_seconds_count\\{[^}]*result=\"acquired\"[^}]*} [1-9]")
                .containsPattern("rushcoupon_kafka_send_seconds_count\\{[^}]*result=\"acked\"[^}]*} [1-9]")
                .containsPattern("rushcoupon_precheck_seconds_count\\{[^}]*} [1-9]")
                // every outcome is registered up front, so dashboards and alerts see zeros, not gaps
                .contains("outcome=\"duplicate\"", "outcome=\"sold_out\"", "outcome=\"not_open\"",
                        "outcome=\"busy\"", "outcome=\"unavailable\"");
    }

    @Test
    void exposesNoActuatorEndpointBeyondProbesAndMetrics() {
        assertThat(gateway.get("/actuator/health/liveness", null).status()).isEqualTo(200);
        assertThat(gateway.get("/actuator/health/readiness", null).status()).isEqualTo(200);
        for (String endpoint : List.of("/actuator/env", "/actuator/beans", "/actuator/info", "/actuator/configprops",
                "/actuator/loggers", "/actuator/heapdump", "/actuator/threaddump", "/actuator/mappings")) {
            assertThat(gateway.get(endpoint, null).status()).as("%s without a token", endpoint).isIn(401, 404);
            assertThat(gateway.get(endpoint, TestTokens.user(1)).status()).as("%s with a user's token", endpoint)
                    .isIn(403, 404);
        }
    }

    @Test
    void carriesTheCallersTraceIntoTheKafkaRecord() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 10));
        String traceId = randomHex(16);
        String callerSpanId = randomHex(8);

        Reply reply = gateway.requestCoupon(couponId, TestTokens.user(12),
                Map.of(TRACEPARENT, "00-" + traceId + "-" + callerSpanId + "-01"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        List<ConsumerRecord<String, String>> records = IssueRequestedTopic.recordsOf(couponId);
        assertThat(records).hasSize(1);
        String traceparent = header(records.getFirst(), TRACEPARENT);
        assertThat(traceparent).as("W3C trace context: version-traceId-spanId-flags")
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        String[] parts = traceparent.split("-");
        assertThat(parts[1]).as("the caller's trace").isEqualTo(traceId);
        assertThat(parts[2]).as("a span of the gateway's, not the caller's").isNotEqualTo(callerSpanId);
    }

    @Test
    void startsATraceForARequestThatCameWithout() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 10));

        assertThat(gateway.requestCoupon(couponId, TestTokens.user(13)).status()).isEqualTo(202);

        List<ConsumerRecord<String, String>> records = IssueRequestedTopic.recordsOf(couponId);
        assertThat(records).hasSize(1);
        assertThat(header(records.getFirst(), TRACEPARENT)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s of the record", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String randomHex(int bytes) {
        byte[] value = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(value);
        value[0] |= 1; // never all zeros, which W3C forbids
        return HexFormat.of().formatHex(value);
    }
}
