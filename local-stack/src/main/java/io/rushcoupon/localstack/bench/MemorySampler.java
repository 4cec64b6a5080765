package io.rushcoupon.localstack.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.rushcoupon.harness.metrics.PrometheusScrape;
import io.rushcoupon.harness.process.ServiceProcess;

/**
 * Peak memory of each service during a benchmark: heap in use (from its own metrics, read every
 * second) and the resident set's high-water mark (VmHWM, from /proc), over every process that
 * played that service (the worker is restarted between runs).
 */
final class MemorySampler implements AutoCloseable {

    private final Supplier<List<ServiceProcess>> services;
    private final Map<String, Double> peakHeap = new ConcurrentHashMap<>();
    private final Map<String, Long> peakRss = new ConcurrentHashMap<>();
    /** Reading a service's metrics costs it CPU during the measurement: heap every 5 s, RSS every second. */
    private static final int HEAP_EVERY = 5;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private int ticks;

    /** @param services the services now running (a restarted worker is a new process) */
    MemorySampler(Supplier<List<ServiceProcess>> services) {
        this.services = services;
        timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    private void sample() {
        boolean readHeap = ticks++ % HEAP_EVERY == 0;
        for (ServiceProcess service : services.get()) {
            peakRss.merge(service.name(), residentHighWaterMiB(service.pid()), Math::max);
            if (!readHeap) {
                continue;
            }
            try {
                double heap = PrometheusScrape.of(service.baseUrl()).sum("jvm_memory_used_bytes", Map.of("area", "heap"));
                peakHeap.merge(service.name(), heap, Math::max);
            } catch (Exception e) {
                // a busy service misses a sample; the next one counts
            }
        }
    }

    /** name → {peakHeapMiB, peakRssMiB}. */
    Map<String, Map<String, Long>> peaks() {
        Map<String, Map<String, Long>> peaks = new LinkedHashMap<>();
        for (ServiceProcess service : services.get()) {
            peaks.put(service.name(), Map.of(
                    "peakHeapMiB", Math.round(peakHeap.getOrDefault(service.name(), 0.0) / (1 << 20)),
                    "peakRssMiB", Math.max(peakRss.getOrDefault(service.name(), -1L),
                            residentHighWaterMiB(service.pid()))));
        }
        return peaks;
    }

    private static long residentHighWaterMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (Exception e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
