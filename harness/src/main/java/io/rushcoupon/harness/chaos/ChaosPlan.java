package io.rushcoupon.harness.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * What one run does, all of it derived from its seed: the coupon's size, the users (who double-click,
 * who carries a poisonous claim, who asks again after being issued), and when which admin operation
 * and which fault happens. Same seed, same plan; what the system answers may still differ between
 * replays, since threads and the machine's load are not seeded.
 *
 * @param arrivalMillis users start their sessions evenly over this span
 * @param rushMillis    admin operations and faults start within it; no user sends after it plus {@link #PATIENCE_MILLIS}
 */
public record ChaosPlan(long seed, int units, int users, long firstUser, Set<Long> doubleClickers,
        Set<Long> poisoned, Set<Long> askingAgain, long arrivalMillis, long rushMillis, List<Step> admin,
        List<Step> faults) {

    /** After the rush, users keep retrying and polling this long at most. */
    public static final long PATIENCE_MILLIS = 10_000;

    /** Admin operations. */
    public enum Operation {
        /** raise the total by {@code amount} */
        RAISE,
        /** lower the total by {@code amount}; may be refused with 409 */
        LOWER,
        /** pause, and resume {@code durationMillis} later */
        PAUSE,
        /** close for good */
        CLOSE,
        /** end the window {@code durationMillis} from now */
        WINDOW_END,
        /** start the window {@code durationMillis} from now */
        WINDOW_START,
        /** put the window back: open from a minute ago for an hour */
        WINDOW_REOPEN,
        /** POST …/reconcile */
        RECONCILE
    }

    /** Faults (docs/reliability.md: F1, F2, F3, F4, F5's Kafka cut, worker lag). */
    public enum Fault {
        /** F1: kill -9 the worker, start a new one */
        WORKER_KILL(false),
        /** F2: stop the broker for {@code durationMillis} */
        BROKER_STOP(false),
        /** F5's first half: cut the gateway's Kafka connection for {@code durationMillis} */
        GATEWAY_KAFKA_CUT(false),
        /** F4: cut the worker's PostgreSQL for {@code durationMillis}, longer than the re-send threshold */
        WORKER_DATABASE_CUT(false),
        /** worker lag: SIGSTOP the worker for {@code durationMillis}, then SIGCONT */
        WORKER_STALL(false),
        /** Redis FLUSHALL, then recovery in the {@link Recovery} order */
        REDIS_FLUSHALL(true),
        /** F3: Redis kill -9 and restart empty, then recovery in the {@link Recovery} order */
        REDIS_RESTART_EMPTY(true);

        private final boolean redisLoss;

        Fault(boolean redisLoss) {
            this.redisLoss = redisLoss;
        }

        public boolean redisLoss() {
            return redisLoss;
        }
    }

    /** Who acts first after Redis lost its data. */
    public enum Recovery {
        /** an admin change of the coupon right away (publish), before the reconciler's next round */
        ADMIN_CHANGE_FIRST,
        /** the runbook's {@code POST …/reconcile} right away */
        ADMIN_RECONCILE_FIRST,
        /** nobody: the worker's reconciler finds the coupon missing */
        RECONCILER_FIRST
    }

    /** One admin operation or fault, at a time of the run (ms since it started). */
    public record Step(long atMillis, String kind, int amount, long durationMillis, Recovery recovery) {

        public Operation operation() {
            return Operation.valueOf(kind);
        }

        public Fault fault() {
            return Fault.valueOf(kind);
        }

        public String describe() {
            StringBuilder text = new StringBuilder(kind.toLowerCase().replace('_', '-'));
            if (amount != 0) {
                text.append(' ').append(amount);
            }
            if (durationMillis != 0) {
                text.append(" for ").append(durationMillis).append(" ms");
            }
            if (kind.startsWith("REDIS")) {
                text.append(", ").append(recovery.name().toLowerCase().replace('_', ' '));
            }
            return text.toString();
        }
    }

    public static ChaosPlan generate(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int units = random.nextInt(50, 301);
        int users = units * random.nextInt(2, 6);
        long firstUser = 1_000_000L + random.nextInt(0, 8_000) * 1_000L;
        Set<Long> doubleClickers = pick(random, firstUser, users, 0.15);
        Set<Long> askingAgain = pick(random, firstUser, users, 0.2);
        // among the first to arrive, so the poisonous claim is admitted before the units run out
        Set<Long> poisoned = random.nextDouble() < 0.35 ? Set.of(firstUser + random.nextInt(users / 5)) : Set.of();
        long arrival = random.nextLong(5_000, 10_001);
        long rush = 16_000;

        List<Step> admin = new ArrayList<>();
        int operations = random.nextInt(3, 7);
        Operation[] open = {Operation.RAISE, Operation.RAISE, Operation.LOWER, Operation.LOWER, Operation.PAUSE,
                Operation.WINDOW_END, Operation.WINDOW_START, Operation.RECONCILE};
        for (int i = 0; i < operations; i++) {
            Step step = operationStep(random, open[random.nextInt(open.length)], random.nextLong(500, rush), units);
            admin.add(step);
            if (step.operation() == Operation.WINDOW_END && random.nextBoolean()) {
                admin.add(operationStep(random, Operation.WINDOW_REOPEN,
                        step.atMillis() + step.durationMillis() + random.nextLong(500, 4_000), units));
            }
        }
        // finding 1's seam: the worker lags from before Redis sells out, so the reconciler re-sends
        // copies of what is pending; the total is lowered while PostgreSQL still holds the
        // admitted-but-uncommitted units (the lower is accepted, the worker rejects that many
        // SOLD_OUT when it catches up); mostly the worker is then killed during its catch-up,
        // between the rejected originals and their copies further on in the log, and the total is
        // raised while it restarts; otherwise the raise comes as the lag ends
        boolean lagScenario = random.nextBoolean();
        long sellOut = arrival * units / users;
        long lagAt = Math.max(500, sellOut * random.nextInt(30, 81) / 100);
        long lagFor = random.nextLong(4_500, 8_001);
        long lagEnd = lagAt + lagFor;
        boolean killInCatchUp = random.nextDouble() < 0.6;
        long killAt = lagEnd + random.nextLong(50, 800);
        if (lagScenario) {
            int lowered = random.nextInt(1, Math.max(2, units / 4));
            long lowerAt = Math.min(lagEnd - 1_000, Math.max(lagAt + 200, sellOut + random.nextLong(300, 1_500)));
            long raiseAt = killInCatchUp ? killAt + random.nextLong(1_500, 4_000) : lagEnd + random.nextLong(0, 1_200);
            admin.add(new Step(lowerAt, Operation.LOWER.name(), lowered, 0, Recovery.RECONCILER_FIRST));
            admin.add(new Step(raiseAt, Operation.RAISE.name(), lowered + random.nextInt(0, Math.max(1, units / 4)), 0,
                    Recovery.RECONCILER_FIRST));
        }
        if (random.nextDouble() < 0.3) {
            admin.add(operationStep(random, Operation.CLOSE, random.nextLong(rush * 2 / 3, rush), units));
        }
        admin.sort(Comparator.comparingLong(Step::atMillis));

        List<Step> faults = new ArrayList<>();
        if (lagScenario) {
            Fault lag = random.nextBoolean() ? Fault.WORKER_DATABASE_CUT : Fault.WORKER_STALL;
            faults.add(new Step(lagAt, lag.name(), 0, lagFor, Recovery.RECONCILER_FIRST));
            if (killInCatchUp) {
                faults.add(new Step(killAt, Fault.WORKER_KILL.name(), 0, 0, Recovery.RECONCILER_FIRST));
            }
        }
        int more = random.nextInt(lagScenario ? 0 : 1, 3);
        Fault[] kinds = Fault.values();
        for (int i = 0; i < more; i++) {
            Fault fault = kinds[random.nextInt(kinds.length)];
            long duration = switch (fault) {
                case WORKER_KILL, REDIS_FLUSHALL -> 0;
                case REDIS_RESTART_EMPTY -> random.nextLong(1_000, 3_001);
                case WORKER_DATABASE_CUT, WORKER_STALL -> random.nextLong(4_500, 8_001);
                case BROKER_STOP, GATEWAY_KAFKA_CUT -> random.nextLong(2_000, 6_001);
            };
            Recovery recovery = Recovery.values()[random.nextInt(Recovery.values().length)];
            // in a lag run the others come after the lag, which must start on time
            long at = lagScenario ? random.nextLong(killAt, Math.max(killAt + 1, 14_000))
                    : random.nextLong(1_000, 12_000);
            faults.add(new Step(at, fault.name(), 0, duration, recovery));
        }
        faults.sort(Comparator.comparingLong(Step::atMillis));
        return new ChaosPlan(seed, units, users, firstUser, doubleClickers, poisoned, askingAgain, arrival, rush,
                List.copyOf(admin), List.copyOf(faults));
    }

    private static Step operationStep(SplittableRandom random, Operation operation, long at, int units) {
        int amount = switch (operation) {
            case RAISE -> random.nextInt(1, Math.max(2, units / 3));
            case LOWER -> random.nextInt(1, Math.max(2, units / 4));
            default -> 0;
        };
        long duration = switch (operation) {
            case PAUSE -> random.nextLong(1_000, 4_001);
            case WINDOW_END -> random.nextLong(3_000, 8_001);
            case WINDOW_START -> random.nextLong(1_000, 4_001);
            default -> 0;
        };
        return new Step(at, operation.name(), amount, duration, Recovery.RECONCILER_FIRST);
    }

    private static Set<Long> pick(SplittableRandom random, long firstUser, int users, double share) {
        Set<Long> picked = new TreeSet<>();
        for (long user = firstUser; user < firstUser + users; user++) {
            if (random.nextDouble() < share) {
                picked.add(user);
            }
        }
        return Set.copyOf(picked);
    }

    /** e.g. {@code 120 units, 480 users (70 double clicks, 1 poisonous claim)} */
    public String describe() {
        return "%d units, %d users (%d double clicks, %d asking again, %d poisonous claim)".formatted(units, users,
                doubleClickers.size(), askingAgain.size(), poisoned.size());
    }
}
