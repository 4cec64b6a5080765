package io.rushcoupon.system.sizing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RScript.Mode;
import org.redisson.api.RScript.ReturnType;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.CouponScript;
import io.rushcoupon.common.redis.CouponSnapshot;
import io.rushcoupon.common.redis.PrecheckOutcome;
import io.rushcoupon.harness.redis.RedisClusterProcess;
import io.rushcoupon.harness.redis.RedisConnection;

/**
 * Sizing figures for docs/operations.md "Redis Cluster": admission scripts (issue-precheck.lua, the
 * gateway's one write per accepted request) per second on a Redis Cluster of this machine's own
 * (3 masters + 3 replicas), for one hot coupon (one slot, so one master) and for coupons spread over
 * all three masters, each with and without {@code WAIT 1 <ms>} after the script; every distinct user
 * must be admitted either way. Run only when asked (it takes a minute and wants an idle machine):
 * {@code ./mvnw -B -ntp -o verify -pl system-tests -am -Dtest=NoSuch -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=ClusterAdmissionSizingTest -Dfailsafe.failIfNoSpecifiedTests=false -Drushcoupon.sizing=8,64,50}
 * (seconds per scenario, client threads, WAIT timeout in ms); the figures go to the test's output
 * file. The client runs on the same cores as the six nodes, so they are a floor of what a shard does
 * on a machine of its own.
 */
@EnabledIfSystemProperty(named = "rushcoupon.sizing", matches = "\\d+,\\d+,\\d+")
class ClusterAdmissionSizingTest {

    private static final int SPREAD_COUPONS = 300;
    private static final int STOCK = 1_000_000_000;

    @Test
    void admitsEveryDistinctUserOnOneHotCouponAndOnCouponsOverThreeMastersWithAndWithoutWait() throws Exception {
        String[] args = System.getProperty("rushcoupon.sizing").split(",");
        Duration runFor = Duration.ofSeconds(Long.parseLong(args[0]));
        int threads = Integer.parseInt(args[1]);
        Duration waitTimeout = Duration.ofMillis(Long.parseLong(args[2]));
        try (RedisClusterProcess cluster = RedisClusterProcess.start(List.of(), Path.of("target", "sizing-cluster"),
                Duration.ofSeconds(2));
                RedisConnection redis = new RedisConnection(List.of(cluster.nodeAddresses().split(",")))) {
            RedissonClient client = redis.client();
            CouponRedis couponRedis = new CouponRedis(client);
            Instant now = Instant.now();
            for (long coupon = 1; coupon <= SPREAD_COUPONS; coupon++) {
                couponRedis.publish(new CouponSnapshot(coupon, "sizing " + coupon, CouponState.ACTIVE,
                        now.minusSeconds(60), now.plusSeconds(3_600), STOCK, STOCK));
            }
            System.out.println("coupons 1–" + SPREAD_COUPONS + " per master (port): "
                    + cluster.spread(LongStream.rangeClosed(1, SPREAD_COUPONS)
                            .mapToObj(id -> CouponKeys.of(id).coupon()).toList()));
            AtomicLong users = new AtomicLong(1);
            // warm-up: JIT and every master's connections
            run(client, couponRedis, threads, Duration.ofSeconds(3), n -> 1 + n % SPREAD_COUPONS, null, users);
            for (Duration wait : Arrays.asList(null, waitTimeout)) {
                String waitName = wait == null ? "no WAIT" : "WAIT 1 " + wait.toMillis() + "ms";
                Result hot = run(client, couponRedis, threads, runFor, n -> 1, wait, users);
                print("one hot coupon, " + waitName, hot);
                Result spread = run(client, couponRedis, threads, runFor, n -> 1 + n % SPREAD_COUPONS, wait, users);
                print(SPREAD_COUPONS + " coupons over 3 masters, " + waitName, spread);
                for (Result result : List.of(hot, spread)) {
                    assertThat(result.admitted()).as(waitName).isPositive();
                    assertThat(result.refused()).as(waitName + ": distinct users with stock left").isZero();
                }
            }
        }
    }

    private record Result(long admitted, long refused, long waitShort, Duration took, long[] latencyMicros) {
    }

    /**
     * {@code threads} clients admitting distinct users for {@code runFor}; {@code wait} non-null:
     * each script in a batch that ends in {@code WAIT 1 wait} (Redisson's {@link BatchOptions#sync}).
     */
    private static Result run(RedissonClient client, CouponRedis couponRedis, int threads, Duration runFor,
            LongUnaryOperator couponOf, Duration wait, AtomicLong users) throws InterruptedException {
        AtomicLong admitted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong waitShort = new AtomicLong();
        ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
        long until = System.nanoTime() + runFor.toNanos();
        long started = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                long[] mine = new long[1 << 20];
                int count = 0;
                while (System.nanoTime() < until) {
                    long user = users.getAndIncrement();
                    RequestId requestId = RequestId.newFor(couponOf.applyAsLong(user));
                    long before = System.nanoTime();
                    Boolean accepted;
                    if (wait == null) {
                        accepted = couponRedis.precheck(requestId, user, null, null, Duration.ofMinutes(10))
                                .outcome() == PrecheckOutcome.ACCEPTED;
                    } else {
                        accepted = precheckAndWait(client, requestId, user, wait);
                    }
                    if (count < mine.length) {
                        mine[count++] = (System.nanoTime() - before) / 1_000;
                    }
                    (accepted == null ? waitShort : accepted ? admitted : refused).incrementAndGet();
                }
                latencies.add(Arrays.copyOf(mine, count));
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(admitted.get(), refused.get(), waitShort.get(), took, all);
    }

    /**
     * The admission script as CouponRedis.precheck sends it, then WAIT 1 in the same batch.
     *
     * @return whether admitted; {@code null} when no replica acknowledged in time (Redisson then
     *         fails the batch; the script has run on the master)
     */
    private static Boolean precheckAndWait(RedissonClient client, RequestId requestId, long user, Duration wait) {
        CouponKeys keys = CouponKeys.of(requestId);
        RBatch batch = client.createBatch(BatchOptions.defaults().sync(1, wait));
        var reply = batch.getScript(StringCodec.INSTANCE).<List<Object>>evalAsync(Mode.READ_WRITE,
                CouponScript.ISSUE_PRECHECK.source(), ReturnType.LIST,
                List.of(keys.coupon(), keys.users(), keys.pending(), keys.request(requestId)),
                Long.toString(user), requestId.toString(), "", "", "600", "admit");
        try {
            batch.execute();
        } catch (RuntimeException notAcknowledged) {
            return null;
        }
        return "ACCEPTED".equals(reply.toCompletableFuture().join().getFirst());
    }

    private static void print(String scenario, Result result) {
        long[] micros = result.latencyMicros();
        double seconds = result.took().toNanos() / 1e9;
        System.out.printf("%s: %.0f admissions/s (%d admitted, %d refused in %.1f s), latency p50 %.2f ms,"
                + " p99 %.2f ms, p99.9 %.2f ms%s%n", scenario, result.admitted() / seconds, result.admitted(),
                result.refused(), seconds, percentile(micros, 0.50) / 1000.0, percentile(micros, 0.99) / 1000.0,
                percentile(micros, 0.999) / 1000.0,
                result.waitShort() > 0 ? ", WAIT short of a replica " + result.waitShort() + " times" : "");
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p) - 1)];
    }
}
