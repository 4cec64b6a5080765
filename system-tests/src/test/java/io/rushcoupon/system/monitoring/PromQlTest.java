package io.rushcoupon.system.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

import io.rushcoupon.system.monitoring.PromQl.Selector;

class PromQlTest {

    private static final String EXPRESSION = """
            histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{job="gateway",
              uri="/api/v1/coupons/{couponId}/issue-requests", status=~"5.."}[1m])))
            / ignoring(result) group_left sum(rate(rushcoupon_lock_wait_seconds_count{result!="acquired"}[5m] offset 1m))
            > 0.25 and on (job) up{job=~"gateway|admin-service"} == 1 or vector(0)""";

    @Test
    void findsTheMetricsOfAQuantileOverARatioWithGroupingAndMatchers() {
        assertThat(PromQl.metricNames(EXPRESSION)).containsExactlyInAnyOrder(
                "http_server_requests_seconds_bucket", "rushcoupon_lock_wait_seconds_count", "up");
    }

    @Test
    void keepsEachSelectorsJobMatcherForTheExistenceQuery() {
        assertThat(PromQl.selectors(EXPRESSION)).containsExactly(
                new Selector("http_server_requests_seconds_bucket", "job=\"gateway\""),
                new Selector("rushcoupon_lock_wait_seconds_count", ""),
                new Selector("up", "job=~\"gateway|admin-service\""));
        assertThat(new Selector("up", "job=\"gateway\"").existenceQuery())
                .isEqualTo("count by (job) (up{job=\"gateway\"})");
    }

    @Test
    void namesTheJobsOfPlainMatchersOnly() {
        assertThat(new Selector("up", "job=\"gateway\"").namedJobs()).containsExactly("gateway");
        assertThat(new Selector("up", "job=~\"gateway|issuance-worker\"").namedJobs())
                .containsExactlyInAnyOrder("gateway", "issuance-worker");
        assertThat(new Selector("up", "job=~\"gate.*\"").namedJobs()).isEmpty();
        assertThat(new Selector("up", "job!=\"gateway\"").namedJobs()).isEmpty();
        assertThat(new Selector("up", "").namedJobs()).isEmpty();
    }

    @Test
    void replacesGrafanasIntervalVariablesAndRefusesOthers() {
        assertThat(PromQl.withGrafanaVariables("rate(x[$__rate_interval]) + rate(y[${__interval}])", "5m"))
                .isEqualTo("rate(x[5m]) + rate(y[5m])");
        assertThatIllegalArgumentException().isThrownBy(() -> PromQl.withGrafanaVariables("up{job=\"$job\"}", "5m"));
    }
}
