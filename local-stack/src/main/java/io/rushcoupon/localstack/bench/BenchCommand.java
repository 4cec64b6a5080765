package io.rushcoupon.localstack.bench;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.harness.stack.Stack;
import io.rushcoupon.localstack.Options;
import io.rushcoupon.harness.metrics.PrometheusScrape;
import io.rushcoupon.harness.process.ServiceProcess;
import io.rushcoupon.harness.rush.AdminApi;
import io.rushcoupon.harness.rush.InvariantChecker;
import io.rushcoupon.localstack.stack.StackInfo;
import io.rushcoupon.localstack.token.TokenCommand;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./rushcoupon bench}: starts a stack of its own (database {@code rushcoupon_bench}, Redis
 * database 15, free ports), drives it with wrk and distinct-user tokens minted up front, and
 * reports each scenario as a table and as JSON:
 * <ul>
 *   <li>c, the ceiling: the gateway's liveness probe under the same wrk load;</li>
 *   <li>a, one hot coupon: {@code --units} units, {@code --users} users plus 10% double clicks;</li>
 *   <li>h, latency at half the rate scenario a sustained;</li>
 *   <li>b, {@code --coupons} coupons at once, once per worker consumer count in {@code --consumers};</li>
 *   <li>w, the worker alone: events put straight on the topic for one coupon;</li>
 *   <li>r, redemptions: every winner of scenario a's coupon (or of a rush of its own without a)
 *       redeems it in the wallet at once, as fast as the wallet answers.</li>
 * </ul>
 */
public final class BenchCommand {

    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(3);
    private static final Duration RUSH_LIMIT = Duration.ofMinutes(10);
    private static final Duration CEILING_TIME = Duration.ofSeconds(15);
    private static final int DUPLICATE_EVERY = 11; // one request in 11 repeats a click: +10% on the users
    private static final String HISTOGRAM = "http_server_requests_seconds";
    private static final String ISSUE_REQUESTS = "rushcoupon_issue_requests_total";
    private static final Map<String, String> ISSUE_ROUTE = Map.of("uri", "/api/v1/coupons/{couponId}/issue-requests");
    private static final Map<String, String> REDEEM_ROUTE = Map.of("uri", "/api/v1/me/coupons/{issuanceId}/redemptions");

    private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private final Map<String, Object> report = new LinkedHashMap<>();

