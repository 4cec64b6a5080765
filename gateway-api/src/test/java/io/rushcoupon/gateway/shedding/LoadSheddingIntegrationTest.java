package io.rushcoupon.gateway.shedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.AdmissionGuard;
import io.rushcoupon.gateway.support.ConfiguredGatewayIntegrationTest;
import io.rushcoupon.gateway.support.GatewayClient.Reply;
import io.rushcoupon.gateway.support.TestCoupons;

/** At most max-in-flight (2 here) issue requests at once; the next is answered 503 at once. */
class LoadSheddingIntegrationTest extends ConfiguredGatewayIntegrationTest {

    @Autowired
    IssueLoadShedder shedder;

    @Autowired
    MeterRegistry meters;

    @Test
    void shedsTheRequestBeyondTheCapAtOnceAndAdmitsAgainOnceThereIsRoom() throws Exception {
        long slowCoupon = TestCoupons.newId();
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(slowCoupon, 10));
        couponRedis.publish(TestCoupons.open(couponId, 10));
        CountDownLatch release = new CountDownLatch(1);
        // requests for the slow coupon hang in their admission script, as under an overload
        doAnswer(call -> {
            release.await(30, TimeUnit.SECONDS);
            return call.callRealMethod();
        }).when(couponRedis).precheck(ofCoupon(slowCoupon), anyLong(), any(), any(), any(), any(AdmissionGuard.class));
        double shedBefore = shedCount();

        List<Future<Reply>> hanging = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(MAX_IN_FLIGHT)) {
            for (int user = 1; user <= MAX_IN_FLIGHT; user++) {
                String token = token(user);
                hanging.add(clients.submit(() -> gateway.requestCoupon(slowCoupon, token)));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> shedder.inFlight() == MAX_IN_FLIGHT);

            Reply shed = gateway.requestCoupon(couponId, token(50));
            Reply status = gateway.get("/api/v1/coupons/" + couponId, null);

            assertThat(shed.status()).as(shed.toString()).isEqualTo(503);
            assertThat(shed.contentType()).startsWith("application/problem+json");
            assertThat(shed.code()).isEqualTo("OVERLOADED");
            assertThat(shed.header("Retry-After")).isEqualTo("1");
            assertThat(shedCount()).isEqualTo(shedBefore + 1);
            assertThat(status.status()).as("only issue requests are capped").isEqualTo(200);
            assertThat(couponRedis.coupon(couponId).orElseThrow().remaining()).as("nothing taken").isEqualTo(10);

            release.countDown();
            for (Future<Reply> reply : hanging) {
                assertThat(reply.get(30, TimeUnit.SECONDS).status()).isEqualTo(202);
            }
        } finally {
            release.countDown();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> shedder.inFlight() == 0);
        assertThat(gateway.requestCoupon(couponId, token(50)).status()).isEqualTo(202);
    }

    @Test
    void shedsEvenUnauthenticatedFloodsBeforeTheirTokenIsChecked() throws Exception {
        long slowCoupon = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(slowCoupon, 10));
        CountDownLatch release = new CountDownLatch(1);
        doAnswer(call -> {
            release.await(30, TimeUnit.SECONDS);
            return call.callRealMethod();
        }).when(couponRedis).precheck(ofCoupon(slowCoupon), anyLong(), any(), any(), any(), any(AdmissionGuard.class));

        try (ExecutorService clients = Executors.newFixedThreadPool(MAX_IN_FLIGHT)) {
            for (int user = 1; user <= MAX_IN_FLIGHT; user++) {
                String token = token(100 + user);
                clients.submit(() -> gateway.requestCoupon(slowCoupon, token));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> shedder.inFlight() == MAX_IN_FLIGHT);

            assertThat(gateway.requestCoupon(slowCoupon, "not-a-token").code()).isEqualTo("OVERLOADED");
            release.countDown();
        } finally {
            release.countDown();
        }
    }

    private double shedCount() {
        var counter = meters.find(MetricNames.ISSUE_REQUESTS).tag(MetricNames.OUTCOME, IssueLoadShedder.SHED).counter();
        return counter == null ? 0 : counter.count();
    }

    private static RequestId ofCoupon(long couponId) {
        return argThat(requestId -> requestId != null && requestId.couponId() == couponId);
    }
}
