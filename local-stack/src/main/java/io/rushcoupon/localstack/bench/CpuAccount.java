package io.rushcoupon.localstack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the machine's CPU went during a measurement, from Linux's own accounting ({@code /proc}):
 * the whole machine from {@code /proc/stat}, each process from {@code /proc/<pid>/stat}, grouped
 * into the parts of the stack. It answers the question the benchmark's throughput alone cannot:
 * what one request costs in CPU, and who pays for it.
 *
 * <p>Groups: each service by its pid; Redis ({@code redis-server}) and PostgreSQL ({@code postgres},
 * every backend) by process name; the bench's own JVM, which also hosts the Kafka broker; wrk, live
 * or already reaped (a reaped child's time moves into its parent's {@code cutime}/{@code cstime},
 * and the bench starts wrk); "other" is what the machine spent beyond all of these (kernel threads,
 * interrupts, processes that came and went).
 */
final class CpuAccount {

    /** USER_HZ: the unit of /proc's times, 100 on every Linux architecture the JDK runs on. */
    static final int TICKS_PER_SECOND = 100;

    static final String BENCH = "bench JVM + Kafka broker";
    static final String REDIS = "redis";
    static final String POSTGRES = "postgresql";
    static final String WRK = "wrk";
    static final String OTHER = "other";

    /** One reading: CPU ticks per group and the machine's busy and total ticks, at a moment. */
    record Snapshot(long nanoTime, Map<String, Long> ticksByGroup, long machineBusyTicks, long machineTotalTicks) {
    }

    /** One process's line of {@code /proc/<pid>/stat}: its name and the CPU times that matter here. */
    record ProcessTimes(String name, long ownTicks, long reapedChildrenTicks) {

        /**
         * Parses a stat line. The name sits in parentheses and may itself hold spaces and
         * parentheses, so the fields are counted from the last closing one.
         */
        static ProcessTimes parse(String statLine) {
            int open = statLine.indexOf('(');
            int close = statLine.lastIndexOf(')');
            if (open < 0 || close < open) {
                throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + statLine);
            }
            String[] fields = statLine.substring(close + 2).trim().split("\\s+");
            // after the name: state(3) ... utime(14) stime(15) cutime(16) cstime(17), numbered as in proc(5)
            long utime = Long.parseLong(fields[14 - 3]);
            long stime = Long.parseLong(fields[15 - 3]);
            long cutime = Long.parseLong(fields[16 - 3]);
            long cstime = Long.parseLong(fields[17 - 3]);
            return new ProcessTimes(statLine.substring(open + 1, close), utime + stime, cutime + cstime);
        }
    }

    /**
     * The machine line of {@code /proc/stat}: busy is everything but idle and iowait.
     *
     * @return {busy, total} ticks
     */
    static long[] machineTicks(String cpuLine) {
        String[] fields = cpuLine.trim().split("\\s+");
        if (!"cpu".equals(fields[0])) {
            throw new IllegalArgumentException("not the machine line of /proc/stat: " + cpuLine);
        }
        long total = 0;
        long idle = 0;
        // user nice system idle iowait irq softirq steal (guest time is already inside user)
        for (int i = 1; i <= Math.min(8, fields.length - 1); i++) {
            long ticks = Long.parseLong(fields[i]);
            total += ticks;
            if (i == 4 || i == 5) {
                idle += ticks;
            }
        }
        return new long[] {total - idle, total};
    }

    private final Map<Long, String> services;
    private final long benchPid = ProcessHandle.current().pid();

    /** @param services pid → service name, for the services running now */
    CpuAccount(Map<Long, String> services) {
        this.services = Map.copyOf(services);
    }

    /** Reads the machine and every process now; empty where /proc is missing (not Linux). */
    Optional<Snapshot> take() {
        Path proc = Path.of("/proc");
        if (!Files.isReadable(proc.resolve("stat"))) {
            return Optional.empty();
        }
        try {
            long nanoTime = System.nanoTime();
            Map<String, Long> ticks = new LinkedHashMap<>();
            try (Stream<Path> entries = Files.list(proc)) {
                for (Path entry : entries.filter(path -> path.getFileName().toString().matches("\\d+")).toList()) {
                    readProcess(entry).ifPresent(times -> account(Long.parseLong(entry.getFileName().toString()),
                            times, ticks));
                }
            }
            long[] machine = machineTicks(Files.readAllLines(proc.resolve("stat")).getFirst());
            return Optional.of(new Snapshot(nanoTime, ticks, machine[0], machine[1]));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void account(long pid, ProcessTimes times, Map<String, Long> ticks) {
        String service = services.get(pid);
        if (service != null) {
            ticks.merge(service, times.ownTicks(), Long::sum);
        } else if (pid == benchPid) {
            ticks.merge(BENCH, times.ownTicks(), Long::sum);
            // the bench's reaped children are the wrk runs (services are reaped only when they stop)
            ticks.merge(WRK, times.reapedChildrenTicks(), Long::sum);
        } else if (times.name().equals("redis-server")) {
            ticks.merge(REDIS, times.ownTicks(), Long::sum);
        } else if (times.name().equals("postgres")) {
            ticks.merge(POSTGRES, times.ownTicks(), Long::sum);
        } else if (times.name().equals("wrk")) {
            ticks.merge(WRK, times.ownTicks(), Long::sum);
        }
    }

    private static Optional<ProcessTimes> readProcess(Path entry) {
        try {
            return Optional.of(ProcessTimes.parse(Files.readString(entry.resolve("stat"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // it exited while being read
        }
    }

    /**
     * CPU spent between two readings: seconds per group (and "other" for the rest of the machine's
     * busy time), the machine's busy share, and CPU milliseconds per unit of work.
     *
     * @param units how much work was done in between (requests answered, requests admitted)
     */
    static Map<String, Object> between(Snapshot from, Snapshot to, long units, String perUnit, int cores) {
        Map<String, Object> figures = new LinkedHashMap<>();
        double wall = (to.nanoTime() - from.nanoTime()) / 1e9;
        double busy = seconds(to.machineBusyTicks() - from.machineBusyTicks());
        double total = seconds(to.machineTotalTicks() - from.machineTotalTicks());
        figures.put("wallS", round(wall));
        figures.put("machineBusyPct", total <= 0 ? null : round(100 * busy / total));
        Map<String, Object> cpuSeconds = new LinkedHashMap<>();
        double grouped = 0;
        for (String group : groupsIn(from, to)) {
            double spent = seconds(Math.max(0, to.ticksByGroup().getOrDefault(group, 0L)
                    - from.ticksByGroup().getOrDefault(group, 0L)));
            cpuSeconds.put(group, round(spent));
            grouped += spent;
        }
        cpuSeconds.put(OTHER, round(Math.max(0, busy - grouped)));
        figures.put("cpuSeconds", cpuSeconds);
        figures.put("machineCpuSeconds", round(busy));
        if (units > 0) {
            figures.put("cpuMsPer" + perUnit, round(1000 * busy / units));
            // at this cost, all cores busy with nothing else would do at most this many per second
            figures.put("atFullMachinePerS", busy <= 0 ? null : Math.round(cores * units / busy));
        }
        return figures;
    }

    private static List<String> groupsIn(Snapshot from, Snapshot to) {
        return Stream.concat(to.ticksByGroup().keySet().stream(), from.ticksByGroup().keySet().stream())
                .distinct().toList();
    }

    private static double seconds(long ticks) {
        return ticks / (double) TICKS_PER_SECOND;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
