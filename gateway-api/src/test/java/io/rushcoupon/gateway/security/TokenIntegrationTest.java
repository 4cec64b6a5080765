package io.rushcoupon.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.gateway.support.GatewayClient.Reply;
import io.rushcoupon.gateway.support.GatewayIntegrationTest;
import io.rushcoupon.gateway.support.TestCoupons;
import io.rushcoupon.testsupport.TestTokens;

/** Which bearer tokens the gateway accepts, over real HTTP, and where the user id comes from. */
@ExtendWith(OutputCaptureExtension.class)
class TokenIntegrationTest extends GatewayIntegrationTest {

    private long couponId;

    @BeforeEach
    void openACoupon() {
        couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 5));
    }

    @Test
    void refusesEveryInvalidTokenWithAnUnauthorizedProblemAndTakesNothing() {
        Instant now = Instant.now();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("wrong signature", TestTokens.sign("another-secret-of-at-least-32-bytes-0123456789",
                claims -> claims.subject("5")));
        tokens.put("alg none", unsigned("{\"sub\":\"5\",\"exp\":" + now.plus(Duration.ofHours(1)).getEpochSecond() + "}"));
        tokens.put("expired", TestTokens.sign(TestTokens.SECRET, claims -> claims.subject("5")
                .issueTime(Date.from(now.minus(Duration.ofHours(2))))
                .expirationTime(Date.from(now.minus(Duration.ofMinutes(5))))));
        tokens.put("not yet valid", TestTokens.sign(TestTokens.SECRET, claims -> claims.subject("5")
                .notBeforeTime(Date.from(now.plus(Duration.ofMinutes(10))))));
        tokens.put("no expiry", TestTokens.sign(TestTokens.SECRET, claims -> claims.subject("5").expirationTime(null)));
        tokens.put("no subject", TestTokens.sign(TestTokens.SECRET, claims -> claims.claim("email", "a@b.test")));
        tokens.put("subject not a user id", TestTokens.sign(TestTokens.SECRET, claims -> claims.subject("admin")));
        tokens.put("garbage", "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2lnbmF0dXJl");

        tokens.forEach((kind, token) -> {
            Reply reply = gateway.requestCoupon(couponId, token);

            assertThat(reply.status()).as(kind + ": " + reply).isEqualTo(401);
            assertThat(reply.contentType()).as(kind).startsWith("application/problem+json");
            assertThat(reply.code()).as(kind).isEqualTo("UNAUTHORIZED");
            assertThat(reply.header("WWW-Authenticate")).as(kind).startsWith("Bearer");
            assertThat(reply.response().body() + reply.response().headers().map()).as(kind)
                    .doesNotContain(token).doesNotContain(signature(token));
        });
        assertThat(couponRedis.coupon(couponId).orElseThrow().remaining()).isEqualTo(5);
    }

    @Test
    void takesTheUserIdOnlyFromTheTokenNeverFromHeadersQueryOrBody() {
        Map<String, String> impostor = Map.of("X-User-Id", "1", "X-Forwarded-User", "1", "X-Auth-Request-User", "1",
                "Content-Type", "application/json");

        Reply reply = gateway.exchange("POST", "/api/v1/coupons/" + couponId + "/issue-requests?userId=1&sub=1",
                TestTokens.user(41), impostor, "{\"userId\":1,\"sub\":\"1\"}");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        assertThat(couponRedis.request(RequestId.tryParse(reply.text("requestId"))).orElseThrow().userId()).isEqualTo(41);
        // and a header alone never authenticates anyone
        Reply anonymous = gateway.exchange("POST", "/api/v1/coupons/" + couponId + "/issue-requests", null,
                Map.of("X-User-Id", "1"), null);
        assertThat(anonymous.status()).isEqualTo(401);
    }

    @Test
    void refusesATokenInTheQueryString() {
        Reply reply = gateway.exchange("POST",
                "/api/v1/coupons/" + couponId + "/issue-requests?access_token=" + TestTokens.user(42), null, Map.of(),
                null);

        assertThat(reply.status()).as("tokens in URLs end up in access logs").isEqualTo(401);
    }

    @Test
    void neverLogsARejectedToken(CapturedOutput output) {
        String forged = TestTokens.sign("another-secret-of-at-least-32-bytes-0123456789", claims -> claims.subject("5"));
        String malformed = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI1In0.bm90LWEtc2lnbmF0dXJl";
        LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
        // as verbose as an operator chasing a login problem would make it
        logging.setLogLevel("org.springframework.security", LogLevel.TRACE);
        logging.setLogLevel("org.springframework.web", LogLevel.TRACE);
        try {
            assertThat(gateway.requestCoupon(couponId, forged).status()).isEqualTo(401);
            assertThat(gateway.requestCoupon(couponId, malformed).status()).isEqualTo(401);
        } finally {
            logging.setLogLevel("org.springframework.security", null);
            logging.setLogLevel("org.springframework.web", null);
        }

        assertThat(output.getAll()).as("the trace logging was on").contains("Securing POST");
        assertThat(output.getAll()).doesNotContain(forged).doesNotContain(signature(forged))
                .doesNotContain(malformed).doesNotContain(signature(malformed));
    }

    @Test
    void keepsCrossOriginCallsClosedByDefault() {
        Reply preflight = gateway.exchange("OPTIONS", "/api/v1/coupons/" + couponId + "/issue-requests", null,
                Map.of("Origin", "https://evil.test", "Access-Control-Request-Method", "POST",
                        "Access-Control-Request-Headers", "authorization"), null);
        Reply simple = gateway.exchange("GET", "/api/v1/coupons/" + couponId, null,
                Map.of("Origin", "https://evil.test"), null);

        assertThat(preflight.header("Access-Control-Allow-Origin")).as(preflight.toString()).isNull();
        assertThat(simple.status()).isEqualTo(200);
        assertThat(simple.header("Access-Control-Allow-Origin")).isNull();
    }

    private static String unsigned(String claims) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".";
    }

    /** The part of a token that proves it; the header and claims are readable by anyone anyway. */
    private static String signature(String token) {
        String[] parts = token.split("\\.", -1);
        return parts.length == 3 && !parts[2].isEmpty() ? parts[2] : token;
    }
}
