package io.rushcoupon.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.harness.host.HostTools;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The project's own meters that alerts and dashboard refer to are the ones {@link MetricNames}
 * declares, in Prometheus form (dots to underscores, plus the suffix Micrometer adds): a renamed
 * meter breaks this test instead of silently emptying a panel or muting an alert.
 */
class MonitoringMetricNamesTest {

    private static final Path ROOT = HostTools.projectRoot();
    private static final Pattern OWN_METRIC = Pattern.compile("\\brushcoupon_[a-z0-9_]+");
    /** What Micrometer's Prometheus naming appends to counters, timers, summaries and gauges with a unit. */
    private static final Pattern SUFFIX = Pattern.compile(
            "(_seconds)?(_total|_bucket|_count|_sum|_max)?$");

    @Test
    void alertRulesReferOnlyToDeclaredMeters() throws IOException {
        List<String> expressions = alertExpressions();
        assertThat(expressions).isNotEmpty();

        assertThat(undeclared(expressions)).isEmpty();
    }

    @Test
    void dashboardPanelsReferOnlyToDeclaredMeters() {
        List<String> expressions = new ArrayList<>();
        JsonNode dashboard = JsonMapper.builder().build()
                .readTree(ROOT.resolve("infra/grafana/dashboards/rushcoupon-live-rush.json").toFile());
        dashboard.path("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> expressions.add(target.path("expr").asString())));
        assertThat(expressions).isNotEmpty();

        assertThat(undeclared(expressions)).isEmpty();
    }

    /** Guards the two tests above: a name MetricNames does not declare is reported. */
    @Test
    void reportsAMeterNameThatMetricNamesDoesNotDeclare() {
        assertThat(undeclared(List.of("sum(rate(rushcoupon_issue_requests_total[1m]))",
                "rate(rushcoupon_lock_wait_seconds_bucket[1m])", "rushcoupon_coupon_remaining",
                "rate(rushcoupon_issues_total[1m])")))
                .containsExactly("rushcoupon_issues_total");
    }

    private static Set<String> undeclared(List<String> expressions) {
        Set<String> declared = declaredMeters();
        Set<String> undeclared = new TreeSet<>();
        for (String expression : expressions) {
            Matcher metric = OWN_METRIC.matcher(expression);
            while (metric.find()) {
                String name = metric.group();
                if (!declared.contains(name) && !declared.contains(SUFFIX.matcher(name).replaceFirst(""))) {
                    undeclared.add(name);
                }
            }
        }
        return undeclared;
    }

    /** MetricNames' meter names as Prometheus spells them; its tag-key constants are not meters. */
    private static Set<String> declaredMeters() {
        Set<String> names = new TreeSet<>();
        for (Field field : MetricNames.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    String value = (String) field.get(null);
                    if (value.startsWith("rushcoupon.")) {
                        names.add(value.replace('.', '_'));
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        assertThat(names).as("meter names in MetricNames").isNotEmpty();
        return names;
    }

    @SuppressWarnings("unchecked")
    private static List<String> alertExpressions() throws IOException {
        try (Reader reader = Files.newBufferedReader(ROOT.resolve("infra/prometheus/alerts.yml"))) {
            Map<String, Object> rules = new Yaml().load(reader);
            List<String> expressions = new ArrayList<>();
            for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    expressions.add((String) rule.get("expr"));
                }
            }
            return expressions;
        }
    }
}
