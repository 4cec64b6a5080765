package io.rushcoupon.gateway.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.rushcoupon.gateway.support.GatewayClient.Reply;
import io.rushcoupon.gateway.support.GatewayIntegrationTest;
import io.rushcoupon.gateway.support.TestCoupons;
import io.rushcoupon.testsupport.RedisSnapshot;
import io.rushcoupon.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The corpus in {@code hostile/gateway-corpus.json}: malformed ids, injection fragments, odd
 * tokens, wrong methods, oversized bodies. Each must be answered with a 4xx problem detail with a
 * stable code, and must leave Redis exactly as it was.
 */
class GatewayHostileInputIntegrationTest extends GatewayIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private long couponId;
    private long unknownCouponId;
    private String requestOfUser7;

    /** {@code code} null: the container refuses it before Spring (see the corpus' "about"). */
    record HostileRequest(String name, String method, String path, String token, Map<String, String> headers,
            @Nullable String body, int status, @Nullable String code) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<HostileRequest> corpus() {
        try (InputStream in = GatewayHostileInputIntegrationTest.class.getResourceAsStream("/hostile/gateway-corpus.json")) {
            JsonNode root = JSON.readTree(in);
            return root.get("cases").valueStream().map(GatewayHostileInputIntegrationTest::hostileRequest).toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HostileRequest hostileRequest(JsonNode node) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (node.has("headers")) {
            node.get("headers").properties().forEach(header -> headers.put(header.getKey(), header.getValue().asString()));
        }
        String body = node.has("body") ? node.get("body").asString() : null;
        if (node.has("repeatBody")) {
            body = node.get("repeatBody").get("text").asString().repeat(node.get("repeatBody").get("times").asInt());
        }
        return new HostileRequest(node.get("name").asString(), node.get("method").asString(),
                node.get("path").asString(), node.get("token").asString(), headers, body, node.get("status").asInt(),
                node.get("code").isNull() ? null : node.get("code").asString());
    }

    @BeforeEach
    void seedACouponAndARequest() {
        couponId = TestCoupons.newId();
        unknownCouponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 5));
        Reply accepted = gateway.requestCoupon(couponId, TestTokens.user(7));
        assertThat(accepted.status()).isEqualTo(202);
        requestOfUser7 = accepted.text("requestId");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void answersAProblemWithAStableCodeAndChangesNothing(HostileRequest hostile) {
        Map<String, String> before = RedisSnapshot.of(redisson);

        Map<String, String> headers = new HashMap<>();
        hostile.headers().forEach((name, value) -> headers.put(name, fill(value)));
        Reply reply = gateway.exchange(hostile.method(), fill(hostile.path()), token(hostile.token()), headers,
                hostile.body());

        assertThat(reply.status()).as(reply.toString()).isEqualTo(hostile.status());
        assertThat(reply.response().body()).doesNotContain("Exception", "\tat ", "org.springframework", "Tomcat");
        if (hostile.code() == null) {
            // refused by the servlet container before any application code: a bare 400
            assertThat(reply.status()).isEqualTo(400);
        } else {
            assertThat(reply.contentType()).as(reply.toString()).startsWith("application/problem+json");
            assertThat(reply.code()).as(reply.toString()).isEqualTo(hostile.code());
        }
        assertThat(RedisSnapshot.of(redisson)).as("Redis after " + hostile.name()).isEqualTo(before);
    }

    private String fill(String text) {
        return text.replace("{coupon}", Long.toString(couponId))
                .replace("{unknown}", Long.toString(unknownCouponId))
                .replace("{request}", requestOfUser7)
                .replace("{userToken}", TestTokens.user(8));
    }

    private static @Nullable String token(String kind) {
        return switch (kind) {
            case "user" -> TestTokens.user(8);
            case "other user" -> TestTokens.user(9);
            case "owner" -> TestTokens.user(7);
            case "none" -> null;
            default -> throw new IllegalArgumentException("unknown token kind " + kind);
        };
    }
}
