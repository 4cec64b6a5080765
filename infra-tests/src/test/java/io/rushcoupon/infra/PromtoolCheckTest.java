package io.rushcoupon.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import io.rushcoupon.harness.host.HostTools;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Prometheus configuration and alert rules under infra/prometheus, checked by Prometheus's own
 * promtool (Debian's package, installed by infra/install-tools.sh when missing), as they are in the
 * repository: a config promtool refuses would stop Prometheus from starting.
 */
class PromtoolCheckTest {

    private static final Path PROMETHEUS = HostTools.projectRoot().resolve("infra/prometheus");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void acceptsThePrometheusConfigurationWithItsRuleFile() throws Exception {
        ToolRun result = promtool("check", "config", PROMETHEUS.resolve("prometheus.yml").toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("1 rule files found");
    }

    @Test
    void acceptsTheAlertRules() throws Exception {
        ToolRun result = promtool("check", "rules", PROMETHEUS.resolve("alerts.yml").toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).containsPattern("SUCCESS: \\d+ rules found");
    }

    /**
     * The wallet's alert at work ({@code promtool test rules}, alerts.yml as it is): a tenth of
     * redemptions failing, or a tenth of wallet calls answering 5xx, fires it once its 5 minutes
     * have passed; one in a hundred does not, and neither do refusals that are the rules working.
     */
    @Test
    void redemptionErrorsClimbingFiresOnATenthFailingAndNotOnRefusalsOrAFewFailures(@TempDir Path folder)
            throws Exception {
        String wallet = "job=\"wallet-service\", application=\"wallet-service\", instance=\"wallet:8084\"";
        String calls = "http_server_requests_seconds_count{" + wallet + ", uri=\"/api/v1/me/coupons\", ";
        String firing = """
                        exp_alerts:
                          - exp_labels: {severity: critical}
                            exp_annotations:
                              summary: "10%% of redemptions or wallet calls fail"
                              description: %s
                              runbook_url: %s
                """.formatted(JSON.writeValueAsString(annotation("RedemptionErrorsClimbing", "description")),
                annotation("RedemptionErrorsClimbing", "runbook_url"));
        String quiet = """
                        exp_alerts: []
                """;
        Path tests = folder.resolve("wallet-alert-test.yml");
        Files.writeString(tests, """
                rule_files:
                  - %s
                evaluation_interval: 1m
                tests:
                  # a tenth of redemptions end in outcome=error: pending at 3 minutes, firing at 12
                  - interval: 1m
                    input_series:
                      - series: 'rushcoupon_redemptions_total{%2$s, outcome="redeemed"}'
                        values: '0+90x20'
                      - series: 'rushcoupon_redemptions_total{%2$s, outcome="error"}'
                        values: '0+10x20'
                    alert_rule_test:
                      - eval_time: 3m
                        alertname: RedemptionErrorsClimbing
                %5$s
                      - eval_time: 12m
                        alertname: RedemptionErrorsClimbing
                %4$s
                  # a tenth of wallet calls answer 5xx while no redemption has the error outcome
                  - interval: 1m
                    input_series:
                      - series: 'rushcoupon_redemptions_total{%2$s, outcome="redeemed"}'
                        values: '0+5x20'
                      - series: '%3$sstatus="200"}'
                        values: '0+90x20'
                      - series: '%3$sstatus="503"}'
                        values: '0+10x20'
                    alert_rule_test:
                      - eval_time: 12m
                        alertname: RedemptionErrorsClimbing
                %4$s
                  # one failure in a hundred, and many refusals that are the rules working
                  - interval: 1m
                    input_series:
                      - series: 'rushcoupon_redemptions_total{%2$s, outcome="redeemed"}'
                        values: '0+40x20'
                      - series: 'rushcoupon_redemptions_total{%2$s, outcome="already_redeemed"}'
                        values: '0+30x20'
                      - series: 'rushcoupon_redemptions_total{%2$s, outcome="min_order_not_met"}'
                        values: '0+29x20'
                      - series: 'rushcoupon_redemptions_total{%2$s, outcome="error"}'
                        values: '0+1x20'
                      - series: '%3$sstatus="409"}'
                        values: '0+59x20'
                      - series: '%3$sstatus="500"}'
                        values: '0+1x20'
                      - series: '%3$sstatus="201"}'
                        values: '0+40x20'
                    alert_rule_test:
                      - eval_time: 12m
                        alertname: RedemptionErrorsClimbing
                %5$s
                """.formatted(PROMETHEUS.resolve("alerts.yml").toAbsolutePath(), wallet, calls,
                firing.stripTrailing(), quiet.stripTrailing()), StandardCharsets.UTF_8);

        ToolRun result = promtool("test", "rules", tests.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    /**
     * The notification alert at work: one notification FAILED fires it at once (and it ends ten
     * minutes later); notifications sent, logged or retried do not.
     */
    @Test
    void notificationsFailingFiresOnAFailedNotificationAndNotOnRetries(@TempDir Path folder) throws Exception {
        String worker = "job=\"issuance-worker\", application=\"issuance-worker\", instance=\"worker:8082\"";
        Path tests = folder.resolve("notification-alert-test.yml");
        Files.writeString(tests, """
                rule_files:
                  - %s
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'rushcoupon_notifications_total{%2$s, outcome="sent"}'
                        values: '0+3x30'
                      - series: 'rushcoupon_notifications_total{%2$s, outcome="retried"}'
                        values: '0+5x30'
                      - series: 'rushcoupon_notifications_total{%2$s, outcome="failed"}'
                        values: '0x5 1x25'
                    alert_rule_test:
                      - eval_time: 4m
                        alertname: NotificationsFailing
                        exp_alerts: []
                      - eval_time: 7m
                        alertname: NotificationsFailing
                        exp_alerts:
                          - exp_labels: {severity: warning}
                            exp_annotations:
                              summary: %3$s
                              description: %4$s
                              runbook_url: %5$s
                      - eval_time: 25m
                        alertname: NotificationsFailing
                        exp_alerts: []
                """.formatted(PROMETHEUS.resolve("alerts.yml").toAbsolutePath(), worker,
                JSON.writeValueAsString(annotation("NotificationsFailing", "summary")),
                JSON.writeValueAsString(annotation("NotificationsFailing", "description")),
                annotation("NotificationsFailing", "runbook_url")), StandardCharsets.UTF_8);

        ToolRun result = promtool("test", "rules", tests.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    /**
     * Whoever an alert reaches can read what to do: every rule names its section of
     * docs/operations.md, and that section exists (headings as GitHub anchors them).
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyAlertRuleHasARunbookSectionInOperationsMd() throws IOException {
        Set<String> anchors = Anchors.of(Files.readString(HostTools.projectRoot().resolve("docs/operations.md")));
        Map<String, String> problems = new TreeMap<>();
        List<Map<String, Object>> rules = ((List<Map<String, Object>>) yaml("alerts.yml").get("groups")).stream()
                .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream()).toList();
        for (Map<String, Object> rule : rules) {
            Object url = ((Map<String, Object>) rule.get("annotations")).get("runbook_url");
            Matcher runbook = Pattern.compile("docs/operations\\.md#([a-z0-9_-]+)").matcher(String.valueOf(url));
            if (!runbook.matches()) {
                problems.put((String) rule.get("alert"), "runbook_url " + url + " is not docs/operations.md#<anchor>");
            } else if (!anchors.contains(runbook.group(1))) {
                problems.put((String) rule.get("alert"), "docs/operations.md has no section #" + runbook.group(1));
            }
        }
        assertThat(rules).hasSizeGreaterThan(10);
        assertThat(problems).isEmpty();
    }

    /** Guards the test above: anchors are GitHub's, and a missing one is not found. */
    @Test
    void anchorsAreTheHeadingsAsGitHubLinksThem() {
        Set<String> anchors = Anchors.of("""
                # Operating RushCoupon
                ## Alerts to Discord (Alertmanager)
                ### `IssueApiErrorRateHigh`
                ```bash
                # a comment in code, not a heading
                ```
                """);

        assertThat(anchors).containsExactlyInAnyOrder("operating-rushcoupon", "alerts-to-discord-alertmanager",
                "issueapierrorratehigh");
    }

    /** A job added to prometheus.yml (the wallet's) is watched by ServiceDown too, by its application label. */
    @Test
    void serviceDownWatchesEveryApplicationPrometheusScrapes() throws Exception {
        Collection<String> applications = ScrapedApplications.byJob(PROMETHEUS.resolve("prometheus.yml")).values();
        Matcher watched = Pattern.compile("^up\\{application=~\"([^\"]+)\"} == 0$")
                .matcher(((String) rule("ServiceDown").get("expr")).strip());

        assertThat(watched.matches()).as("ServiceDown is up{application=~\"…\"} == 0").isTrue();
        assertThat(List.of(watched.group(1).split("\\|"))).containsExactlyInAnyOrderElementsOf(applications)
                .contains("wallet-service");
    }

    /**
     * Each scrape job labels its targets with the application name the service's metrics carry
     * (spring.application.name, the application tag), so up{application=…} and the metrics agree.
     */
    @Test
    void everyScrapedApplicationIsAServicesApplicationName() {
        List<String> names = Stream.of("gateway-api", "issuance-worker", "admin-service", "wallet-service")
                .map(module -> (String) Yamls.at(Yamls.loadMap(HostTools.projectRoot()
                        .resolve(module).resolve("src/main/resources/application.yml")), "spring", "application", "name"))
                .toList();

        assertThat(ScrapedApplications.byJob(PROMETHEUS.resolve("prometheus.yml")).values())
                .containsExactlyInAnyOrderElementsOf(names);
    }

    /** No alert selects, groups or describes by job: under ServiceMonitors jobs are named after Services. */
    @Test
    @SuppressWarnings("unchecked")
    void noAlertSelectsOrGroupsByJob() throws Exception {
        List<String> byJob = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) yaml("alerts.yml").get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                String text = rule.get("expr") + " " + rule.get("annotations");
                if (MentionsJob.in(text)) {
                    byJob.add(rule.get("alert") + ": " + text);
                }
            }
        }
        assertThat(byJob).isEmpty();
    }

    /** Guards the two checks above: promtool really parses PromQL and says so in its exit code. */
    @Test
    void refusesARuleWhoseExpressionIsNotPromQl(@TempDir Path folder) throws Exception {
        Path broken = folder.resolve("broken.yml");
        Files.writeString(broken, """
                groups:
                  - name: broken
                    rules:
                      - alert: Broken
                        expr: sum(rate(rushcoupon_issue_requests_total[1m]) > 
                """, StandardCharsets.UTF_8);

        ToolRun result = promtool("check", "rules", broken.toString());

        assertThat(result.exitCode()).as(result.output()).isNotZero();
    }

    /** An annotation of an alert rule as alerts.yml has it. */
    @SuppressWarnings("unchecked")
    private static String annotation(String alert, String name) throws IOException {
        return (String) ((Map<String, Object>) rule(alert).get("annotations")).get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> rule(String alert) throws IOException {
        return ((List<Map<String, Object>>) yaml("alerts.yml").get("groups")).stream()
                .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream())
                .filter(rule -> alert.equals(rule.get("alert"))).findFirst()
                .orElseThrow(() -> new AssertionError("alerts.yml has no rule " + alert));
    }

    private static Map<String, Object> yaml(String file) throws IOException {
        try (Reader reader = Files.newBufferedReader(PROMETHEUS.resolve(file))) {
            return new Yaml().load(reader);
        }
    }

    private static ToolRun promtool(String... arguments) throws IOException, InterruptedException {
        return ToolRun.of("promtool", arguments);
    }
}
