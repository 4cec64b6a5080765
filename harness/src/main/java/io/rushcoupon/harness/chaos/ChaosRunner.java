package io.rushcoupon.harness.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.harness.chaos.ChaosRun.Outcome;
import io.rushcoupon.harness.stack.Stack;

/**
 * Runs seeds one after another on one chaos stack, a fresh coupon each, and prints one line per
 * run, the failures with their excerpts and replay command, and a summary line that says
 * {@code violations=0} when every run held. A run that left its coupon unsettled (something still
 * pending: a stalled partition, say) may have left the stack unable to serve the next one, so the
 * stack is started again before it. The stack lives until {@link #close()}, across calls of {@link #run}.
 */
public final class ChaosRunner implements AutoCloseable {

    /**
     * The reconciler runs every second and re-sends what is pending for 3 s, so a worker lag of a
     * few seconds produces re-sent copies; a killed worker's partitions wait 10 s, not Kafka's 45 s.
     */
    public static final Map<String, String> WORKER_SETTINGS = Map.of(
            "RUSHCOUPON_WORKER_CONCURRENCY", "2",
            "RUSHCOUPON_WORKER_RECONCILER_INTERVAL", "1s",
            "RUSHCOUPON_WORKER_RECONCILER_PENDING_THRESHOLD", "3s",
            "SPRING_APPLICATION_JSON", "{\"spring.kafka.consumer.properties.[session.timeout.ms]\": \"10000\"}");

    /** Starts a chaos stack: a {@link Stack.Builder} with its servers chosen, passed through {@link #configure}. */
    public interface StackStarter {
        Stack start() throws Exception;
    }

    /** What all runs came to; {@link #line()} is the summary line. */
    public record Summary(int runs, int held, int violations, List<Long> failedSeeds, Duration took) {

        public boolean allHeld() {
            return held == runs;
        }

        public String line() {
            return "chaos: %d runs, %d held%s, violations=%d (%.0f s)".formatted(runs, held,
                    failedSeeds.isEmpty() ? "" : ", failed seeds " + failedSeeds.stream().map(String::valueOf)
                            .collect(Collectors.joining(" ")), violations, took.toMillis() / 1000.0);
        }
    }

    /** How many excerpt lines a violation prints at most. */
    private static final int EXCERPT_LINES = 24;

    private final StackStarter starter;
    private final PrintStream out;
    private final Consumer<String> progress;
    private final @Nullable Path histories;
    private @Nullable Stack stack;

    /**
     * @param out       the run lines, failures and summary
     * @param progress  a line now and then while a run or a stack start takes long
     * @param histories where each run's whole history goes ({@code history-<seed>.txt}); {@code null}: nowhere
     */
    public ChaosRunner(StackStarter starter, PrintStream out, Consumer<String> progress, @Nullable Path histories) {
        this.starter = starter;
        this.out = out;
        this.progress = progress;
        this.histories = histories;
    }

    /** A service's start on this 2-core machine while other builds run beside it can take minutes. */
    private static final Duration STARTUP = Duration.ofMinutes(6);

    /** The parts a chaos run breaks and the admin it calls, on top of the caller's choice of servers. */
    public static Stack.Builder configure(Stack.Builder builder) {
        return builder.ownRedis().proxyGatewayKafka().proxyWorkerDatabase().admin(0).workerSettings(WORKER_SETTINGS)
                .startup(STARTUP);
    }