    public int run(List<String> args) throws Exception {
        Options options = Options.parse(args, Set.of("--users", "--units", "--coupons", "--consumers", "--threads",
                "--connections", "--scenarios", "--worker-events"), Set.of());
        int users = (int) options.number("--users", 300_000);
        int units = (int) options.number("--units", 100_000);
        int couponCount = (int) options.number("--coupons", 8);
        int workerEvents = (int) options.number("--worker-events", 100_000);
        List<Integer> consumers = Arrays.stream(options.text("--consumers", "1,2,4").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        Set<String> scenarios = Set.of(options.text("--scenarios", "c,a,h,b,w,r").split(","));
        Wrk.Load load = new Wrk.Load((int) options.number("--threads", 2), (int) options.number("--connections", 64),
                RUSH_LIMIT);

        Path folder = StackInfo.RUNS.resolve("bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(folder);
        report.put("date", Instant.now().toString());
        report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "memoryGiB", Math.round(totalMemoryGiB()), "java", Runtime.version().toString()));
        report.put("settings", Map.of("users", users, "units", units, "coupons", couponCount,
                "wrkThreads", load.threads(), "wrkConnections", load.connections(), "serviceHeap", "-Xmx512m"));
        String secret = TokenCommand.newSecret();
        try (Stack stack = Stack.builder().projectRoot(Path.of(".")).logs(folder)
                .steps(what -> System.out.println("• " + what)).secret(secret).localServers("rushcoupon_bench", 15)
                .fresh(true).partitions(8).admin(0).wallet(0).killOnJvmExit(false).start()) {
            // Ctrl-C stops what the bench started, as it does for ./rushcoupon up
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                ProcessHandle.current().children().forEach(ProcessHandle::destroy); // wrk, if running
                try {
                    stack.close();
                } catch (Exception e) {
                    System.err.println("while stopping: " + e.getMessage());
                }
            }, "rushcoupon-bench-stop"));
            StackInfo info = StackInfo.of(stack);
            Bench bench = new Bench(stack, info, stack.couponRedis(), new Wrk(folder), load,
                    new AdminApi(info.adminUrl(), TokenCommand.mint(secret, 1, true, Duration.ofHours(4))),
                    new LinkedHashMap<>(), new AtomicReference<>(0.0));
            Path tokens = mintTokens(folder, secret, users);
            warmUp(bench, tokens, Math.min(users, 20_000));
            try (MemorySampler memory = new MemorySampler(stack::services)) {
                double ceiling = 0;
                if (scenarios.contains("c")) {
                    Map<String, Object> c = bench.ceiling();
                    ceiling = ((Number) c.get("requestsPerS")).doubleValue();
                    bench.livenessCpuMs().set(c.get("cpu") instanceof Map<?, ?> cpu
                            && cpu.get("cpuMsPerLivenessAnswer") instanceof Number ms ? ms.doubleValue() : 0.0);
                    report.put("c_ceiling", c);
                    print("(c) ceiling: the gateway's liveness probe", c);
                }
                double sustained = 0;
                if (scenarios.contains("a")) {
                    Map<String, Object> a = bench.rush("a", tokens, List.of(units), 0, ceiling);
                    sustained = ((Number) a.get("answeredPerS")).doubleValue();
                    report.put("a_hot_coupon", a);
                    print("(a) one hot coupon", a);
                }
                if (scenarios.contains("h") && sustained > 0) {
                    Map<String, Object> h = bench.rush("h", tokens, List.of(units), Math.round(sustained / 2), ceiling);
                    report.put("h_half_rate", h);
                    print("(h) half of (a)'s rate", h);
                }
                if (scenarios.contains("b")) {
                    Map<String, Object> byConsumers = new LinkedHashMap<>();
                    for (int count : consumers) {
                        stack.restartWorker(Map.of("RUSHCOUPON_WORKER_CONCURRENCY", Integer.toString(count)));
                        List<Integer> split = new ArrayList<>();
                        for (int i = 0; i < couponCount; i++) {
                            split.add(units / couponCount);
                        }
                        Map<String, Object> b = bench.rush("b" + count, tokens, split, 0, ceiling);
                        byConsumers.put(count + " consumers", b);
                        print("(b) " + couponCount + " coupons, " + count + " worker consumers", b);
                    }
                    report.put("b_many_coupons", byConsumers);
                }
                if (scenarios.contains("r")) {
                    List<Long> rushed = bench.couponsOf().get("a");
                    if (rushed == null) {
                        bench.rush("r-rush", tokens, List.of(units), 0, 0);
                        rushed = bench.couponsOf().get("r-rush");
                    }
                    Map<String, Object> r = bench.redeem("r", rushed.getFirst(), tokens, folder);
                    report.put("r_redemptions", r);
                    print("(r) every winner redeems", r);
                }
                if (scenarios.contains("w")) {
                    stack.restartWorker(Map.of());
                    Map<String, Object> w = bench.workerOnly(workerEvents);
                    report.put("w_worker_only", w);
                    print("(w) worker alone, one coupon", w);
                }
                report.put("memory", memory.peaks());
                System.out.println("\nPeak memory (MiB): " + memory.peaks());
            }
        }
        Path results = folder.resolve("results.json");
        Files.writeString(results, json.writeValueAsString(report));
        System.out.println("\nResults: " + results.toAbsolutePath());
        return 0;
    }

    /**
     * A drop is announced: the services are warm before it opens. A rush on a coupon of its own
     * gets the JIT, the connection pools and the producer going; it is not measured.
     */
    private static void warmUp(Bench bench, Path tokens, int users) throws Exception {
        System.out.printf("• Warming up: %,d requests on a coupon of their own%n", users);
        Path some = tokens.resolveSibling("warm-up-tokens.txt");
        try (Stream<String> lines = Files.lines(tokens)) {
            Files.write(some, lines.limit(users).toList());
        }
        bench.rush("warm-up", some, List.of(Math.max(1, users / 2)), 0, 0);
    }

    /** One token per line, user ids 1..users, minted before any clock starts. */
    private static Path mintTokens(Path folder, String secret, int users) throws Exception {
        Path file = folder.resolve("tokens.txt");
        System.out.printf("• Minting %,d tokens%n", users);
        try (BufferedWriter writer = Files.newBufferedWriter(file)) {
            for (long user = 1; user <= users; user++) {
                writer.write(TokenCommand.mint(secret, user, false, Duration.ofHours(4)));
                writer.newLine();
            }
        }
        return file;
    }

    /**
     * The scenarios' shared machinery: one stack, one wrk, one way to measure a rush.
     *
     * @param couponsOf the coupons each rush scenario published, by its name
     */
    private record Bench(Stack stack, StackInfo info, CouponRedis redis, Wrk wrk, Wrk.Load load, AdminApi admin,
            Map<String, List<Long>> couponsOf, AtomicReference<Double> livenessCpuMs) {

        /**
         * The ceiling: the gateway's liveness probe (no Redis, no Kafka, no token) under the same
         * wrk load, and the machine's CPU per answer, the unit the rush's costs are compared in.
         */
        Map<String, Object> ceiling() throws Exception {
            CpuAccount cpu = cpuAccount();
            Optional<CpuAccount.Snapshot> start = cpu.take();
            Wrk.Result result = wrk.ceiling(info.gatewayUrl(), load, CEILING_TIME);
            Optional<CpuAccount.Snapshot> end = cpu.take();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("requestsPerS", Math.round(result.perSecond()));
            figures.put("clientLatencyMs", millis(result.latencyMicros()));
            figures.put("cpu", start.isEmpty() || end.isEmpty() ? Map.of("unavailable", "no /proc on this machine")
                    : CpuAccount.between(start.get(), end.get(), result.requests(), "LivenessAnswer",
                            Runtime.getRuntime().availableProcessors()));
            return figures;
        }

        private CpuAccount cpuAccount() {
            return new CpuAccount(stack.services().stream()
                    .collect(Collectors.toMap(ServiceProcess::pid, ServiceProcess::name)));
        }

        /** Issue requests the gateway has answered so far, any outcome (its own counter). */
        private double issueRequestsAnswered() throws Exception {
            return PrometheusScrape.of(info.gatewayUrl()).sum(ISSUE_REQUESTS, Map.of());
        }

        /**
         * Rushes fresh coupons of the given sizes with every token (spread over the coupons), waits
         * until the worker has committed every accepted request, and measures.
         *
         * @param rate requests/s to aim at, 0 for as fast as the gateway answers
         */
        Map<String, Object> rush(String name, Path tokens, List<Integer> sizes, long rate, double ceiling)
                throws Exception {
            List<Long> coupons = new ArrayList<>();
            for (int i = 0; i < sizes.size(); i++) {
                coupons.add(admin.openCoupon("BENCH-" + name.toUpperCase() + "-" + i + "-" + System.currentTimeMillis(),
                        sizes.get(i)));
            }
            couponsOf.put(name, List.copyOf(coupons));
            PrometheusScrape before = PrometheusScrape.of(info.gatewayUrl());
            CpuAccount cpu = cpuAccount();
            AtomicReference<Instant> soldOut = new AtomicReference<>();
            AtomicReference<CpuAccount.Snapshot> cpuAtSoldOut = new AtomicReference<>();
            AtomicReference<Double> answeredAtSoldOut = new AtomicReference<>();
            Optional<CpuAccount.Snapshot> cpuAtStart = cpu.take();
            Instant started = Instant.now();
            Wrk.Result result;
            try (var watch = Executors.newSingleThreadScheduledExecutor()) {
                watch.scheduleAtFixedRate(() -> {
                    if (soldOut.get() == null && coupons.stream().allMatch(id ->
                            redis.coupon(id).map(coupon -> coupon.remaining() == 0).orElse(false))) {
                        soldOut.set(Instant.now());
                        cpu.take().ifPresent(cpuAtSoldOut::set);
                        try {
                            answeredAtSoldOut.set(issueRequestsAnswered());
                        } catch (Exception e) {
                            // no per-refusal figure for this rush
                        }
                    }
                }, 100, 100, TimeUnit.MILLISECONDS);
                result = wrk.rush(name, info.gatewayUrl(), load, tokens, coupons, DUPLICATE_EVERY, rate);
                watch.shutdownNow();
            }
            Instant ended = Instant.now();
            Optional<CpuAccount.Snapshot> cpuAtEnd = cpu.take();
            PrometheusScrape after = PrometheusScrape.of(info.gatewayUrl());
            long refusedAfterSoldOut = answeredAtSoldOut.get() == null ? 0
                    : Math.round(after.sum(ISSUE_REQUESTS, Map.of()) - answeredAtSoldOut.get());
            long accepted = result.answered("202");
            Instant drained = awaitDrained(coupons, accepted);

            var db = info.jdbc();
            String ids = String.join(",", coupons.stream().map(String::valueOf).toList());
            Instant firstCommit = db.sql("SELECT min(issued_at) FROM coupon_issuance WHERE coupon_id IN (" + ids + ")")
                    .query(Instant.class).optional().orElse(null);
            Instant lastCommit = db.sql("SELECT max(issued_at) FROM coupon_issuance WHERE coupon_id IN (" + ids + ")")
                    .query(Instant.class).optional().orElse(null);
            long issued = db.sql("SELECT count(*) FROM coupon_issuance WHERE coupon_id IN (" + ids + ")")
                    .query(Long.class).single();
            InvariantChecker checker = new InvariantChecker(db, redis);
            List<String> violations = new ArrayList<>();
            coupons.forEach(id -> violations.addAll(checker.checkState(id).violations()));
            if (issued != accepted) {
                violations.add("I3: " + accepted + " requests answered 202 but " + issued + " issued");
            }
            if (drained == null) {
                violations.add("I3: not drained within " + DRAIN_LIMIT);
            }

            double seconds = result.duration().toNanos() / 1e9;
            Duration admitting = Duration.between(started, soldOut.get() == null ? ended : soldOut.get());
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("coupons", coupons.size());
            figures.put("units", sizes.stream().mapToInt(Integer::intValue).sum());
            figures.put("requests", result.requests());
            figures.put("durationS", round(seconds));
            figures.put("answeredPerS", Math.round(result.perSecond()));
            figures.put("accepted", accepted);
            figures.put("acceptedPerS", Math.round(accepted / Math.max(admitting.toNanos() / 1e9, 1e-3)));
            figures.put("answers", result.answers());
            figures.put("errors", result.errors());
            figures.put("clientLatencyMs", millis(result.latencyMicros()));
            figures.put("serverLatencyMsByStatus", serverLatencies(before, after));
            figures.put("drainS", lastCommit == null ? null : round(Math.max(0,
                    Duration.between(ended, lastCommit).toMillis() / 1000.0)));
            figures.put("workerIssuancesPerS", firstCommit == null || lastCommit == null || issued < 2 ? null
                    : Math.round(issued / Math.max(Duration.between(firstCommit, lastCommit).toNanos() / 1e9, 1e-3)));
            figures.put("ratioOfCeiling", ceiling <= 0 ? null : round(result.perSecond() / ceiling));
            figures.put("cpu", cpuFigures(cpuAtStart, cpuAtSoldOut.get(), cpuAtEnd, result.requests(), accepted,
                    refusedAfterSoldOut, livenessCpuMs.get()));
            figures.put("invariants", violations.isEmpty() ? "OK (I1 I2 I3 I5, nothing pending)" : violations);
            return figures;
        }

        /**
         * CPU by part of the stack over the whole rush (per request answered) and, when the stock
         * ran out before the end, over the admitting part alone (per 202: while stock lasts nearly
         * every request is an admission, so that figure is what one admission costs the machine)
         * and over the rest (per request answered after the sell-out: refusals). Each cost also in
         * liveness answers' worth of the same run's ceiling, the unit that survives the machine's
         * day-to-day speed.
         */
        private static Map<String, Object> cpuFigures(Optional<CpuAccount.Snapshot> start,
                CpuAccount.Snapshot soldOut, Optional<CpuAccount.Snapshot> end, long requests, long accepted,
                long refusedAfterSoldOut, double livenessCpuMs) {
            if (start.isEmpty() || end.isEmpty()) {
                return Map.of("unavailable", "no /proc on this machine");
            }
            int cores = Runtime.getRuntime().availableProcessors();
            Map<String, Object> figures = new LinkedHashMap<>();
            if (soldOut != null) {
                Map<String, Object> admitting = CpuAccount.between(start.get(), soldOut, accepted, "Admission", cores);
                inLivenessAnswers(admitting, "cpuMsPerAdmission", livenessCpuMs);
                figures.put("whileStockLasted", admitting);
                if (refusedAfterSoldOut > 0) {
                    Map<String, Object> refusing = CpuAccount.between(soldOut, end.get(), refusedAfterSoldOut, "Refusal", cores);
                    inLivenessAnswers(refusing, "cpuMsPerRefusal", livenessCpuMs);
                    figures.put("afterSoldOut", refusing);
                }
            }
            figures.put("wholeRush", CpuAccount.between(start.get(), end.get(), requests, "Request", cores));
            return figures;
        }

        private static void inLivenessAnswers(Map<String, Object> figures, String cost, double livenessCpuMs) {
            if (livenessCpuMs > 0 && figures.get(cost) instanceof Number ms) {
                figures.put(cost.replace("cpuMs", "livenessAnswers"), round(ms.doubleValue() / livenessCpuMs));
            }
        }

        /** Waits until every coupon has nothing pending and the database holds every accepted request. */
        private Instant awaitDrained(List<Long> coupons, long accepted) throws InterruptedException {
            String ids = String.join(",", coupons.stream().map(String::valueOf).toList());
            Instant deadline = Instant.now().plus(DRAIN_LIMIT);
            while (Instant.now().isBefore(deadline)) {
                boolean nothingPending = coupons.stream().allMatch(id -> redis.pendingCount(id) == 0);
                long issued = info.jdbc().sql("SELECT count(*) FROM coupon_issuance WHERE coupon_id IN (" + ids + ")")
                        .query(Long.class).single();
                if (nothingPending && issued >= accepted) {
                    return Instant.now();
                }
                Thread.sleep(100);
            }
            return null;
        }

        private static Map<String, Object> serverLatencies(PrometheusScrape before, PrometheusScrape after) {
            Map<String, Object> byStatus = new LinkedHashMap<>();
            for (String status : List.of("202", "409", "410", "429", "503")) {
                Map<String, Object> latency = serverLatency(before, after, ISSUE_ROUTE, status);
                if (!latency.isEmpty()) {
                    byStatus.put(status, latency);
                }
            }
            return byStatus;
        }

        /** The service's own p50/p95/p99 of {@code route} answered with {@code status} between two scrapes; empty without any. */
        private static Map<String, Object> serverLatency(PrometheusScrape before, PrometheusScrape after,
                Map<String, String> route, String status) {
            Map<String, String> match = new LinkedHashMap<>(route);
            match.put("status", status);
            Map<Double, Double> quantiles = after.quantiles(before, HISTOGRAM, match, 0.5, 0.95, 0.99);
            if (quantiles.isEmpty()) {
                return Map.of();
            }
            return Map.of("p50", round(quantiles.get(0.5) * 1000), "p95", round(quantiles.get(0.95) * 1000),
                    "p99", round(quantiles.get(0.99) * 1000),
                    "maxAtMost", round(after.maxBound(before, HISTOGRAM, match) * 1000));
        }

        /**
         * Every winner of {@code coupon} redeems it in the wallet, one request each with its own
         * Idempotency-Key, as fast as the wallet answers; checked against PostgreSQL afterwards.
         */
        Map<String, Object> redeem(String name, long coupon, Path tokens, Path folder) throws Exception {
            var db = info.jdbc();
            Map<Long, Long> issuanceOfUser = new HashMap<>();
            db.sql("SELECT user_id, id FROM coupon_issuance WHERE coupon_id = ?").param(coupon)
                    .query((row, number) -> issuanceOfUser.put(row.getLong(1), row.getLong(2))).list();
            Path lines = folder.resolve("redemptions-" + name + ".txt");
            try (BufferedWriter writer = Files.newBufferedWriter(lines); Stream<String> tokenLines = Files.lines(tokens)) {
                long user = 0;
                for (String token : (Iterable<String>) tokenLines::iterator) {
                    Long issuance = issuanceOfUser.get(++user); // line n holds user n's token
                    if (issuance != null) {
                        writer.write(token + " " + issuance);
                        writer.newLine();
                    }
                }
            }
            System.out.printf("• %,d winners redeem their coupon%n", issuanceOfUser.size());
            String walletUrl = stack.wallet().orElseThrow().baseUrl();
            PrometheusScrape before = PrometheusScrape.of(walletUrl);
            CpuAccount cpu = new CpuAccount(stack.services().stream()
                    .collect(Collectors.toMap(ServiceProcess::pid, ServiceProcess::name)));
            Optional<CpuAccount.Snapshot> cpuAtStart = cpu.take();
            Wrk.Result result = wrk.redeem(name, walletUrl, load, lines);
            Optional<CpuAccount.Snapshot> cpuAtEnd = cpu.take();
            PrometheusScrape after = PrometheusScrape.of(walletUrl);

            long created = result.answered("201");
            long standing = db.sql("SELECT count(*) FROM coupon_redemption WHERE coupon_id = ? AND status = 'REDEEMED'")
                    .param(coupon).query(Long.class).single();
            long redeemedRows = db.sql("SELECT count(*) FROM coupon_issuance WHERE coupon_id = ? AND status = 'REDEEMED'")
                    .param(coupon).query(Long.class).single();
            List<String> violations = new ArrayList<>();
            if (standing != issuanceOfUser.size() || redeemedRows != standing) {
                violations.add(issuanceOfUser.size() + " winners, " + standing + " redemptions stand, "
                        + redeemedRows + " coupons REDEEMED");
            }
            double seconds = result.duration().toNanos() / 1e9;
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("winners", issuanceOfUser.size());
            figures.put("requests", result.requests());
            figures.put("durationS", round(seconds));
            figures.put("redemptionsPerS", Math.round(created / Math.max(seconds, 1e-3)));
            figures.put("answers", result.answers());
            figures.put("errors", result.errors());
            figures.put("clientLatencyMs", millis(result.latencyMicros()));
            figures.put("serverLatencyMs", serverLatency(before, after, REDEEM_ROUTE, "201"));
            figures.put("cpu", cpuAtStart.isEmpty() || cpuAtEnd.isEmpty() ? Map.of("unavailable", "no /proc on this machine")
                    : CpuAccount.between(cpuAtStart.get(), cpuAtEnd.get(), Math.max(created, 1), "Redemption",
                            Runtime.getRuntime().availableProcessors()));
            figures.put("invariants", violations.isEmpty() ? "OK (one standing redemption per winner)" : violations);
            return figures;
        }

        /** Events straight onto the topic for one coupon; the worker's commit rate. */
        Map<String, Object> workerOnly(int events) throws Exception {
            long coupon = admin.openCoupon("BENCH-W-" + System.currentTimeMillis(), events);
            Instant started = Instant.now();
            WorkerLoad.send(info.kafkaBootstrapServers(), coupon, 10_000_000, events);
            Instant sent = Instant.now();
            Instant deadline = Instant.now().plus(DRAIN_LIMIT);
            long issued = 0;
            while (Instant.now().isBefore(deadline)) {
                issued = info.jdbc().sql("SELECT count(*) FROM coupon_issuance WHERE coupon_id = ?").param(coupon)
                        .query(Long.class).single();
                if (issued >= events) {
                    break;
                }
                Thread.sleep(50);
            }
            Instant done = Instant.now();
            var db = info.jdbc();
            Instant firstCommit = db.sql("SELECT min(issued_at) FROM coupon_issuance WHERE coupon_id = ?").param(coupon)
                    .query(Instant.class).single();
            Instant lastCommit = db.sql("SELECT max(issued_at) FROM coupon_issuance WHERE coupon_id = ?").param(coupon)
                    .query(Instant.class).single();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("events", events);
            figures.put("issued", issued);
            figures.put("produceS", round(Duration.between(started, sent).toMillis() / 1000.0));
            figures.put("firstToLastCommitS", round(Duration.between(firstCommit, lastCommit).toMillis() / 1000.0));
            figures.put("workerIssuancesPerS", Math.round(issued
                    / Math.max(Duration.between(firstCommit, lastCommit).toNanos() / 1e9, 1e-3)));
            figures.put("wallIssuancesPerS", Math.round(issued / Math.max(Duration.between(started, done).toNanos() / 1e9, 1e-3)));
            figures.put("invariants", issued == events ? "OK (every event issued once)" : "only " + issued + " of " + events);
            return figures;
        }
    }

    private static Map<String, Object> millis(Map<String, Long> micros) {
        Map<String, Object> ms = new LinkedHashMap<>();
        micros.forEach((key, value) -> ms.put(key, round(value / 1000.0)));
        return ms;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static double totalMemoryGiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0;
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return 0;
    }

    private static void print(String title, Map<String, Object> figures) {
        System.out.println();
        System.out.println(title);
        figures.forEach((key, value) -> System.out.printf("  %-24s %s%n", key, value));
    }
}
