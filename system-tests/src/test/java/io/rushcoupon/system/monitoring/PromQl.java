package io.rushcoupon.system.monitoring;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough PromQL text handling to check the dashboard's and the alerts' queries. */
final class PromQl {

    private static final Pattern RANGE = Pattern.compile("\\[[^\\]\"]*\\]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    /**
     * A name not glued to a number, a dot or a variable sign, with its label matchers if any (quoted
     * values may hold braces, e.g. a URI template), and not called like a function.
     */
    private static final Pattern SELECTOR = Pattern.compile(
            "(?<![\\w.:$])([a-zA-Z_:][a-zA-Z0-9_:]*+)\\s*(\\{(?:[^}\"]|\"(?:[^\"\\\\]|\\\\.)*\")*})?(?!\\s*\\()");
    private static final Pattern JOB_MATCHER = Pattern.compile("\\bjob\\s*(=~|!=|!~|=)\\s*\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern NAMED_JOBS = Pattern.compile("job\\s*(=|=~)\\s*\"([\\w-]+(?:\\|[\\w-]+)*)\"");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+}?");

    private PromQl() {
    }

    /** A metric an expression selects, and the job matcher it selects it with (empty when none). */
    record Selector(String metric, String jobMatcher) {

        /** A query with one series per job whose targets expose the metric, among those the matcher selects. */
        String existenceQuery() {
            return "count by (job) (" + metric + (jobMatcher.isEmpty() ? "" : "{" + jobMatcher + "}") + ")";
        }

        /**
         * The jobs the matcher names: one for {@code job="x"}, each alternative for
         * {@code job=~"x|y"}; empty when it names none plainly (no matcher, a negation, a pattern).
         */
        Set<String> namedJobs() {
            Matcher named = NAMED_JOBS.matcher(jobMatcher);
            if (!named.matches()) {
                return Set.of();
            }
            return new TreeSet<>(List.of(named.group(2).split("\\|")));
        }
    }

    /** The metric selectors of an expression, in order, e.g. {@code rushcoupon_issuances_total{job="issuance-worker"}}. */
    static Set<Selector> selectors(String expression) {
        String text = RANGE.matcher(expression).replaceAll(" ");
        text = GROUPING.matcher(text).replaceAll(" ");
        Set<Selector> selectors = new LinkedHashSet<>();
        Matcher selector = SELECTOR.matcher(text);
        while (selector.find()) {
            String name = selector.group(1);
            if (KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            String job = "";
            if (selector.group(2) != null) {
                Matcher matcher = JOB_MATCHER.matcher(selector.group(2));
                job = matcher.find() ? matcher.group() : "";
            }
            selectors.add(new Selector(name, job));
        }
        return selectors;
    }

    /** The metric names an expression selects, e.g. {@code http_server_requests_seconds_bucket}. */
    static Set<String> metricNames(String expression) {
        Set<String> names = new TreeSet<>();
        selectors(expression).forEach(selector -> names.add(selector.metric()));
        return names;
    }

    /**
     * A Grafana panel query as Prometheus can run it: Grafana's interval variables replaced by
     * {@code window}; any other variable is a mistake the caller should see, so it is refused.
     */
    static String withGrafanaVariables(String expression, String window) {
        String text = expression.replace("${__rate_interval}", window).replace("$__rate_interval", window)
                .replace("${__interval}", window).replace("$__interval", window)
                .replace("${__range}", window).replace("$__range", window);
        // Grafana replaces variables inside label values too, so strings are not skipped here
        Matcher left = VARIABLE.matcher(text);
        if (left.find()) {
            throw new IllegalArgumentException("unknown Grafana variable " + left.group() + " in " + expression);
        }
        return text;
    }
}
