package io.rushcoupon.system.fault;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough of Prometheus's text format to add up one metric's samples. */
final class PrometheusText {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private PrometheusText() {
    }

    /** Sum of every sample of {@code name} whose labels include {@code match}; 0 when there is none. */
    static double sum(String text, String name, Map<String, String> match) {
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.find() || !sample.group(1).equals(name)) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            if (match.entrySet().stream().allMatch(entry -> entry.getValue().equals(labels.get(entry.getKey())))) {
                sum += Double.parseDouble(sample.group(4));
            }
        }
        return sum;
    }
}
