package io.rushcoupon.system.fault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.rushcoupon.harness.process.ServiceProcess;
import io.rushcoupon.harness.stack.Stack;

/**
 * Peak memory of one service process while a scenario runs: heap in use from its own metrics
 * (every 2 s, as each reading costs the service a little) and resident set size from /proc (every
 * second).
 */
final class MemoryWatch implements AutoCloseable {

    private final ServiceProcess service;
    private final Stack stack;
    private final AtomicLong peakHeapBytes = new AtomicLong();
    private final AtomicLong peakRssKib = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private long ticks;

    MemoryWatch(Stack stack, ServiceProcess service) {
        this.stack = stack;
        this.service = service;
        timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    private void sample() {
        peakRssKib.accumulateAndGet(rssKib(service.pid()), Math::max);
        if (ticks++ % 2 != 0) {
            return;
        }
        try {
            long heap = (long) stack.metric(service, "jvm_memory_used_bytes", Map.of("area", "heap"));
            peakHeapBytes.accumulateAndGet(heap, Math::max);
        } catch (RuntimeException busy) {
            // a saturated service misses a reading; the next one counts
        }
    }

    long peakHeapMib() {
        return peakHeapBytes.get() >> 20;
    }

    long peakRssMib() {
        return peakRssKib.get() >> 10;
    }

    private static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception gone) {
            // not Linux, or the process ended
        }
        return 0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
