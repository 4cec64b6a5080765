package io.rushcoupon.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.harness.host.HostTools;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The "RushCoupon — live rush" dashboard and Grafana's provisioning under infra/grafana: the
 * dashboard is what the provider loads, every panel asks Prometheus something, and through the one
 * provisioned datasource. Whether the queries return data is DashboardQueriesLiveTest's job
 * (system-tests), against a real Prometheus scraping the real services.
 */
class GrafanaDashboardTest {

    private static final Path GRAFANA = HostTools.projectRoot().resolve("infra/grafana");

    private static JsonNode dashboard;

    @BeforeAll
    static void readDashboard() {
        dashboard = JsonMapper.builder().build()
                .readTree(GRAFANA.resolve("dashboards/rushcoupon-live-rush.json").toFile());
    }

    @Test
    void isTheLiveRushDashboardUnderItsFixedUid() {
        assertThat(dashboard.path("uid").asString()).isEqualTo("rushcoupon-live-rush");
        assertThat(dashboard.path("title").asString()).isEqualTo("RushCoupon — live rush");
    }

    @Test
    void everyPanelQueriesPrometheusWithAnExpression() {
        List<JsonNode> panels = queryPanels();
        assertThat(panels).hasSizeGreaterThanOrEqualTo(10);
        for (JsonNode panel : panels) {
            String title = panel.path("title").asString();
            assertThat(title).as("panel %s has a title", panel.path("id")).isNotBlank();
            assertThat(panel.path("targets").isArray() && !panel.path("targets").isEmpty())
                    .as("panel '%s' has targets", title).isTrue();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("expr").asString()).as("a target of panel '%s' has an expr", title)
                        .isNotBlank();
            }
        }
    }

    @Test
    void panelsHaveDistinctIdsAndTitles() {
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panels::add);
        Set<Integer> ids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (JsonNode panel : panels) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel id %s is unique", panel.path("id")).isTrue();
            assertThat(titles.add(panel.path("title").asString()))
                    .as("panel title '%s' is unique", panel.path("title").asString()).isTrue();
        }
    }

    /** After the rush, the wallet: redemptions by outcome, discount given, expiries, cancellations, its latency. */
    @Test
    void showsEveryMeterOfTheWalletAndItsLatency() {
        List<String> expressions = new ArrayList<>();
        queryPanels().forEach(panel -> panel.path("targets").forEach(target -> expressions.add(target.path("expr").asString())));

        for (String meter : List.of(MetricNames.REDEMPTIONS, MetricNames.DISCOUNT_GIVEN, MetricNames.EXPIRIES,
                MetricNames.REDEMPTION_CANCELLATIONS)) {
            String series = meter.replace('.', '_') + "_total{application=\"wallet-service\"";
            assertThat(expressions).as("a panel reads " + series).anyMatch(expression -> expression.contains(series));
        }
        assertThat(expressions).anyMatch(expression -> expression.contains("sum by (outcome) (rate(rushcoupon_redemptions_total"));
        assertThat(expressions).anyMatch(expression -> expression.startsWith("histogram_quantile(0.99,")
                && expression.contains("http_server_requests_seconds_bucket{application=\"wallet-service\""));
    }

    /** The service panels (targets up, heap, CPU) show every application Prometheus scrapes, the wallet's too. */
    @Test
    void servicePanelsShowEveryApplicationPrometheusScrapes() {
        Collection<String> applications = ScrapedApplications.byJob(GRAFANA.resolveSibling("prometheus").resolve("prometheus.yml"))
                .values();
        assertThat(applications).contains("wallet-service");

        for (String title : List.of("Targets up", "JVM heap used", "CPU per service")) {
            JsonNode panel = queryPanels().stream().filter(candidate -> title.equals(candidate.path("title").asString()))
                    .findFirst().orElseThrow(() -> new AssertionError("no panel " + title));
            String expression = panel.path("targets").get(0).path("expr").asString();
            Matcher matcher = Pattern.compile("application=~\"([^\"]+)\"").matcher(expression);
            assertThat(matcher.find()).as(title + " selects services by application=~").isTrue();
            assertThat(List.of(matcher.group(1).split("\\|"))).as(title).containsExactlyInAnyOrderElementsOf(applications);
        }
    }

    /**
     * No query, grouping or legend names a job: job names are compose's, and a Kubernetes
     * Prometheus (ServiceMonitors) names jobs after Services, so such a panel would show nothing there.
     */
    @Test
    void noPanelSelectsOrGroupsByJob() {
        List<String> byJob = new ArrayList<>();
        queryPanels().forEach(panel -> panel.path("targets").forEach(target -> {
            String text = target.path("expr").asString() + " " + target.path("legendFormat").asString();
            if (MentionsJob.in(text)) {
                byJob.add(panel.path("title").asString() + ": " + text);
            }
        }));
        assertThat(byJob).isEmpty();
    }

    /** Fixed uids instead of ${DS_PROMETHEUS} inputs: the provisioned dashboard works without an import step. */
    @Test
    void everyQueryGoesThroughTheProvisionedPrometheusDatasource() throws IOException {
        Map<String, Object> datasource = provisionedDatasource();
        assertThat(datasource).containsEntry("type", "prometheus").containsEntry("url", "http://prometheus:9090");
        String uid = (String) datasource.get("uid");
        assertThat(uid).isEqualTo("prometheus");

        for (JsonNode panel : queryPanels()) {
            String title = panel.path("title").asString();
            assertThat(panel.path("datasource").path("uid").asString()).as("datasource of '%s'", title).isEqualTo(uid);
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asString())
                        .as("datasource of a target of '%s'", title).isEqualTo(uid);
            }
        }
        assertThat(dashboard.toString()).doesNotContain("${DS_");
    }

    @Test
    void theDashboardProviderLoadsFromTheFolderComposeMountsTheDashboardsAt() throws IOException {
        Map<String, Object> provisioning = yaml(GRAFANA.resolve("provisioning/dashboards/rushcoupon.yml"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> providers = (List<Map<String, Object>>) provisioning.get("providers");
        assertThat(providers).hasSize(1);
        assertThat(providers.getFirst()).containsEntry("type", "file");
        assertThat(providers.getFirst().get("options")).isEqualTo(Map.of("path", "/var/lib/grafana/dashboards"));
    }

    /** Every panel except row headers, which group panels and query nothing. */
    private static List<JsonNode> queryPanels() {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (!"row".equals(panel.path("type").asString())) {
                panels.add(panel);
            }
        }
        return panels;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> provisionedDatasource() throws IOException {
        Map<String, Object> provisioning = yaml(GRAFANA.resolve("provisioning/datasources/prometheus.yml"));
        List<Map<String, Object>> datasources = (List<Map<String, Object>>) provisioning.get("datasources");
        assertThat(datasources).hasSize(1);
        return datasources.getFirst();
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        }
    }
}
