package io.rushcoupon.gateway.shedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rushcoupon.common.metrics.MetricNames;

class IssueLoadShedderTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final IssueLoadShedder shedder = new IssueLoadShedder(1, Duration.ofMillis(1500), registry);

    @Test
    void answersOverloadedWhileTheOnlySlotIsTaken() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread first = holdTheOnlySlotUntil(release);

        AtomicInteger passed = new AtomicInteger();
        MockHttpServletResponse shed = new MockHttpServletResponse();
        shedder.doFilter(issue("/api/v1/coupons/6/issue-requests"), shed, (request, response) -> passed.incrementAndGet());

        assertThat(passed).hasValue(0);
        assertThat(shed.getStatus()).isEqualTo(503);
        assertThat(shed.getHeader("Retry-After")).isEqualTo("2");
        assertThat(shed.getContentType()).startsWith("application/problem+json");
        assertThat(shed.getContentAsString()).contains("\"code\":\"OVERLOADED\"");
        assertThat(registry.get(MetricNames.ISSUE_REQUESTS).tag(MetricNames.OUTCOME, "shed").counter().count())
                .isEqualTo(1);

        release.countDown();
        first.join(10_000);
        assertThat(shedder.inFlight()).isZero();
        shedder.doFilter(issue("/api/v1/coupons/6/issue-requests"), new MockHttpServletResponse(),
                (request, response) -> passed.incrementAndGet());
        assertThat(passed).hasValue(1);
    }

    @Test
    void freesTheSlotWhenTheRequestFails() throws Exception {
        try {
            shedder.doFilter(issue("/api/v1/coupons/5/issue-requests"), new MockHttpServletResponse(),
                    (request, response) -> {
                        throw new IllegalStateException("boom");
                    });
        } catch (Exception expected) {
            // the failure itself is the service's business
        }

        assertThat(shedder.inFlight()).isZero();
    }

    @Test
    void capsOnlyIssueRequests() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = holdTheOnlySlotUntil(release);

        AtomicInteger passed = new AtomicInteger();
        for (MockHttpServletRequest other : new MockHttpServletRequest[] {
                new MockHttpServletRequest("GET", "/api/v1/coupons/5"),
                new MockHttpServletRequest("GET", "/api/v1/issue-requests/5-abc"),
                new MockHttpServletRequest("GET", "/actuator/health/liveness")}) {
            shedder.doFilter(other, new MockHttpServletResponse(), (request, response) -> passed.incrementAndGet());
        }
        release.countDown();
        holder.join(10_000);

        assertThat(passed).hasValue(3);
    }

    /** An issue request that takes the shedder's only slot and keeps it until released; returns once inside. */
    private Thread holdTheOnlySlotUntil(CountDownLatch release) throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            try {
                shedder.doFilter(issue("/api/v1/coupons/5/issue-requests"), new MockHttpServletResponse(),
                        (request, response) -> {
                            inside.countDown();
                            try {
                                release.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(inside.await(10, TimeUnit.SECONDS)).as("the first request got the slot").isTrue();
        assertThat(shedder.inFlight()).isEqualTo(1);
        return holder;
    }

    private static MockHttpServletRequest issue(String path) {
        return new MockHttpServletRequest("POST", path);
    }
}
