package io.rushcoupon.admin.reconcile;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The issue-request setting the reconcile endpoint shares with gateway and worker.
 *
 * @param requestTtl how long a restored ISSUED status lives in Redis, as the gateway and worker
 *                   set it for the requests they admit and decide
 */
@ConfigurationProperties("rushcoupon.issue")
record IssueRequestProperties(@DefaultValue("24h") Duration requestTtl) {
}
