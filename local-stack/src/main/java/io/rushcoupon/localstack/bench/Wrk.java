package io.rushcoupon.localstack.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs wrk (Debian's package) with the bench's Lua script and reads the JSON line the script's
 * {@code done()} prints. wrk's own text output goes to a log file beside it.
 */
final class Wrk {

    /** What one wrk run measured on the client side. */
    record Result(long requests, Duration duration, Map<String, Long> errors, Map<String, Long> latencyMicros,
            Map<String, Long> answers) {

        double perSecond() {
            return requests / Math.max(duration.toNanos() / 1e9, 1e-9);
        }

        long answered(String key) {
            return answers.getOrDefault(key, 0L);
        }
    }

    /** How hard to push: wrk threads and connections, and the longest a run may take. */
    record Load(int threads, int connections, Duration limit) {
    }

    /** Longest an answer in flight takes after the last token was sent, with room to spare. */
    private static final Duration IN_FLIGHT = Duration.ofSeconds(3);

    private final JsonMapper json = JsonMapper.builder().build();
    private final Path issueScript;
    private final Path redeemScript;
    private final Path folder;

    Wrk(Path folder) throws IOException {
        this.folder = folder;
        this.issueScript = copy("issue-rush.lua");
        this.redeemScript = copy("redeem-rush.lua");
        copy("wrk-report.lua"); // the scripts' shared setup() and done(), loaded from beside them
    }

    private Path copy(String script) throws IOException {
        Path target = folder.resolve(script);
        try (InputStream in = Wrk.class.getResourceAsStream("/bench/" + script)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /**
     * Issue requests, one distinct user per token, until the tokens run out. wrk always runs for its
     * whole {@code -d}, so each script thread marks when its tokens are used up; once all have, and
     * the answers in flight are in, the bench stops wrk with SIGINT (it then reports as usual). The
     * duration is the rush's own: from the start to the last thread's mark.
     */
    Result rush(String name, String gatewayUrl, Load load, Path tokens, List<Long> coupons, int duplicateEvery,
            long rate) throws Exception {
        Path markers = Files.createDirectories(folder.resolve("markers-" + name));
        List<String> args = new ArrayList<>(List.of(tokens.toAbsolutePath().toString(),
                String.join(",", coupons.stream().map(String::valueOf).toList()),
                Integer.toString(load.threads()), Integer.toString(duplicateEvery), Long.toString(rate),
                Integer.toString(load.connections()), markers.toAbsolutePath().toString()));
        return untilUsedUp(name, gatewayUrl, load, issueScript, args, markers);
    }

    /**
     * Redemptions, one winner's coupon per line of {@code redemptions} ("token issuanceId"), each with
     * its own Idempotency-Key, until the lines run out; stopped and measured as {@link #rush}.
     */
    Result redeem(String name, String walletUrl, Load load, Path redemptions) throws Exception {
        Path markers = Files.createDirectories(folder.resolve("markers-" + name));
        List<String> args = List.of(redemptions.toAbsolutePath().toString(), Integer.toString(load.threads()),
                markers.toAbsolutePath().toString());
        return untilUsedUp(name, walletUrl, load, redeemScript, args, markers);
    }

    private Result untilUsedUp(String name, String url, Load load, Path script, List<String> args, Path markers)
            throws Exception {
        Instant started = Instant.now();
        Process wrk = start(name, url, load, script, args);
        Instant finished = null;
        while (wrk.isAlive() && finished == null) {
            try (Stream<Path> done = Files.list(markers)) {
                if (done.count() >= load.threads()) {
                    finished = Instant.now();
                }
            }
            Thread.sleep(50);
        }
        if (wrk.isAlive()) {
            Thread.sleep(IN_FLIGHT.toMillis());
            new ProcessBuilder("kill", "-INT", Long.toString(wrk.pid())).start().waitFor();
        }
        Result result = finish(name, wrk);
        Duration rushed = Duration.between(started, finished == null ? Instant.now() : finished);
        return new Result(result.requests(), rushed, result.errors(), result.latencyMicros(), result.answers());
    }

    /** The gateway's liveness probe, as fast as it answers, for {@code duration}. */
    Result ceiling(String gatewayUrl, Load load, Duration duration) throws Exception {
        Load timed = new Load(load.threads(), load.connections(), duration);
        return finish("ceiling", start("ceiling", gatewayUrl, timed, issueScript, List.of("ceiling")));
    }

    private Process start(String name, String url, Load load, Path script, List<String> scriptArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + load.threads(), "-c" + load.connections(),
                "-d" + Math.max(1, load.limit().toSeconds()) + "s", "--timeout", "10s", "-s", script.toString(),
                url, "--"));
        command.addAll(scriptArgs);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(name).toFile()).start();
    }

    private Path log(String name) {
        return folder.resolve("wrk-" + name + ".log");
    }

    private Result finish(String name, Process wrk) throws Exception {
        int status = wrk.waitFor();
        Path log = log(name);
        List<String> lines = Files.readAllLines(log);
        String last = lines.stream().filter(line -> line.startsWith("{\"requests\"")).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("wrk (exit " + status + ") printed no result; see " + log));
        JsonNode node = json.readTree(last);
        return new Result(node.get("requests").asLong(), Duration.ofNanos(node.get("durationMicros").asLong() * 1000),
                longs(node.get("errors")), longs(node.get("latencyMicros")), longs(node.get("answers")));
    }

    private static Map<String, Long> longs(JsonNode node) {
        Map<String, Long> values = new LinkedHashMap<>();
        node.properties().forEach(entry -> values.put(entry.getKey(), entry.getValue().asLong()));
        return values;
    }
}
