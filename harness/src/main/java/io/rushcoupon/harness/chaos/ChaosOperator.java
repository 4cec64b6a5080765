package io.rushcoupon.harness.chaos;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

import io.rushcoupon.harness.chaos.ChaosPlan.Recovery;
import io.rushcoupon.harness.chaos.ChaosPlan.Step;
import io.rushcoupon.harness.chaos.Event.Admin;
import io.rushcoupon.harness.chaos.Event.Fault;
import io.rushcoupon.harness.chaos.Event.Window;
import io.rushcoupon.harness.rush.AdminApi;
import io.rushcoupon.harness.rush.AdminApi.Reply;
import io.rushcoupon.harness.stack.Stack;

/**
 * The admin and the operator's hand of one run: admin operations through the admin service's API,
 * faults through the {@link Stack}'s parts, each recorded in the {@link History}. Every fault is
 * mended by the step that injected it; {@link #mend()} makes sure of it at the end.
 */
final class ChaosOperator {

    /** A PATCH whose If-Match went stale (the worker bumps the version with every batch) is read again and retried. */
    private static final int PATCH_ATTEMPTS = 6;
    /** The reconciler runs every second in a chaos stack; this gives it a round or two. */
    private static final long RECONCILER_ROUND_MILLIS = 1_500;

    private final Stack stack;
    private final AdminApi admin;
    private final long couponId;
    private final History history;

    ChaosOperator(Stack stack, AdminApi admin, long couponId, History history) {
        this.stack = stack;
        this.admin = admin;
        this.couponId = couponId;
        this.history = history;
    }

    /** Records the coupon's creation (already done by the caller between {@code sentAt} and {@code answeredAt}). */
    void recordCreate(long sentAt, long answeredAt) throws InterruptedException {
        Reply coupon = admin.coupon(couponId);
        history.record(admin("create", sentAt, answeredAt, coupon.succeeded() ? 201 : coupon.status(), coupon));
    }

    // --- admin operations -------------------------------------------------------------------------

    void runAdmin(List<Step> steps) throws InterruptedException {
        for (Step step : steps) {
            sleepUntil(step.atMillis());
            switch (step.operation()) {
                case RAISE -> changeTotal("raise", step.amount());
                case LOWER -> changeTotal("lower", -step.amount());
                case PAUSE -> {
                    act("pause");
                    Thread.sleep(step.durationMillis());
                    act("resume");
                }
                case CLOSE -> act("close");
                case WINDOW_END -> change("window-end", coupon -> Map.of("issueEndsAt",
                        Instant.now().plusMillis(step.durationMillis()).toString()));
                case WINDOW_START -> change("window-start", coupon -> Map.of("issueStartsAt",
                        Instant.now().plusMillis(step.durationMillis()).toString()));
                case WINDOW_REOPEN -> change("window-reopen", coupon -> Map.of(
                        "issueStartsAt", Instant.now().minusSeconds(60).toString(),
                        "issueEndsAt", Instant.now().plusSeconds(3_600).toString()));
                case RECONCILE -> act("reconcile");
            }
        }
    }

    private void changeTotal(String operation, int delta) throws InterruptedException {
        change(operation, coupon -> Map.of("totalQuantity", Math.max(1, coupon.get("totalQuantity").asInt() + delta)));
    }

    private void act(String action) throws InterruptedException {
        act(action, action);
    }

    private void act(String operation, String action) throws InterruptedException {
        long sentAt = history.now();
        Reply reply = admin.act(couponId, action);
        history.record(admin(operation, sentAt, history.now(), reply.status(), reply));
    }

    /** GET, then PATCH with its ETag; again on 412 VERSION_MISMATCH, a bounded number of times. */
    private void change(String operation, Function<JsonNode, Map<String, Object>> fields) throws InterruptedException {
        long sentAt = history.now();
        Reply reply = null;
        for (int attempt = 0; attempt < PATCH_ATTEMPTS; attempt++) {
            Reply coupon = admin.coupon(couponId);
            if (!coupon.succeeded() || coupon.etag() == null || coupon.body() == null) {
                reply = coupon;
                break;
            }
            reply = admin.update(couponId, coupon.etag(), fields.apply(coupon.body()));
            if (reply.status() != 412) {
                break;
            }
            Thread.sleep(50L * (attempt + 1));
        }
        history.record(admin(operation, sentAt, history.now(), reply.status(), reply));
    }

