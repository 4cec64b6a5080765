package io.rushcoupon.gateway.support;

import org.junit.jupiter.api.BeforeEach;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.testsupport.RealServerTest;

/**
 * The gateway on a real port against real Redis and Kafka: each test starts from an empty Redis
 * database of this module and an existing issue topic.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@RealServerTest
public abstract class GatewayIntegrationTest {

    @LocalServerPort
    protected int port;

    @Autowired
    protected CouponRedis couponRedis;

    @Autowired
    protected RedissonClient redisson;

    protected GatewayClient gateway;

    @BeforeEach
    void startFromEmptyRedis() {
        redisson.getKeys().flushdb();
        // as the worker's reconciler would after its first round
        couponRedis.markStateLoaded(couponRedis.startStateRound(), java.time.Instant.now());
        IssueRequestedTopic.create();
        gateway = new GatewayClient(port);
    }
}
