package io.rushcoupon.admin.reconcile;

import javax.sql.DataSource;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.rushcoupon.common.issue.IssueRequestSettings;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.restore.CouponStateRestorer;

/** The restorer the reconcile endpoint shares with the worker's reconciler. */
@Configuration(proxyBeanMethods = false)
class ReconcileConfiguration {

    /** {@code rushcoupon.issue.*}: how long the statuses a restore writes back live (checked in the record). */
    @Bean
    IssueRequestSettings issueRequestSettings(Environment environment) {
        return Binder.get(environment).bindOrCreate(IssueRequestSettings.PREFIX, IssueRequestSettings.class);
    }

    @Bean
    CouponStateRestorer couponStateRestorer(DataSource dataSource, CouponRedis couponRedis,
            IssueRequestSettings issue) {
        return new CouponStateRestorer(dataSource, couponRedis, issue.requestTtl());
    }
}