    private Admin admin(String operation, long sentAt, long answeredAt, int status, Reply reply) {
        JsonNode body = reply.succeeded() ? reply.body() : null;
        Integer total = body != null && body.hasNonNull("totalQuantity") ? body.get("totalQuantity").asInt() : null;
        String state = body != null && body.hasNonNull("state") ? body.get("state").asString() : null;
        Window window = null;
        Instant startsAt = instant(body, "issueStartsAt");
        Instant endsAt = instant(body, "issueEndsAt");
        if (startsAt != null && endsAt != null) {
            window = new Window(history.at(startsAt), history.at(endsAt));
        }
        return new Admin(operation, sentAt, answeredAt, status, reply.code(), total, state, window, reply.retryAfter());
    }

    private static @Nullable Instant instant(@Nullable JsonNode body, String field) {
        if (body == null || !body.hasNonNull(field)) {
            return null;
        }
        try {
            return Instant.parse(body.get(field).asString());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // --- faults -----------------------------------------------------------------------------------

    void runFaults(List<Step> steps) throws Exception {
        for (Step step : steps) {
            sleepUntil(step.atMillis());
            inject(step);
        }
    }

    private void inject(Step step) throws Exception {
        long at = history.now();
        String what = step.describe();
        try {
            switch (step.fault()) {
                case WORKER_KILL -> {
                    stack.worker().kill();
                    stack.restartWorker();
                }
                case BROKER_STOP -> outage(step, stack.kafka()::stop, stack.kafka()::restart);
                case GATEWAY_KAFKA_CUT -> outage(step, stack.gatewayKafka()::cut, stack.gatewayKafka()::open);
                case WORKER_DATABASE_CUT -> outage(step, stack.workerDatabase()::cut, stack.workerDatabase()::open);
                case WORKER_STALL -> outage(step, () -> signalWorker("STOP"), () -> signalWorker("CONT"));
                case REDIS_FLUSHALL -> {
                    stack.redisson().getKeys().flushall();
                    recover(step.recovery());
                }
                case REDIS_RESTART_EMPTY -> {
                    outage(step, stack.redis()::kill, stack.redis()::restartEmpty);
                    recover(step.recovery());
                }
            }
        } catch (RuntimeException e) {
            what += " (failed: " + e + ")";
        } finally {
            history.record(new Fault(what, step.fault().redisLoss(), at, history.now()));
        }
    }

    /** A part of the stack that can be broken and mended. */
    private interface Action {
        void run() throws Exception;
    }

    /** Broken for the step's duration, mended whatever happens meanwhile. */
    private static void outage(Step step, Action breaking, Action mending) throws Exception {
        breaking.run();
        try {
            Thread.sleep(step.durationMillis());
        } finally {
            mending.run();
        }
    }

    /** Who acts first after Redis lost the coupon. */
    private void recover(Recovery recovery) throws InterruptedException {
        switch (recovery) {
            case ADMIN_CHANGE_FIRST -> changeTotal("raise after the loss", 1);
            case ADMIN_RECONCILE_FIRST -> act("reconcile after the loss", "reconcile");
            case RECONCILER_FIRST -> Thread.sleep(RECONCILER_ROUND_MILLIS);
        }
    }

    /** SIGSTOP / SIGCONT: the worker lags (consumer and reconciler alike), as a process starved of CPU does. */
    private void signalWorker(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(stack.worker().pid()))
                .redirectErrorStream(true).start();
        kill.waitFor();
    }

    /** Whatever a failed step may have left broken is mended: proxies open, servers up, the worker running. */
    void mend() throws Exception {
        stack.gatewayKafka().open();
        stack.workerDatabase().open();
        if (!stack.kafka().running()) {
            stack.kafka().restart();
        }
        if (!stack.redis().running()) {
            stack.redis().restartEmpty();
        }
        if (stack.worker().alive()) {
            signalWorker("CONT");
        } else {
            stack.restartWorker();
        }
    }

    private void sleepUntil(long atMillis) throws InterruptedException {
        long wait = atMillis - history.now();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }
}
