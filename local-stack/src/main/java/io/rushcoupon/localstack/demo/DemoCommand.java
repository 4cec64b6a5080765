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
import io.rushcoupon.localstack.Options;
import io.rushcoupon.harness.rush.AdminApi;
import io.rushcoupon.harness.rush.InvariantChecker;
import io.rushcoupon.harness.rush.InvariantChecker.Report;
import io.rushcoupon.harness.rush.RushClient;
import io.rushcoupon.harness.rush.RushClient.Answer;
import io.rushcoupon.harness.rush.RushClient.Attempt;
import io.rushcoupon.harness.rush.WalletApi;
import io.rushcoupon.localstack.token.TokenCommand;
import io.rushcoupon.localstack.stack.StackInfo;

/**
 * {@code ./rushcoupon demo}: against a running local stack, creates a coupon through the admin
 * API, rushes it with thousands of simulated users (and their double clicks) through the gateway,
 * waits for every accepted request to become final, and checks the invariants. Then some winners
 * use their coupon in the wallet ({@link WalletTour}) and the wallet's figures are checked too.
 */
public final class DemoCommand {

    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);
    private static final long FIRST_USER = 1_000_000;

    public int run(List<String> args) throws Exception {
        Options options = Options.parse(args, Set.of("--units", "--users", "--clients", "--redeemers"), Set.of());
        int units = (int) options.number("--units", 300);
        int users = (int) options.number("--users", 3_000);
        int clients = (int) options.number("--clients", 64);
        int redeemers = (int) options.number("--redeemers", 100);
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
        try (var redis = stack.redis()) {
            report = new InvariantChecker(stack.jdbc(), new CouponRedis(redis.client())).check(coupon, answers, outcomes);
        }
        printSummary(report, tally, Duration.between(started, rushEnded), Duration.between(rushEnded, drained));

        // after the rush: some winners use their coupon in the wallet
        List<Long> winners = accepted.stream()
                .filter(answer -> outcomes.containsKey(answer.requestId())
                        && "ISSUED".equals(outcomes.get(answer.requestId()).status()))
                .map(answer -> answer.attempt().userId())
                .limit(redeemers)
                .toList();
        System.out.printf("%nWallet: %d winners use their coupon (redeem once, from two devices at once, "
                + "with a retried request, or redeem and cancel).%n", winners.size());
        WalletApi wallet = new WalletApi(stack.walletUrl(),
                user -> TokenCommand.mint(stack.jwtSecret(), user, false, Duration.ofHours(1)));
        Instant tourStarted = Instant.now();
        WalletTour.Figures figures = new WalletTour(wallet, stack.jdbc()).run(coupon, winners);
        printWallet(figures, Duration.between(tourStarted, Instant.now()));

        // the end of the drop: its summary reaches the team's notifications (issuance-worker/README.md)
        AdminApi.Reply closed = new AdminApi(stack.adminUrl(),
                TokenCommand.mint(stack.jwtSecret(), 1, true, Duration.ofMinutes(5))).act(coupon, "close");
        System.out.printf("%nClosed coupon %d%s.%n", coupon, closed.succeeded()
                ? ": its summary goes to the team's notifications (Discord, or up's terminal)"
                : " — refused: HTTP " + closed.status() + " " + closed.code());
        return report.violations().isEmpty() && figures.violations().isEmpty() ? 0 : 1;
    }

    private static void printWallet(WalletTour.Figures figures, Duration took) {
        System.out.printf("""
                  %-22s %d of %d
                  %-22s %d
                  %-22s %d (one 201 and one 409 COUPON_ALREADY_REDEEMED each)
                  %-22s %d (the same answer again, nothing redeemed twice)
                  %-22s %d (coupon AVAILABLE again)
                  %-22s %s
                  %-22s %.1f s
                  %-22s %s
                """,
                "listed in the wallet", figures.listed(), figures.winners(),
                "redeemed (201)", figures.redeemed(),
                "two devices at once", figures.doubleTaps(),
                "retried requests", figures.replays(),
                "cancelled", figures.cancelled(),
                "discount standing", figures.discount().toPlainString(),
                "wallet time", took.toMillis() / 1000.0,
                "wallet checks", figures.violations().isEmpty() ? "OK (one redemption per coupon, replays identical)"
                        : "VIOLATED: " + String.join("; ", figures.violations()));
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
