package io.rushcoupon.worker.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

import com.zaxxer.hikari.HikariDataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.harness.proxy.TcpProxy;
import io.rushcoupon.testsupport.RealServerTest;
import io.rushcoupon.testsupport.RealServers;
import io.rushcoupon.worker.WorkerFixture;

/**
 * The worker reaches PostgreSQL and Redis through proxies the test cuts: the shared servers keep
 * running for everybody else (the test itself talks to them directly) while this worker sees them
 * go down and come back.
 */
@SpringBootTest(properties = {
        "rushcoupon.worker.reconciler.interval=300ms",
        "rushcoupon.worker.reconciler.pending-threshold=1s"})
@RealServerTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DependencyOutageIntegrationTest {

    private static final String GROUP = "rushcoupon-issuance-worker";

    @Autowired
    @Qualifier("postgresProxy")
    TcpProxy postgres;

    @Autowired
    @Qualifier("redisProxy")
    TcpProxy redis;

    @Autowired
    MeterRegistry meters;

    RedissonClient directRedis;

    WorkerFixture fixture;

    @BeforeEach
    void cleanServers() {
        directRedis = Redisson.create(redisConfig(RealServers.get().redisPort()));
        fixture = new WorkerFixture(directRedis);
        fixture.clean();
    }

    @AfterEach
    void restoreServers() {
        postgres.open();
        redis.open();
        fixture.close();
        directRedis.shutdown();
    }

    @Test
    void retriesWhilePostgresIsUnavailableAndResumesWithoutDeadLettering() {
        fixture.openCoupon(201, 10);
        List<IssueRequested> requests = admit(201, 5);

        postgres.cut();
        fixture.send(requests);

        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).untilAsserted(() ->
                assertThat(requests).allSatisfy(request ->
                        assertThat(fixture.request(request).orElseThrow().status()).isEqualTo(IssueStatus.PENDING)));
        assertThat(fixture.rows(201)).isZero();

        postgres.open();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(requests).allSatisfy(request ->
                assertThat(fixture.request(request).orElseThrow().status()).isEqualTo(IssueStatus.ISSUED)));
        assertThat(fixture.rows(201)).isEqualTo(5);
        assertThat(fixture.remaining(201)).isEqualTo(5);
        assertThat(fixture.deadLetters(201, Duration.ofSeconds(1))).isEmpty();
        Counter deadLetters = meters.find(MetricNames.DEAD_LETTERS).counter();
        assertThat(deadLetters == null ? 0 : deadLetters.count()).isZero();
    }

    @Test
    void commitsWhileRedisIsUnavailableAndFinalizesOnceItIsBack() {
        fixture.openCoupon(202, 10);
        List<IssueRequested> requests = admit(202, 3);

        redis.cut();
        fixture.send(requests);

        // PostgreSQL is the record: the batch commits and moves on although Redis cannot be told
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.rows(202) == 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.committedEverything(GROUP));
        assertThat(requests).allSatisfy(request ->
                assertThat(fixture.request(request).orElseThrow().status()).isEqualTo(IssueStatus.PENDING));

        redis.open();

        // the reconciler finds the committed rows of the stale pending requests
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(requests).allSatisfy(request ->
                assertThat(fixture.request(request).orElseThrow().status()).isEqualTo(IssueStatus.ISSUED)));
        assertThat(fixture.couponRedis().pendingCount(202)).isZero();
        assertThat(fixture.rows(202)).isEqualTo(3);
        assertThat(fixture.remaining(202)).isEqualTo(7);
    }

    private List<IssueRequested> admit(long couponId, int users) {
        List<IssueRequested> requests = new ArrayList<>();
        for (long user = 1; user <= users; user++) {
            requests.add(fixture.admit(couponId, user));
        }
        return requests;
    }

    static Config redisConfig(int port) {
        Config config = new Config();
        config.useSingleServer()
                .setAddress("redis://" + RealServers.get().redisHost() + ":" + port)
                .setDatabase(RealServers.get().redisDatabase())
                .setTimeout(1_000)
                .setRetryAttempts(1)
                .setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(8);
        return config;
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class ProxiedServers {

        @Bean(destroyMethod = "close")
        TcpProxy postgresProxy() {
            URI target = URI.create(RealServers.get().jdbcUrl().substring("jdbc:".length()));
            return new TcpProxy(target.getHost(), target.getPort() < 0 ? 5432 : target.getPort());
        }

        @Bean(destroyMethod = "close")
        TcpProxy redisProxy() {
            return new TcpProxy(RealServers.get().redisHost(), RealServers.get().redisPort());
        }

        /** Replaces the auto-configured pool: same database and schema, reached through the proxy. */
        @Bean
        DataSource dataSource(@Qualifier("postgresProxy") TcpProxy postgresProxy) {
            RealServers servers = RealServers.get();
            URI target = URI.create(servers.schemaJdbcUrl().substring("jdbc:".length()));
            HikariDataSource dataSource = new HikariDataSource();
            dataSource.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + postgresProxy.port() + target.getRawPath()
                    + "?" + target.getRawQuery());
            dataSource.setUsername(servers.jdbcUser());
            dataSource.setPassword(servers.jdbcPassword());
            dataSource.setMaximumPoolSize(4);
            dataSource.setConnectionTimeout(1_000);
            dataSource.setValidationTimeout(500);
            return dataSource;
        }

        /** Replaces the starter's client: this module's Redis database, reached through the proxy. */
        @Bean(destroyMethod = "shutdown")
        RedissonClient redisson(@Qualifier("redisProxy") TcpProxy redisProxy) {
            Config config = redisConfig(redisProxy.port());
            config.useSingleServer().setAddress("redis://127.0.0.1:" + redisProxy.port());
            return Redisson.create(config);
        }
    }
}
