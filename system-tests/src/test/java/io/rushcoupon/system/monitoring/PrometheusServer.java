package io.rushcoupon.system.monitoring;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import io.rushcoupon.harness.host.FreePorts;
import io.rushcoupon.harness.host.HostTools;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus (the host's binary, installed by infra/install-tools.sh when missing) on a
 * loopback port, running the project's own infra/prometheus configuration with only what must
 * differ on a test machine changed: every job's targets are the test's services, scraped every
 * second, and the rule file is infra/prometheus/alerts.yml by absolute path.
 */
final class PrometheusServer implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Set<String> DISCOVERY_KEYS = Set.of("static_configs", "dns_sd_configs", "file_sd_configs",
            "kubernetes_sd_configs", "docker_sd_configs", "consul_sd_configs");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final Process process;
    private final Path log;
    private final String baseUrl;

    private PrometheusServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    /**
     * Starts Prometheus on the project's configuration with the jobs' targets replaced.
     *
     * @param targets job name → host:port list; must name exactly the jobs of prometheus.yml, so a
     *                job added there without a test target fails here instead of going unchecked
     * @param workDirectory where the generated config, the data folder and the log go
     */
    static PrometheusServer start(Path projectRoot, Map<String, List<String>> targets, Path workDirectory)
            throws IOException, InterruptedException {
        Path prometheus = HostTools.require("prometheus");
        deleteRecursively(workDirectory);
        Files.createDirectories(workDirectory);
        Path config = workDirectory.resolve("prometheus.yml");
        Files.writeString(config, testConfig(projectRoot.resolve("infra/prometheus"), targets));
        int port = FreePorts.free();
        Path log = workDirectory.resolve("prometheus.log");
        Process process = new ProcessBuilder(prometheus.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + workDirectory.resolve("data"),
                "--storage.tsdb.retention.time=1h",
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PrometheusServer server = new PrometheusServer(process, log, port);
        try {
            server.awaitReady();
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    @SuppressWarnings("unchecked")
    private static String testConfig(Path infraPrometheus, Map<String, List<String>> targets) throws IOException {
        Map<String, Object> config;
        try (Reader reader = Files.newBufferedReader(infraPrometheus.resolve("prometheus.yml"))) {
            config = new Yaml().load(reader);
        }
        Map<String, Object> global = new LinkedHashMap<>((Map<String, Object>) config.get("global"));
        // a rush in a test lasts seconds: scrape and evaluate every second
        global.put("scrape_interval", "1s");
        global.put("scrape_timeout", "1s");
        global.put("evaluation_interval", "1s");
        config.put("global", global);

        List<String> ruleFiles = new ArrayList<>();
        for (String ruleFile : (List<String>) config.get("rule_files")) {
            ruleFiles.add(infraPrometheus.resolve(ruleFile).toAbsolutePath().normalize().toString());
        }
        config.put("rule_files", ruleFiles);

        List<Map<String, Object>> jobs = new ArrayList<>();
        for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
            String name = (String) job.get("job_name");
            if (!targets.containsKey(name)) {
                throw new IllegalArgumentException("prometheus.yml scrapes job '" + name
                        + "', which this test has no service for; add it to the test's targets");
            }
            Map<String, Object> testJob = new LinkedHashMap<>(job);
            testJob.keySet().removeIf(DISCOVERY_KEYS::contains);
            testJob.remove("scrape_interval");
            testJob.remove("scrape_timeout");
            testJob.put("static_configs", List.of(Map.of("targets", targets.get(name))));
            jobs.add(testJob);
        }
        if (jobs.size() != targets.size()) {
            throw new IllegalArgumentException("the test names jobs prometheus.yml does not scrape: " + targets.keySet());
        }
        config.put("scrape_configs", jobs);

        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        StringBuilder text = new StringBuilder("# generated by DashboardQueriesLiveTest from infra/prometheus/prometheus.yml\n");
        try (Writer writer = new java.io.StringWriter()) {
            new Yaml(options).dump(config, writer);
            text.append(writer);
        }
        return text.toString();
    }

    private void awaitReady() throws InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("prometheus not ready within " + STARTUP + "; see " + log);
    }

    /** An instant query's answer: the result series, or Prometheus's error. */
    record QueryResult(String query, List<JsonNode> series, String error) {

        boolean failed() {
            return error != null;
        }
    }

    /** {@code /api/v1/query} at the current time. */
    QueryResult query(String query) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/query"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = json.readTree(response.body());
        if (!"success".equals(body.path("status").asString())) {
            return new QueryResult(query, List.of(), response.statusCode() + " " + body.path("errorType").asString()
                    + ": " + body.path("error").asString());
        }
        List<JsonNode> series = new ArrayList<>();
        JsonNode result = body.path("data").path("result");
        if ("scalar".equals(body.path("data").path("resultType").asString())) {
            series.add(result);
        } else {
            result.forEach(series::add);
        }
        return new QueryResult(query, series, null);
    }

    /** The first value of a one-series query, or -1 when it has none yet. */
    double value(String query) throws IOException, InterruptedException {
        QueryResult result = query(query);
        if (result.failed() || result.series().isEmpty()) {
            return -1;
        }
        return Double.parseDouble(result.series().getFirst().path("value").get(1).asString());
    }

    /** {@code /api/v1/<path>}'s {@code data}, e.g. {@code rules} or {@code targets}. */
    JsonNode api(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/" + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /api/v1/" + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return json.readTree(response.body()).path("data");
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(Duration.ofSeconds(15))) {
                process.destroyForcibly();
                process.waitFor(Duration.ofSeconds(15));
            }
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
