package io.rushcoupon.harness.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One reading of a service's {@code /actuator/prometheus}: enough of the text format to take
 * sums and histogram quantiles. Two readings subtract, so a scenario sees only its own requests.
 * Public for the system tests, which read the services' metrics the same way.
 */
public final class PrometheusScrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private PrometheusScrape(List<Sample> samples) {
        this.samples = samples;
    }

    /** Reads {@code baseUrl/actuator/prometheus} now (5 s at most). */
    public static PrometheusScrape of(String baseUrl) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(5)).build();
        return parse(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Reads Prometheus's text format (enough of it: samples with labels, comments skipped). */
    public static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.find()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(4))));
        }
        return new PrometheusScrape(samples);
    }

    /** Sum of every sample of {@code name} whose labels include {@code match}; 0 when there is none. */
    public double sum(String name, Map<String, String> match) {
        return samples.stream().filter(sample -> sample.name().equals(name) && matches(sample, match))
                .mapToDouble(Sample::value).sum();
    }

    /**
     * Quantiles of a histogram between {@code before} and this reading, interpolated within a
     * bucket as Prometheus's histogram_quantile does. Seconds; empty when nothing was observed.
     */
    public Map<Double, Double> quantiles(PrometheusScrape before, String histogram, Map<String, String> match,
            double... quantiles) {
        TreeMap<Double, Double> buckets = buckets(histogram, match);
        TreeMap<Double, Double> earlier = before.buckets(histogram, match);
        buckets.replaceAll((le, count) -> count - earlier.getOrDefault(le, 0.0));
        Map<Double, Double> result = new TreeMap<>();
        double total = buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
        if (total <= 0) {
            return result;
        }
        for (double quantile : quantiles) {
            double rank = quantile * total;
            double lowerBound = 0;
            double lowerCount = 0;
            for (var bucket : buckets.entrySet()) {
                if (bucket.getValue() >= rank) {
                    double upper = bucket.getKey().isInfinite() ? lowerBound : bucket.getKey();
                    double inBucket = bucket.getValue() - lowerCount;
                    double fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
                    result.put(quantile, lowerBound + (upper - lowerBound) * fraction);
                    break;
                }
                lowerBound = bucket.getKey();
                lowerCount = bucket.getValue();
            }
        }
        return result;
    }

    /**
     * The largest observation between {@code before} and this reading, as the upper bound of the
     * highest histogram bucket that gained a count (Micrometer's own max is a decaying window, so
     * it mixes in observations from before {@code before}). Seconds; 0 when nothing was observed.
     */
    public double maxBound(PrometheusScrape before, String histogram, Map<String, String> match) {
        TreeMap<Double, Double> buckets = buckets(histogram, match);
        TreeMap<Double, Double> earlier = before.buckets(histogram, match);
        double total = buckets.isEmpty() ? 0 : buckets.lastEntry().getValue()
                - earlier.getOrDefault(buckets.lastKey(), 0.0);
        for (var bucket : buckets.entrySet()) {
            if (bucket.getValue() - earlier.getOrDefault(bucket.getKey(), 0.0) >= total) {
                return total <= 0 ? 0 : bucket.getKey();
            }
        }
        return 0;
    }

    private TreeMap<Double, Double> buckets(String histogram, Map<String, String> match) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (Sample sample : samples) {
            if (sample.name().equals(histogram + "_bucket") && matches(sample, match)) {
                String le = sample.labels().get("le");
                double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                buckets.merge(bound, sample.value(), Double::sum);
            }
        }
        return buckets;
    }

    private static boolean matches(Sample sample, Map<String, String> match) {
        return match.entrySet().stream().allMatch(entry -> entry.getValue().equals(sample.labels().get(entry.getKey())));
    }
}
