package io.rushcoupon.system.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.rushcoupon.harness.process.ServiceProcess;
import io.rushcoupon.harness.stack.Stack;
import io.rushcoupon.system.fault.FaultChecker.Report;
import io.rushcoupon.system.fault.FaultRush.Paced;

/**
 * What the fault scenarios (F1–F10, docs/reliability.md) share: one warmed-up stack, the worker
 * settings that make recoveries fit a test's patience, the clients' behaviour and the checker.
 */
final class FaultSuite implements AutoCloseable {

    static final int CONCURRENCY = 64;
    /** How long a user keeps retrying (UNAVAILABLE, BUSY, no answer) before giving up. */
    static final Duration PATIENCE = Duration.ofSeconds(120);
    static final Duration RETRY_CAP = Duration.ofSeconds(2);
    /** Bounded time to final (I3): outage + reconciler threshold + restarts, with room for a loaded machine. */
    static final Duration FINAL = Duration.ofSeconds(120);
    /** How long a consumer that vanished keeps its partitions: the session timeout in {@link #WORKER}. */
    static final Duration CONSUMER_SESSION = Duration.ofSeconds(10);

    /**
     * The reconciler runs every second and re-sends requests pending for 5 s, and the worker's
     * consumer session times out after 10 s (instead of Kafka's 45 s), so recoveries that rely on
     * them finish within a test's patience.
     */
    static final Map<String, String> WORKER = Map.of(
            "RUSHCOUPON_WORKER_CONCURRENCY", "2",
            "RUSHCOUPON_WORKER_RECONCILER_INTERVAL", "1s",
            "RUSHCOUPON_WORKER_RECONCILER_PENDING_THRESHOLD", "5s",
            "SPRING_APPLICATION_JSON", "{\"spring.kafka.consumer.properties.[session.timeout.ms]\": \""
                    + CONSUMER_SESSION.toMillis() + "\"}");

    /** What {@link #joinAndLeave} saw: times in ms of the rush. */
    record JoinAndLeave(long joinedAtMillis, int acceptedWhenJoined, int mostMembers, long leftAtMillis) {
    }

    private final Stack stack;
    private final FaultChecker checker;

    private FaultSuite(Stack stack) {
        this.stack = stack;
        this.checker = new FaultChecker(stack.db(), stack.couponRedis());
    }

    /**
     * Starts the stack with {@link #WORKER}'s settings and warms JIT and connection pools with a
     * small rush, as before a real drop.
     */
    static FaultSuite start(Stack.Builder builder, String warmUpCode, int warmUpUsers) throws Exception {
        FaultSuite suite = new FaultSuite(builder.workerSettings(WORKER).start());
        try {
            long coupon = suite.stack.openCoupon(warmUpCode, 100);
            try (FaultRush rush = suite.paced(new Paced(coupon, 900_001, warmUpUsers, 300))) {
                rush.awaitSessions(PATIENCE);
                rush.awaitFinal(FINAL);
            }
        } catch (Exception | Error e) {
            suite.close();
            throw e;
        }
        return suite;
    }

    Stack stack() {
        return stack;
    }

    FaultChecker checker() {
        return checker;
    }

    FaultRush paced(Paced plan) {
        return FaultRush.paced(stack.gateway().baseUrl(), plan, CONCURRENCY, RETRY_CAP, PATIENCE);
    }

    /** Every session done, every learned request polled until final (or time is up), then the check. */
    Report finish(String scenario, long coupon, FaultRush rush) throws InterruptedException {
        assertThat(rush.awaitSessions(PATIENCE.plusSeconds(30))).as("every user had an answer or gave up").isTrue();
        rush.awaitFinal(FINAL);
        Report report = checker.check(scenario, coupon, rush.exchanges(), rush.tracked());
        System.out.println(report.line());
        return report;
    }

    /**
     * A second worker process joins the consumer group; once it is ready, the rush's phases that
     * wait are {@link FaultRush#release() released} and the group watched for {@code stay}; then
     * the second worker leaves (graceful stop).
     */
    JoinAndLeave joinAndLeave(FaultRush rush, Duration stay) throws Exception {
        AtomicInteger mostMembers = new AtomicInteger();
        ServiceProcess second = stack.startExtraWorker();
        long joinedAt;
        int acceptedWhenJoined;
        try {
            second.awaitReady(Duration.ofSeconds(150));
            joinedAt = rush.elapsedMillis();
            acceptedWhenJoined = rush.accepted();
            rush.release();
            long until = System.nanoTime() + stay.toNanos();
            while (System.nanoTime() < until) {
                mostMembers.accumulateAndGet(stack.workerGroupMembers(), Math::max);
                Thread.sleep(250);
            }
        } finally {
            second.close();
        }
        return new JoinAndLeave(joinedAt, acceptedWhenJoined, mostMembers.get(), rush.elapsedMillis());
    }

    @Override
    public void close() throws InterruptedException {
        stack.close();
    }
}
