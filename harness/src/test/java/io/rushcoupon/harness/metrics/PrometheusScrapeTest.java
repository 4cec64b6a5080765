package io.rushcoupon.harness.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PrometheusScrapeTest {

    private static final String ROUTE = "/api/v1/coupons/{couponId}/issue-requests";

    private static PrometheusScrape reading(double le10ms, double le50ms, double le100ms, double inf) {
        return PrometheusScrape.parse("""
                # HELP http_server_requests_seconds  
                # TYPE http_server_requests_seconds histogram
                http_server_requests_seconds_bucket{method="POST",status="202",uri="%1$s",le="0.01"} %2$s
                http_server_requests_seconds_bucket{method="POST",status="202",uri="%1$s",le="0.05"} %3$s
                http_server_requests_seconds_bucket{method="POST",status="202",uri="%1$s",le="0.1"} %4$s
                http_server_requests_seconds_bucket{method="POST",status="202",uri="%1$s",le="+Inf"} %5$s
                http_server_requests_seconds_bucket{method="POST",status="410",uri="%1$s",le="0.01"} 1000.0
                http_server_requests_seconds_bucket{method="POST",status="410",uri="%1$s",le="+Inf"} 1000.0
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E7
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.097152E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.9E7
                """.formatted(ROUTE, le10ms, le50ms, le100ms, inf));
    }

    private static final Map<String, String> ADMITTED = Map.of("uri", ROUTE, "status", "202");

    @Test
    void sumsTheSamplesWhoseLabelsMatch() {
        assertThat(reading(0, 0, 0, 0).sum("jvm_memory_used_bytes", Map.of("area", "heap"))).isEqualTo(3.145728E7);
    }

    @Test
    void interpolatesQuantilesWithinABucketOverTheDifferenceOfTwoReadings() {
        PrometheusScrape before = reading(100, 100, 100, 100);
        // 100 new observations: 50 up to 10 ms, 40 in (10, 50] ms, 10 in (50, 100] ms
        PrometheusScrape after = reading(150, 190, 200, 200);

        Map<Double, Double> quantiles = after.quantiles(before, "http_server_requests_seconds", ADMITTED, 0.5, 0.9, 0.95);

        assertThat(quantiles.get(0.5)).isCloseTo(0.010, within(1e-9));
        assertThat(quantiles.get(0.9)).isCloseTo(0.050, within(1e-9));
        assertThat(quantiles.get(0.95)).isCloseTo(0.075, within(1e-9));
    }

    @Test
    void boundsTheMaximumByTheHighestBucketThatGainedAnObservation() {
        PrometheusScrape before = reading(100, 100, 200, 200);
        PrometheusScrape after = reading(150, 190, 290, 290);

        // the earlier slow observations (50..100 ms before the first reading) do not count
        assertThat(after.maxBound(before, "http_server_requests_seconds", ADMITTED)).isEqualTo(0.05);
    }

    @Test
    void saysNothingWhenNothingWasObserved() {
        PrometheusScrape same = reading(10, 20, 30, 30);

        assertThat(same.quantiles(same, "http_server_requests_seconds", ADMITTED, 0.5)).isEmpty();
        assertThat(same.maxBound(same, "http_server_requests_seconds", ADMITTED)).isZero();
    }
}
