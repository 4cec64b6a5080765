package io.rushcoupon.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        Result result = promtool("check", "config", PROMETHEUS.resolve("prometheus.yml").toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("1 rule files found");
    }

    @Test
    void acceptsTheAlertRules() throws Exception {
        Result result = promtool("check", "rules", PROMETHEUS.resolve("alerts.yml").toString());

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
        String wallet = "job=\"wallet-service\", instance=\"wallet:8084\"";
        String calls = "http_server_requests_seconds_count{" + wallet + ", uri=\"/api/v1/me/coupons\", ";
        String firing = """
                        exp_alerts:
                          - exp_labels: {severity: critical}
                            exp_annotations:
                              summary: "10%% of redemptions or wallet calls fail"
                              description: %s
                """.formatted(JSON.writeValueAsString(annotation("RedemptionErrorsClimbing", "description")));
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

        Result result = promtool("test", "rules", tests.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    /** A job added to prometheus.yml (the wallet's) is watched by ServiceDown too. */
    @Test
    @SuppressWarnings("unchecked")
    void serviceDownWatchesEveryJobPrometheusScrapes() throws Exception {
        List<String> jobs = ((List<Map<String, Object>>) yaml("prometheus.yml").get("scrape_configs")).stream()
                .map(job -> (String) job.get("job_name")).toList();
        Matcher watched = Pattern.compile("^up\\{job=~\"([^\"]+)\"} == 0$").matcher(((String) rule("ServiceDown").get("expr")).strip());

        assertThat(watched.matches()).as("ServiceDown is up{job=~\"…\"} == 0").isTrue();
        assertThat(List.of(watched.group(1).split("\\|"))).containsExactlyInAnyOrderElementsOf(jobs).contains("wallet-service");
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

        Result result = promtool("check", "rules", broken.toString());

        assertThat(result.exitCode()).as(result.output()).isNotZero();
    }

    private record Result(int exitCode, String output) {
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

    private static Result promtool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(HostTools.require("promtool").toString());
        command.addAll(List.of(arguments));
        // output to a file, so reading it can never block on a tool that hangs
        Path log = Files.createTempFile("promtool", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            // promtool answers in well under a second; the bound only keeps a hung tool from hanging the build
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("promtool " + String.join(" ", arguments) + " did not finish in 60 s");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println("promtool " + String.join(" ", arguments) + " → " + process.exitValue() + "\n" + output);
            return new Result(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
