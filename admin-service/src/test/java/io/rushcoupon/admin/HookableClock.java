package io.rushcoupon.admin;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock, with a hook a test can run when the service asks for the time. The services
 * ask right after reading a coupon and before writing it, which lets a test play the worker
 * bumping the version exactly in between.
 */
public final class HookableClock extends Clock {

    private final Clock system = Clock.systemUTC();
    private final AtomicReference<Runnable> hook = new AtomicReference<>();
    private final AtomicInteger hookedReads = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();

    /**
     * Runs {@code action} on each of the next {@code reads} reads of the clock. Bounded on purpose:
     * a read made after the service wrote the row would wait for the row lock the action needs.
     */
    public void onNextReads(int reads, Runnable action) {
        hook.set(action);
        hookedReads.set(reads);
    }

    public int calls() {
        return calls.get();
    }

    public void reset() {
        hook.set(null);
        hookedReads.set(0);
        calls.set(0);
    }

    @Override
    public Instant instant() {
        calls.incrementAndGet();
        Runnable action = hook.get();
        if (action != null && hookedReads.getAndDecrement() > 0) {
            action.run();
        }
        return system.instant();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the services use UTC");
    }
}
