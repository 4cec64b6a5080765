package io.rushcoupon.testsupport;

import java.util.Set;
import java.util.TreeSet;

/** Reading a Prometheus text scrape in tests. */
public final class ScrapeNames {

    private ScrapeNames() {
    }

    /** The metric names of a Prometheus text scrape (sample lines only). */
    public static Set<String> metricNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = line.indexOf('{');
            names.add(line.substring(0, end >= 0 ? end : line.indexOf(' ')));
        }
        return names;
    }
}
