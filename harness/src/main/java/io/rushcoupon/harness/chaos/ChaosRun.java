package io.rushcoupon.harness.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;

import io.rushcoupon.harness.chaos.Event.Admin;
import io.rushcoupon.harness.chaos.Event.Fault;
import io.rushcoupon.harness.chaos.Event.Issue;
import io.rushcoupon.harness.chaos.Event.Poll;
import io.rushcoupon.harness.chaos.FinalState.IssuedRow;
import io.rushcoupon.harness.chaos.FinalState.RejectedRow;
import io.rushcoupon.harness.rush.AdminApi;
import io.rushcoupon.harness.rush.InvariantChecker;
import io.rushcoupon.harness.stack.Stack;
import io.rushcoupon.harness.token.Tokens;

/**
 * One run of a plan on a running chaos stack: a fresh coupon, the users, the admin and the faults
 * at once; then every fault mended, a bounded wait for the coupon to settle, a last poll of every
 * learned request, the final rows, issued users asking once more, and the check.
 */
final class ChaosRun {

    /**
     * How long the coupon may take to settle once users, admin and faults are done: a few
     * reconciler rounds (1 s each, re-sends after 3 s) and the worker's backlog, on a loaded machine.
     */
    static final Duration SETTLE = Duration.ofSeconds(60);
    /** Room for a worker restart (F1) on a loaded 2-core machine, after the users' deadline. */
    private static final long STEPS_GRACE_MILLIS = 120_000;
    private static final long FINAL_POLLS_MILLIS = 10_000;

    /** What a run came to. */
    record Outcome(ChaosPlan plan, long couponId, History history, FinalState state, List<Violation> violations,
            Duration took) {

        int sent() {
            return (int) history.events().stream().filter(Issue.class::isInstance).count();
        }

        int accepted() {
            return (int) history.events().stream().filter(event -> event instanceof Issue issue && issue.accepted())
                    .map(event -> ((Issue) event).requestId()).distinct().count();
        }

        int operations() {
            return (int) history.events().stream()
                    .filter(event -> event instanceof Admin admin && !admin.operation().equals("create")).count();
        }

        int faults() {
            return (int) history.events().stream().filter(Fault.class::isInstance).count();
        }
    }

    private final Stack stack;
    private final JdbcClient db;
    private final InvariantChecker state;
    private final boolean rejectionsTable;

    ChaosRun(Stack stack) {
        this.stack = stack;
        this.db = stack.db();
        this.state = new InvariantChecker(db, stack.couponRedis());
        this.rejectionsTable = db.sql("SELECT to_regclass('issue_rejection') IS NOT NULL").query(Boolean.class).single();
    }

    Outcome run(ChaosPlan plan, String code, Consumer<String> progress) throws Exception {
        long began = System.nanoTime();
        History history = new History();
        AdminApi admin = new AdminApi(stack.admin().orElseThrow().baseUrl(),
                Tokens.sign(stack.secret(), claims -> claims.subject("1").claim("scope", Tokens.ADMIN_SCOPE)));
        long createSent = history.now();
        long couponId = admin.openCoupon(code, plan.units());
        long createAnswered = history.now();
        ChaosOperator operator = new ChaosOperator(stack, admin, couponId, history);
        operator.recordCreate(createSent, createAnswered);

        try (ChaosUsers users = new ChaosUsers(stack.userApiUrl(), stack.secret(), couponId, history, plan);
                var steps = Executors.newVirtualThreadPerTaskExecutor()) {
            users.start();
            Future<?> adminSteps = steps.submit(() -> {
                operator.runAdmin(plan.admin());
                return null;
            });
            Future<?> faultSteps = steps.submit(() -> {
                operator.runFaults(plan.faults());
                return null;
            });
            long usersDone = plan.rushMillis() + ChaosPlan.PATIENCE_MILLIS + 10_000;
            while (!users.awaitSessions(Math.min(usersDone, history.now() + 5_000))) {
                progress.accept("rush %.0f s, %d calls".formatted(history.now() / 1000.0, history.events().size()));
                if (history.now() >= usersDone) {
                    break;
                }
            }
            long stepsUntil = usersDone + STEPS_GRACE_MILLIS;
            try {
                adminSteps.get(Math.max(1, stepsUntil - history.now()), TimeUnit.MILLISECONDS);
                faultSteps.get(Math.max(1, stepsUntil - history.now()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // a worker restart slower than the grace (a loaded machine): stop waiting, mend, check what happened
                progress.accept("admin or fault steps still running after the grace; stopping them");
            } finally {
                adminSteps.cancel(true);
                faultSteps.cancel(true);
                operator.mend();
            }
            progress.accept("settling");
            boolean settled = awaitSettled(couponId);
            users.finalPolls(history.now() + FINAL_POLLS_MILLIS);
            FinalState finalState = finalState(couponId, history, settled);
            users.askIssuedUsersAgain(issuedUsers(history));
            List<Violation> violations = HistoryChecker.check(history.events(), finalState);
            return new Outcome(plan, couponId, history, finalState, violations,
                    Duration.ofNanos(System.nanoTime() - began));
        }
    }

    private boolean awaitSettled(long couponId) throws InterruptedException {
        long until = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < until) {
            if (settled(couponId)) {
                return true;
            }
            Thread.sleep(500);
        }
        return settled(couponId);
    }

    private boolean settled(long couponId) {
        try {
            return state.checkState(couponId).violations().isEmpty();
        } catch (RuntimeException redisOrDatabaseNotBackYet) {
            return false;
        }
    }

    private FinalState finalState(long couponId, History history, boolean settled) {
        var coupon = db.sql("SELECT total_quantity, remaining_quantity FROM coupon WHERE id = ?").param(couponId)
                .query((rs, n) -> new int[] {rs.getInt(1), rs.getInt(2)}).single();
        Integer redisRemaining;
        int pending;
        try {
            redisRemaining = stack.couponRedis().coupon(couponId).map(view -> view.remaining()).orElse(null);
            pending = stack.couponRedis().pendingCount(couponId);
        } catch (RuntimeException redisUnreachable) {
            redisRemaining = null;
            pending = 0;
        }
        List<IssuedRow> rows = db.sql("SELECT request_id, user_id, issued_at FROM coupon_issuance WHERE coupon_id = ?")
                .param(couponId)
                .query((rs, n) -> new IssuedRow(rs.getString(1), rs.getLong(2),
                        history.at(rs.getTimestamp(3).toInstant())))
                .list();
        List<RejectedRow> rejections = !rejectionsTable ? List.of() : db.sql(
                        "SELECT request_id, user_id, reason, rejected_at FROM issue_rejection WHERE coupon_id = ?")
                .param(couponId)
                .query((rs, n) -> new RejectedRow(rs.getString(1), rs.getLong(2), rs.getString(3),
                        history.at(rs.getTimestamp(4).toInstant())))
                .list();
        return new FinalState(coupon[0], coupon[1], redisRemaining, pending, settled, rows, rejections);
    }

    private static Set<Long> issuedUsers(History history) {
        return history.events().stream().filter(event -> event instanceof Poll poll && poll.showsIssued())
                .map(event -> ((Poll) event).user()).collect(Collectors.toSet());
    }
}
