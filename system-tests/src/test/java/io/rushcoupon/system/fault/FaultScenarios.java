package io.rushcoupon.system.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.rushcoupon.harness.stack.Stack;
import io.rushcoupon.system.fault.FaultChecker.Report;
import io.rushcoupon.system.fault.FaultRush.Paced;

/**
 * How a fault scenario starts its users and ends with the checker's line, shared by the fault
 * suites on one Redis ({@link FaultInjectionTest}) and on a Redis Cluster ({@link RedisClusterFaultTest}).
 */
final class FaultScenarios {

    static final int CONCURRENCY = 64;
    /** How long a user keeps retrying (UNAVAILABLE, BUSY, no answer) before giving up. */
    static final Duration PATIENCE = Duration.ofSeconds(120);
    static final Duration RETRY_CAP = Duration.ofSeconds(2);
    /** Bounded time to final (I3): outage + reconciler threshold + restarts, with room for a loaded machine. */
    static final Duration FINAL = Duration.ofSeconds(120);

    private FaultScenarios() {
    }

    static FaultRush paced(Stack stack, Paced plan) {
        return FaultRush.paced(stack.gateway().baseUrl(), plan, CONCURRENCY, RETRY_CAP, PATIENCE);
    }

    /** JIT and connection pools warm before the first measured rush, as before a real drop. */
    static void warmUp(Stack stack, String code) {
        long coupon = stack.openCoupon(code, 100);
        try (FaultRush rush = paced(stack, new Paced(coupon, 900_001, 600, 300))) {
            rush.awaitSessions(PATIENCE);
            rush.awaitFinal(FINAL);
        }
    }

    /** Every session done, every learned request polled until final (or time is up), then the check. */
    static Report finish(FaultChecker checker, String scenario, long coupon, FaultRush rush)
            throws InterruptedException {
        assertThat(rush.awaitSessions(PATIENCE.plusSeconds(30))).as("every user had an answer or gave up").isTrue();
        rush.awaitFinal(FINAL);
        Report report = checker.check(scenario, coupon, rush.exchanges(), rush.tracked());
        System.out.println(report.line());
        return report;
    }
}
