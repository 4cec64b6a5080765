package io.rushcoupon.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doThrow;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.rushcoupon.gateway.support.ConfiguredGatewayIntegrationTest;
import io.rushcoupon.gateway.support.GatewayClient.Reply;
import io.rushcoupon.gateway.support.TestCoupons;
import io.rushcoupon.testsupport.TestTokens;

/** Issuer, audience and CORS as configured for production, and what a failure shows. */
class ConfiguredSecurityIntegrationTest extends ConfiguredGatewayIntegrationTest {

    @Test
    void acceptsOnlyTokensOfTheConfiguredIssuerAndAudience() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 5));
        Map<String, String> refused = Map.of(
                "no issuer", TestTokens.sign(TestTokens.SECRET, claims -> claims.subject("3").audience(AUDIENCE)),
                "other issuer", TestTokens.sign(TestTokens.SECRET, claims -> claims.subject("3")
                        .issuer("https://evil.test").audience(AUDIENCE)),
                "no audience", TestTokens.sign(TestTokens.SECRET, claims -> claims.subject("3").issuer(ISSUER)),
                "other audience", TestTokens.sign(TestTokens.SECRET, claims -> claims.subject("3")
                        .issuer(ISSUER).audience(List.of("billing-api"))),
                "plain test token", TestTokens.user(3));

        refused.forEach((kind, token) -> {
            Reply reply = gateway.requestCoupon(couponId, token);
            assertThat(reply.status()).as(kind + ": " + reply).isEqualTo(401);
            assertThat(reply.code()).as(kind).isEqualTo("UNAUTHORIZED");
        });
        assertThat(couponRedis.coupon(couponId).orElseThrow().remaining()).isEqualTo(5);
        assertThat(gateway.requestCoupon(couponId, token(3)).status()).isEqualTo(202);
    }

    @Test
    void allowsCrossOriginCallsFromTheConfiguredOriginOnly() {
        Map<String, String> fromShop = Map.of("Origin", SHOP, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization");
        Map<String, String> fromElsewhere = Map.of("Origin", "https://evil.test", "Access-Control-Request-Method",
                "POST", "Access-Control-Request-Headers", "authorization");

        Reply allowed = gateway.exchange("OPTIONS", "/api/v1/coupons/1/issue-requests", null, fromShop, null);
        Reply refused = gateway.exchange("OPTIONS", "/api/v1/coupons/1/issue-requests", null, fromElsewhere, null);

        assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(SHOP);
        assertThat(allowed.header("Access-Control-Allow-Credentials")).isNull();
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void answersAnUnexpectedFailureWithAProblemWithoutStackTraceOrCause() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 5));
        doThrow(new IllegalStateException("decoded coupon hash with password=hunter2"))
                .when(couponRedis).coupon(couponId);

        Reply reply = gateway.get("/api/v1/coupons/" + couponId, null);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(500);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.code()).isEqualTo("INTERNAL_ERROR");
        assertThat(reply.json().has("trace")).isFalse();
        assertThat(reply.json().has("exception")).isFalse();
        assertThat(reply.response().body()).doesNotContain("hunter2", "IllegalStateException", "\tat ", "io.rushcoupon");
    }
}