    /** Runs seeds {@code firstSeed}, {@code firstSeed + 1}, … ({@code runs} of them). */
    public Summary run(long firstSeed, int runs) throws Exception {
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            seeds.add(firstSeed + i);
        }
        return run(seeds);
    }

    public Summary run(List<Long> seeds) throws Exception {
        long began = System.nanoTime();
        int held = 0;
        int violations = 0;
        List<Long> failed = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++) {
            long seed = seeds.get(i);
            String label = "run %d/%d seed=%d".formatted(i + 1, seeds.size(), seed);
            ChaosPlan plan = ChaosPlan.generate(seed);
            Outcome outcome;
            try {
                outcome = new ChaosRun(stack(label)).run(plan, code(seed), what -> progress.accept(label + ": " + what));
            } catch (Exception e) {
                out.printf("run %d seed=%d failed to run: %s%n", i + 1, seed, e);
                out.printf("  replay: ./rushcoupon chaos --runs 1 --seed %d%n", seed);
                violations++;
                failed.add(seed);
                discard();
                continue;
            }
            out.println(line(i + 1, outcome));
            writeHistory(outcome);
            if (outcome.violations().isEmpty()) {
                held++;
            } else {
                violations += outcome.violations().size();
                failed.add(seed);
                printFailure(outcome);
            }
            out.flush();
            if (!outcome.state().settled()) {
                discard();
            }
        }
        Summary summary = new Summary(seeds.size(), held, violations, failed, Duration.ofNanos(System.nanoTime() - began));
        out.println(summary.line());
        out.flush();
        return summary;
    }

    private Stack stack(String label) throws Exception {
        if (stack == null) {
            progress.accept(label + ": starting the stack");
            stack = starter.start();
        }
        return stack;
    }

    /** Closes a stack that may be unable to serve the next run; the next run starts a new one. */
    private void discard() throws InterruptedException {
        progress.accept("stopping the stack; the next run starts a new one");
        close();
    }

    @Override
    public void close() throws InterruptedException {
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }

    /** The plan, every event, the final state and the violations of a run, for reading a failure in full. */
    private void writeHistory(Outcome outcome) throws IOException {
        if (histories == null) {
            return;
        }
        Files.createDirectories(histories);
        List<String> lines = new ArrayList<>();
        ChaosPlan plan = outcome.plan();
        lines.add("seed " + plan.seed() + ", coupon " + outcome.couponId() + ": " + plan.describe()
                + ", poisoned user " + plan.poisoned());
        lines.add("admin: " + steps(plan.admin()));
        lines.add("faults: " + steps(plan.faults()));
        outcome.history().events().forEach(event -> lines.add(event.line()));
        lines.add("final: " + outcome.state().withoutRows());
        outcome.violations().forEach(violation -> lines.add(describe(violation)));
        Files.write(histories.resolve("history-" + plan.seed() + ".txt"), lines);
    }

    private static String code(long seed) {
        return "CHAOS-" + seed + "-" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
    }

    static String line(int run, Outcome outcome) {
        return "run %d seed=%d ops=%d faults=%d sent=%d accepted=%d issued=%d violations=%d (%.1f s)".formatted(run,
                outcome.plan().seed(), outcome.operations(), outcome.faults(), outcome.sent(), outcome.accepted(),
                outcome.state().rows().size(), outcome.violations().size(), outcome.took().toMillis() / 1000.0);
    }

    private void printFailure(Outcome outcome) {
        ChaosPlan plan = outcome.plan();
        out.printf("  coupon %d: %s%s%n", outcome.couponId(), plan.describe(),
                plan.poisoned().isEmpty() ? "" : ", poisoned user " + plan.poisoned());
        out.printf("  admin: %s%n", steps(plan.admin()));
        out.printf("  faults: %s%n", steps(plan.faults()));
        for (Violation violation : outcome.violations()) {
            out.print(describe(violation));
        }
        out.printf("  replay: ./rushcoupon chaos --runs 1 --seed %d%n", plan.seed());
    }

    /** A violation as the run's output shows it: the rule, how often, one example and its excerpt. */
    public static String describe(Violation violation) {
        StringBuilder text = new StringBuilder("  VIOLATION %s (%d×): %s%n".formatted(violation.rule(),
                violation.instances(), violation.example()));
        List<Event> excerpt = violation.excerpt();
        excerpt.stream().limit(EXCERPT_LINES).forEach(event -> text.append("      ").append(event.line()).append('\n'));
        if (excerpt.size() > EXCERPT_LINES) {
            text.append("      … ").append(excerpt.size() - EXCERPT_LINES).append(" more\n");
        }
        return text.toString();
    }

    private static String steps(List<ChaosPlan.Step> steps) {
        return steps.isEmpty() ? "none" : steps.stream()
                .map(step -> step.describe() + " at %.1f s".formatted(step.atMillis() / 1000.0))
                .collect(Collectors.joining("; "));
    }
}
