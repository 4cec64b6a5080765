package io.rushcoupon.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.harness.redis.RedisConnection;
import io.rushcoupon.testsupport.RealServers;
import io.rushcoupon.testsupport.RedisSnapshot;

/**
 * PostgreSQL is the wallet's truth: it holds no Redis client, so losing Redis (here: its test
 * database flushed, the rush's keys gone) changes none of its answers.
 */
class WalletAfterRedisLossIntegrationTest extends WalletIntegrationTest {

    private static final List<String> REDIS_CLIENT_PACKAGES = List.of("org.redisson.", "org.springframework.data.redis.",
            "io.lettuce.", "redis.clients.");

    @Autowired
    ApplicationContext context;

    @Test
    void holdsNoRedisClient() {
        List<String> redisBeans = Arrays.stream(context.getBeanDefinitionNames())
                .map(context::getType)
                .filter(Objects::nonNull)
                .map(Class::getName)
                .filter(type -> REDIS_CLIENT_PACKAGES.stream().anyMatch(type::startsWith))
                .toList();

        assertThat(redisBeans).isEmpty();
        assertThat(context.getBeanNamesForType(org.redisson.api.RedissonClient.class)).isEmpty();
    }

    @Test
    void answersTheSameAfterRedisLosesEverything() throws Exception {
        Instant now = Instant.parse("2030-06-01T12:00:00Z");
        walletClock().set(now);
        long coupon = fixedCoupon("LOSS");
        long available = issue(coupon, 51, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
        long redeemed = issue(fixedCoupon("LOSS2"), 51, now.minus(Duration.ofDays(2)), now.plus(Duration.ofDays(1)));
        new WalletRows(jdbc).redeem(redeemed, "12.00", "5.50", now.minusSeconds(60));
        issue(fixedCoupon("LOSS3"), 51, now.minus(Duration.ofDays(3)), now.minusSeconds(1));
        List<String> questions = List.of(ME + "/coupons", ME + "/coupons?status=EXPIRED", ME + "/coupons/" + available,
                ME + "/coupons/" + redeemed, ME + "/coupon-stats");
        List<String> before = answers(questions);

        RealServers servers = RealServers.get();
        try (RedisConnection redis = new RedisConnection(servers.redisHost(), servers.redisPort(),
                servers.redisDatabase())) {
            // what the rush keeps there, as if the wallet depended on it
            redis.client().getBucket(CouponKeys.of(coupon).coupon()).set("rush state");
            redis.client().getKeys().flushdb();
            assertThat(RedisSnapshot.of(redis.client())).isEmpty();
        }

        assertThat(answers(questions)).isEqualTo(before);
    }

    private List<String> answers(List<String> questions) throws Exception {
        List<String> answers = new java.util.ArrayList<>();
        for (String question : questions) {
            answers.add(mvc.perform(as(51, get(question))).andExpect(status().isOk())
                    .andReturn().getResponse().getContentAsString());
        }
        return answers;
    }
}
