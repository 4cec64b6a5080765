package io.rushcoupon.localstack.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.harness.redis.RedisConnection;
import io.rushcoupon.localstack.Options;
import io.rushcoupon.harness.rush.AdminApi;
import io.rushcoupon.harness.rush.InvariantChecker;
import io.rushcoupon.harness.rush.InvariantChecker.Report;
import io.rushcoupon.harness.rush.RushClient;
import io.rushcoupon.harness.rush.RushClient.Answer;
import io.rushcoupon.harness.rush.RushClient.Attempt;
import io.rushcoupon.localstack.token.TokenCommand;
import io.rushcoupon.localstack.stack.StackInfo;

/**
 * {@code ./rushcoupon demo}: against a running local stack, creates a coupon through the admin
 * API, rushes it with thousands of simulated users (and their double clicks) through the gateway,
 * waits for every accepted request to become final, and checks the invariants.
 */
public final class DemoCommand {

    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);
    private static final long FIRST_USER = 1_000_000;

    public int run(List<String> args) throws Exception {
        Options options = Options.parse(args, Set.of("--units", "--users", "--clients"), Set.of());
        int units = (int) options.number("--units", 300);
        int users = (int) options.number("--users", 3_000);
        int clients = (int) options.number("--clients", 64);
        StackInfo stack = StackInfo.readCurrent();

        String code = "DEMO-" + LocalTime.now().format(DateTimeFormatter.ofPattern("HHmmss"));
        long coupon = new AdminApi(stack.adminUrl(),
                TokenCommand.mint(stack.jwtSecret(), 1, true, Duration.ofMinutes(5))).openCoupon(code, units);
        // each run takes fresh user ids so reruns against the same stack are not all duplicates
        long firstUser = FIRST_USER + (Instant.now().getEpochSecond() % 100_000) * 10_000;
        List<Attempt> attempts = new ArrayList<>();
        for (long user = firstUser; user < firstUser + users; user++) {
            attempts.add(new Attempt(user, coupon));
        }
        Random random = new Random(42);
        for (int i = 0; i < users / 10; i++) {
            attempts.add(new Attempt(firstUser + random.nextInt(users), coupon));
        }
        Collections.shuffle(attempts, random);
        System.out.printf("Coupon %d (%s): %d units. Rushing it with %d users and %d double clicks over %d clients.%n",
                coupon, code, units, users, users / 10, clients);

        RushClient client = new RushClient(stack.gatewayUrl(),
                user -> TokenCommand.mint(stack.jwtSecret(), user, false, Duration.ofHours(1)));
        Map<String, AtomicLong> tally = new ConcurrentHashMap<>();
        AtomicLong sent = new AtomicLong();
        Instant started = Instant.now();
        List<Answer> answers;
        try (var progress = Executors.newSingleThreadScheduledExecutor()) {
            progress.scheduleAtFixedRate(() -> printProgress(sent.get(), attempts.size(), tally, started),
                    0, 200, TimeUnit.MILLISECONDS);
            answers = client.rush(attempts, clients, answer -> {
                sent.incrementAndGet();
                tally.computeIfAbsent(label(answer), key -> new AtomicLong()).incrementAndGet();
            });
            progress.shutdownNow();
        }
        Instant rushEnded = Instant.now();
        printProgress(sent.get(), attempts.size(), tally, started);
        System.out.println();

        var accepted = answers.stream().filter(Answer::accepted).toList();
        var outcomes = client.awaitFinal(accepted, DRAIN_LIMIT);
        Instant drained = Instant.now();

        Report report;
        try (var redis = new RedisConnection(stack.redisHost(), stack.redisPort(), stack.redisDatabase())) {
            report = new InvariantChecker(stack.jdbc(), new CouponRedis(redis.client())).check(coupon, answers, outcomes);
        }
        printSummary(report, tally, Duration.between(started, rushEnded), Duration.between(rushEnded, drained));
        return report.violations().isEmpty() ? 0 : 1;
    }

    private static String label(Answer answer) {
        return answer.accepted() ? "accepted" : answer.code() == null ? "HTTP " + answer.status() : answer.code();
    }

    private static void printProgress(long sent, int total, Map<String, AtomicLong> tally, Instant started) {
        StringBuilder line = new StringBuilder("\r  sent %d/%d".formatted(sent, total));
        new java.util.TreeMap<>(tally).forEach((label, count) -> line.append("  ").append(label).append(' ')
                .append(count.get()));
        line.append("  %.1f s".formatted(Duration.between(started, Instant.now()).toMillis() / 1000.0));
        System.out.print(line);
        System.out.flush();
    }

    private static void printSummary(Report report, Map<String, AtomicLong> tally, Duration rush, Duration drain) {
        double seconds = Math.max(rush.toMillis(), 1) / 1000.0;
        System.out.printf("""

                  %-22s %d
                  %-22s %d
                  %-22s %d
                  %-22s %s
                  %-22s %s
                  %-22s %d ms / %d ms
                  %-22s %.1f s (%.0f requests/s)
                  %-22s %.1f s (last answer until every accepted request was final)
                  %-22s %s
                """,
                "requests sent", report.sent(),
                "accepted (202)", report.accepted(),
                "issued", report.issued(),
                "refused at the gate", report.refused(),
                "rejected by worker", report.rejected(),
                "latency p50 / p99", report.p50().toMillis(), report.p99().toMillis(),
                "rush time", seconds, report.sent() / seconds,
                "drain time", drain.toMillis() / 1000.0,
                "invariants", report.violations().isEmpty() ? "OK (I1 I2 I3 I4 I5)"
                        : "VIOLATED: " + String.join("; ", report.violations()));
    }
}
