package io.rushcoupon.system.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.yaml.snakeyaml.Yaml;

import io.rushcoupon.common.event.Topics;
import io.rushcoupon.harness.process.ServiceProcess;
import io.rushcoupon.harness.rush.RushClient;
import io.rushcoupon.harness.rush.RushClient.Answer;
import io.rushcoupon.harness.rush.RushClient.Attempt;
import io.rushcoupon.harness.rush.RushClient.Outcome;
import io.rushcoupon.harness.stack.Stack;
import io.rushcoupon.system.SystemStack;
import io.rushcoupon.system.monitoring.PrometheusServer.QueryResult;
import io.rushcoupon.harness.host.FreePorts;
import io.rushcoupon.harness.host.HostTools;
import io.rushcoupon.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard and the alerts are real: a real Prometheus runs infra/prometheus (targets swapped
 * for the test's services, alerts.yml as it is) against gateway, worker, admin and wallet from
 * their production jars; after a demo-sized rush, and some winners redeeming their coupon, every
 * panel query of the Grafana dashboard and every alert expression is evaluated through Prometheus's HTTP API. A query that errors, a panel that
 * the rush should feed but that has no series, a metric nobody exposes, or a rule group Prometheus
 * did not load healthy fails the test.
 */
class DashboardQueriesLiveTest {

    private static final Path ROOT = HostTools.projectRoot();
    /** Prometheus's config, data and log, and the services' scrapes after the rush. */
    private static final Path WORK = Path.of("target", "prometheus");
    /** Stands for Grafana's $__rate_interval: wide enough to hold the whole rush on a slow machine. */
    private static final String WINDOW = "5m";
    private static final Duration DRAIN = Duration.ofSeconds(120);
    /** Long enough for a scrape on a busy machine, and for Micrometer's one-minute Kafka metrics refresh. */
    private static final Duration SCRAPED = Duration.ofSeconds(150);
    /**
     * Panels a rush need not feed, by title, with the reason. Empty on purpose: every meter the
     * dashboard reads is registered when its service starts (counters at 0, timers with empty
     * buckets; the Kafka client's per-partition lag once Micrometer has seen the assigned
     * partitions, which the setup waits for), so consumer lag and dead letters return series valued
     * 0 rather than nothing, and the 5xx share guards its numerator with "or vector(0)". A panel
     * added here must say why it may stay empty.
     */
    private static final Map<String, String> MAY_BE_EMPTY = Map.of();

    private static Stack stack;
    private static PrometheusServer prometheus;
    private static JsonNode dashboard;
    private static List<Map<String, Object>> ruleGroups;
    private static int absentGatewayPort;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    static void rushWhilePrometheusWatches() throws Exception {
        dashboard = JsonMapper.builder().build()
                .readTree(ROOT.resolve("infra/grafana/dashboards/rushcoupon-live-rush.json").toFile());
        ruleGroups = ruleGroups();
        // the gauges refresh every 10 s by default; a test has no minute to spare
        // the services' own settings, as deployed: Debian's Prometheus 2.42 must accept their scrapes
        stack = SystemStack.builder("").admin(0).wallet(0)
                .workerSettings(Map.of("RUSHCOUPON_WORKER_PENDING_GAUGE_REFRESH", "1s"))
                .adminSettings(Map.of("RUSHCOUPON_ADMIN_GAUGE_REFRESH", "1s"))
                .start();
        // prometheus.yml names two gateways; the second one is a port nobody listens on, so the
        // ServiceDown rule has a real down target to find
        absentGatewayPort = FreePorts.closed();
        Map<String, List<String>> targets = new LinkedHashMap<>();
        targets.put("gateway", List.of(hostPort(stack.gateway()), "127.0.0.1:" + absentGatewayPort));
        targets.put("issuance-worker", List.of(hostPort(stack.worker())));
        targets.put("admin-service", List.of(hostPort(stack.admin().orElseThrow())));
        targets.put("wallet-service", List.of(hostPort(stack.wallet().orElseThrow())));
        prometheus = PrometheusServer.start(ROOT, targets, WORK);
        awaitPrometheus("count(up{job=~\"gateway|issuance-worker|admin-service|wallet-service\"} == 1)",
                value -> value >= 4);

        int issued = rush();
        int redeemed = redeemSome();
        deadLetterAPoisonRecord();
        saveScrapes();

        // everything the rush and the poison record did has been scraped
        awaitPrometheus("sum(rushcoupon_issuances_total{job=\"issuance-worker\"})", value -> value >= issued);
        awaitPrometheus("sum(rushcoupon_dead_letters_total{job=\"issuance-worker\"})", value -> value >= 1);
        awaitPrometheus("count(rushcoupon_coupon_remaining{job=\"admin-service\"})", value -> value >= 1);
        awaitPrometheus("sum(rushcoupon_redemptions_total{job=\"wallet-service\", outcome=\"redeemed\"})",
                value -> value >= redeemed);
        // Micrometer looks for new Kafka client metrics once a minute, so the per-partition lag of
        // partitions the worker was assigned at startup shows up to a minute after the first fetch
        awaitPrometheus("count(kafka_consumer_fetch_manager_records_lag{job=\"issuance-worker\", "
                + "topic=\"coupon.issue.requested\"})", value -> value >= 1);
    }

    /**
     * A drop of 300 units rushed by 2,000 users plus 200 double clicks (sells out), and a coupon
     * of 5,000 units asked for by 500 users, which stays open with stock so the admin's
     * remaining-units gauge has a coupon to report.
     *
     * @return how many requests ended ISSUED
     */
    private static int rush() throws Exception {
        long drop = stack.openCoupon("LIVE-DROP", 300);
        long roomy = stack.openCoupon("LIVE-OPEN", 5_000);
        Random random = new Random(17);
        List<Attempt> attempts = new ArrayList<>();
        for (long user = 1; user <= 2_000; user++) {
            attempts.add(new Attempt(user, drop));
        }
        for (int click = 0; click < 200; click++) {
            attempts.add(new Attempt(1 + random.nextInt(2_000), drop));
        }
        for (long user = 5_001; user <= 5_500; user++) {
            attempts.add(new Attempt(user, roomy));
        }
        Collections.shuffle(attempts, random);

        RushClient client = new RushClient(stack.gateway().baseUrl(), TestTokens::user);
        List<Answer> answers = client.rush(attempts, 32);
        List<Answer> accepted = answers.stream().filter(Answer::accepted).toList();
        Map<String, Outcome> outcomes = client.awaitFinal(accepted, DRAIN);
        int issued = (int) outcomes.values().stream().filter(outcome -> "ISSUED".equals(outcome.status())).count();
        System.out.printf("rush: %d requests, %d accepted, %d issued%n", answers.size(), accepted.size(), issued);
        assertThat(issued).as("the rush issued units").isGreaterThanOrEqualTo(300);
        return issued;
    }

    /**
     * Twenty winners of the drop open their wallet and redeem their coupon against an order, so
     * the wallet's meters and its latency histogram have something to show.
     *
     * @return how many redemptions answered 201
     */
    private static int redeemSome() throws Exception {
        List<Map<String, Object>> winners = stack.db().sql("""
                SELECT i.id, i.user_id FROM coupon_issuance i JOIN coupon c ON c.id = i.coupon_id
                WHERE c.code = 'LIVE-DROP' ORDER BY i.id LIMIT 20""").query().listOfRows();
        String wallet = stack.walletApiUrl() + "/api/v1/me/";
        int redeemed = 0;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            for (Map<String, Object> winner : winners) {
                String token = "Bearer " + TestTokens.user(((Number) winner.get("user_id")).longValue());
                HttpResponse<String> listing = http.send(HttpRequest.newBuilder(URI.create(wallet + "coupons"))
                        .header("Authorization", token).timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(listing.statusCode()).as(listing.body()).isEqualTo(200);
                HttpResponse<String> redemption = http.send(HttpRequest.newBuilder(
                        URI.create(wallet + "coupons/" + winner.get("id") + "/redemptions"))
                        .header("Authorization", token).header("Idempotency-Key", "live-" + winner.get("id"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"orderId\":\"order-" + winner.get("id") + "\",\"orderAmount\":50000}"))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(redemption.statusCode()).as(redemption.body()).isEqualTo(201);
                redeemed++;
            }
        }
        System.out.printf("wallet: %d winners redeemed their coupon%n", redeemed);
        assertThat(redeemed).as("winners redeemed").isPositive();
        return redeemed;
    }

    /** A record the worker cannot read: it goes to the dead-letter topic and is counted. */
    private static void deadLetterAPoisonRecord() throws Exception {
        Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafkaBootstrapServers(), ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (var producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.ISSUE_REQUESTED, "poison",
                    "not an IssueRequested".getBytes(StandardCharsets.UTF_8))).get(20, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (prometheus != null) {
                prometheus.close();
            }
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everyDashboardPanelAnswersWithSeriesAfterARush() throws Exception {
        List<String> problems = new ArrayList<>();
        int queries = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            if ("row".equals(panel.path("type").asString())) {
                continue;
            }
            String title = panel.path("title").asString();
            for (JsonNode target : panel.path("targets")) {
                queries++;
                String query = PromQl.withGrafanaVariables(target.path("expr").asString(), WINDOW);
                QueryResult result = prometheus.query(query);
                String where = "panel '" + title + "' [" + target.path("refId").asString() + "]";
                System.out.println(where + ": " + describe(result));
                if (result.failed()) {
                    problems.add(where + " failed: " + result.error() + " — " + query);
                } else if (result.series().isEmpty() && !MAY_BE_EMPTY.containsKey(title)) {
                    problems.add(where + " returned no series — " + query);
                } else if (!result.series().isEmpty() && finiteValues(result).isEmpty()
                        && !MAY_BE_EMPTY.containsKey(title)) {
                    problems.add(where + " returned only NaN — " + query);
                }
            }
        }
        assertThat(queries).isGreaterThanOrEqualTo(10);
        assertThat(problems).isEmpty();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everyAlertExpressionEvaluatesWithoutError() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> rule : rules()) {
            QueryResult result = prometheus.query((String) rule.get("expr"));
            System.out.println("alert " + rule.get("alert") + ": " + describe(result));
            if (result.failed()) {
                problems.add(rule.get("alert") + " failed: " + result.error());
            }
        }
        assertThat(rules()).hasSizeGreaterThanOrEqualTo(7);
        assertThat(problems).isEmpty();
    }

    /** Every name the dashboard and the alerts select is exposed by a target of the job they select it from. */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everyMetricTheDashboardAndTheAlertsSelectIsExposed() throws Exception {
        Set<PromQl.Selector> selectors = new LinkedHashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                selectors.addAll(PromQl.selectors(PromQl.withGrafanaVariables(target.path("expr").asString(), WINDOW)));
            }
        }
        for (Map<String, Object> rule : rules()) {
            selectors.addAll(PromQl.selectors((String) rule.get("expr")));
        }
        List<String> missing = new ArrayList<>();
        for (PromQl.Selector selector : selectors) {
            QueryResult result = prometheus.query(selector.existenceQuery());
            Set<String> exposedBy = new TreeSet<>();
            result.series().forEach(series -> exposedBy.add(series.path("metric").path("job").asString()));
            if (result.failed()) {
                missing.add(selector.existenceQuery() + " failed: " + result.error());
            } else if (exposedBy.isEmpty() || !exposedBy.containsAll(selector.namedJobs())) {
                missing.add(selector.metric() + " not exposed by every job of " + selector.jobMatcher()
                        + " (only by " + exposedBy + ")");
            }
        }
        System.out.println(selectors.size() + " metric selectors, missing: " + missing);
        assertThat(selectors).hasSizeGreaterThanOrEqualTo(15);
        assertThat(missing).isEmpty();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void prometheusLoadedEveryRuleGroupOfAlertsYmlAndEvaluatesEveryRuleHealthy() throws Exception {
        JsonNode groups = awaitEveryRuleEvaluated();
        Map<String, List<String>> loaded = new LinkedHashMap<>();
        List<String> unhealthy = new ArrayList<>();
        for (JsonNode group : groups) {
            List<String> names = new ArrayList<>();
            for (JsonNode rule : group.path("rules")) {
                names.add(rule.path("name").asString());
                if (!"ok".equals(rule.path("health").asString())) {
                    unhealthy.add(rule.path("name").asString() + ": " + rule.path("health").asString() + " "
                            + rule.path("lastError").asString());
                }
            }
            loaded.put(group.path("name").asString(), names);
        }
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (Map<String, Object> group : ruleGroups) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rules = (List<Map<String, Object>>) group.get("rules");
            expected.put((String) group.get("name"), rules.stream().map(rule -> (String) rule.get("alert")).toList());
        }
        System.out.println("rule groups loaded: " + loaded);
        assertThat(loaded).isEqualTo(expected);
        assertThat(unhealthy).isEmpty();
    }

    /** The alert can fire: prometheus.yml's second gateway is down here, and only it. */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void serviceDownSelectsExactlyTheGatewayTargetNothingListensOn() throws Exception {
        QueryResult result = prometheus.query(expression("ServiceDown"));

        assertThat(result.error()).isNull();
        assertThat(result.series()).hasSize(1);
        JsonNode labels = result.series().getFirst().path("metric");
        assertThat(labels.path("job").asString()).isEqualTo("gateway");
        assertThat(labels.path("instance").asString()).isEqualTo("127.0.0.1:" + absentGatewayPort);
    }

    /** The alert can fire: the poison record sent before the tests was dead-lettered by the worker. */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void deadLettersPresentSelectsTheWorkerThatDeadLetteredAPoisonRecord() throws Exception {
        QueryResult result = prometheus.query(expression("DeadLettersPresent"));

        assertThat(result.error()).isNull();
        assertThat(result.series()).hasSize(1);
        assertThat(result.series().getFirst().path("metric").path("instance").asString())
                .isEqualTo(hostPort(stack.worker()));
    }

    private static JsonNode awaitEveryRuleEvaluated() throws Exception {
        Instant deadline = Instant.now().plus(SCRAPED);
        while (true) {
            JsonNode groups = prometheus.api("rules").path("groups");
            boolean evaluated = !groups.isEmpty();
            for (JsonNode group : groups) {
                for (JsonNode rule : group.path("rules")) {
                    evaluated &= !"unknown".equals(rule.path("health").asString());
                }
            }
            if (evaluated || Instant.now().isAfter(deadline)) {
                return groups;
            }
            Thread.sleep(500);
        }
    }

    private static void awaitPrometheus(String query, DoublePredicate done) throws Exception {
        Instant deadline = Instant.now().plus(SCRAPED);
        double value = prometheus.value(query);
        while (!done.test(value)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Prometheus did not see " + query + " reach its value within " + SCRAPED
                        + " (last: " + value + "); targets: " + targets() + "; see " + prometheus.log().toAbsolutePath());
            }
            Thread.sleep(500);
            value = prometheus.value(query);
        }
    }

    /** What each service exposes right after the rush, next to Prometheus's log, for whoever reads a failure. */
    private static void saveScrapes() throws Exception {
        List<ServiceProcess> services = List.of(stack.gateway(), stack.worker(), stack.admin().orElseThrow(),
                stack.wallet().orElseThrow());
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            for (ServiceProcess service : services) {
                HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(
                        URI.create(service.baseUrl() + "/actuator/prometheus")).timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString());
                Files.writeString(WORK.resolve(service.name() + ".prom"), scrape.body());
            }
        }
        System.out.println("targets after the rush: " + targets());
    }

    /** Each target's health, last error and scrape time, for a failure message. */
    private static List<String> targets() throws Exception {
        List<String> targets = new ArrayList<>();
        for (JsonNode target : prometheus.api("targets").path("activeTargets")) {
            targets.add(target.path("scrapeUrl").asString() + " " + target.path("health").asString() + " "
                    + target.path("lastError").asString() + " " + target.path("lastScrapeDuration").asDouble() + " s");
        }
        return targets;
    }

    private static String describe(QueryResult result) {
        if (result.failed()) {
            return "ERROR " + result.error();
        }
        List<Double> values = finiteValues(result);
        return result.series().size() + " series"
                + (values.isEmpty() ? "" : ", max " + String.format("%.4g", Collections.max(values)));
    }

    private static List<Double> finiteValues(QueryResult result) {
        List<Double> values = new ArrayList<>();
        for (JsonNode series : result.series()) {
            JsonNode sample = series.has("value") ? series.path("value") : series;
            double value = Double.parseDouble(sample.get(1).asString());
            if (Double.isFinite(value)) {
                values.add(value);
            }
        }
        return values;
    }

    private static String expression(String alert) {
        return rules().stream().filter(rule -> alert.equals(rule.get("alert"))).map(rule -> (String) rule.get("expr"))
                .findFirst().orElseThrow(() -> new AssertionError("alerts.yml has no rule " + alert));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() {
        List<Map<String, Object>> rules = new ArrayList<>();
        ruleGroups.forEach(group -> rules.addAll((List<Map<String, Object>>) group.get("rules")));
        return rules;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> ruleGroups() throws Exception {
        try (Reader reader = Files.newBufferedReader(ROOT.resolve("infra/prometheus/alerts.yml"))) {
            Map<String, Object> file = new Yaml().load(reader);
            return (List<Map<String, Object>>) file.get("groups");
        }
    }

    private static String hostPort(ServiceProcess service) {
        return "127.0.0.1:" + service.port();
    }
}
