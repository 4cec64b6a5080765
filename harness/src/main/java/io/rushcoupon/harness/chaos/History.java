package io.rushcoupon.harness.chaos;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Every event of one run, recorded from many threads, with the run's clock: milliseconds since it
 * started, and the wall-clock instant of its start so PostgreSQL's timestamps can be placed on it.
 */
public final class History {

    private final long startNanos = System.nanoTime();
    private final Instant startedAt = Instant.now();
    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();

    /** Milliseconds since the run started. */
    public long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** A wall-clock instant (e.g. a row's {@code issued_at}) on the run's clock. */
    public long at(Instant instant) {
        return instant.toEpochMilli() - startedAt.toEpochMilli();
    }

    public void record(Event event) {
        events.add(event);
    }

    /** Everything so far, in the order the calls were sent. */
    public List<Event> events() {
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(Event::sentAt).thenComparingLong(Event::answeredAt));
        return sorted;
    }
}
