package io.rushcoupon.gateway.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.FinalStatus;
import io.rushcoupon.gateway.support.GatewayClient.Reply;
import io.rushcoupon.gateway.support.TestCoupons;
import io.rushcoupon.gateway.support.GatewayIntegrationTest;
import io.rushcoupon.testsupport.TestTokens;

class IssueRequestStatusIntegrationTest extends GatewayIntegrationTest {

    long couponId;

    @BeforeEach
    void setUp() {
        couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 5));
    }

    @Test
    void showsTheOwnerTheirPendingRequest() {
        Reply accepted = gateway.requestCoupon(couponId, TestTokens.user(7));

        Reply status = gateway.get(accepted.header("Location"), TestTokens.user(7));

        assertThat(status.status()).as(status.toString()).isEqualTo(200);
        assertThat(status.text("requestId")).isEqualTo(accepted.text("requestId"));
        assertThat(status.json().get("couponId").asLong()).isEqualTo(couponId);
        assertThat(status.text("status")).isEqualTo("PENDING");
        assertThat(status.text("reason")).isNull();
        assertThat(status.text("issuedAt")).isNull();
    }

    @Test
    void showsTheFinalStatusOnceTheWorkerDecided() {
        String issuedId = gateway.requestCoupon(couponId, TestTokens.user(7)).text("requestId");
        String rejectedId = gateway.requestCoupon(couponId, TestTokens.user(8)).text("requestId");
        Instant issuedAt = Instant.parse("2026-12-01T10:00:01.123Z");
        couponRedis.finalizeRequests(couponId, List.of(
                FinalStatus.issued(RequestId.tryParse(issuedId), 7, issuedAt),
                FinalStatus.rejected(RequestId.tryParse(rejectedId), 8, ErrorCode.SOLD_OUT)), 3,
                java.time.Duration.ofHours(1));

        Reply issued = gateway.get("/api/v1/issue-requests/" + issuedId, TestTokens.user(7));
        Reply rejected = gateway.get("/api/v1/issue-requests/" + rejectedId, TestTokens.user(8));

        assertThat(issued.text("status")).isEqualTo("ISSUED");
        assertThat(Instant.parse(issued.text("issuedAt"))).isEqualTo(issuedAt);
        assertThat(rejected.text("status")).isEqualTo("REJECTED");
        assertThat(rejected.text("reason")).isEqualTo("SOLD_OUT");
    }

    @Test
    void hidesARequestFromOtherUsers() {
        Reply accepted = gateway.requestCoupon(couponId, TestTokens.user(7));

        Reply other = gateway.get(accepted.header("Location"), TestTokens.user(8));

        assertNotFound(other);
    }

    @Test
    void answersUnknownAndMalformedIdsLikeSomeoneElses() {
        for (String id : List.of(RequestId.newFor(couponId).toString(), "nonsense", "42-not-a-uuid",
                "0-0b9f6c2e-3f4a-4f6e-9d1c-7a8b9c0d1e2f")) {
            assertNotFound(gateway.get("/api/v1/issue-requests/" + id, TestTokens.user(7)));
        }
    }

    @Test
    void requiresAValidToken() {
        String location = gateway.requestCoupon(couponId, TestTokens.user(7)).header("Location");

        Reply anonymous = gateway.get(location, null);
        Reply garbage = gateway.get(location, "not-a-jwt");
        Reply notAUser = gateway.get(location, TestTokens.sign(TestTokens.SECRET, claims -> claims.subject("alice")));

        for (Reply reply : List.of(anonymous, garbage, notAUser)) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.code()).isEqualTo("UNAUTHORIZED");
        }
    }

    private static void assertNotFound(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.code()).isEqualTo("REQUEST_NOT_FOUND");
    }
}
