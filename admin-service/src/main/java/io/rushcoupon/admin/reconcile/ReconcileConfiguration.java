package io.rushcoupon.admin.reconcile;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.restore.CouponStateRestorer;

/** The restorer the reconcile endpoint shares with the worker's reconciler. */
@Configuration(proxyBeanMethods = false)
class ReconcileConfiguration {

    @Bean
    CouponStateRestorer couponStateRestorer(DataSource dataSource, CouponRedis couponRedis,
            IssueRequestProperties issue) {
        return new CouponStateRestorer(dataSource, couponRedis, issue.requestTtl());
    }
}
