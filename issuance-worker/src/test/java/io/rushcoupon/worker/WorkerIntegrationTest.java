package io.rushcoupon.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.testsupport.RealServerTest;

/**
 * The worker against real PostgreSQL, Redis and Kafka; each test starts from clean tables and an
 * empty Redis database through {@link WorkerFixture}. Subclasses add their own
 * {@code @SpringBootTest} with the settings they need.
 */
@RealServerTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class WorkerIntegrationTest {

    @Autowired
    protected RedissonClient redisson;

    @Autowired
    protected MeterRegistry meters;

    protected WorkerFixture fixture;

    @BeforeEach
    void cleanServers() {
        fixture = new WorkerFixture(redisson);
        fixture.clean();
    }

    @AfterEach
    void closeFixture() {
        fixture.close();
    }

    /** A gauge's value now; the gauge must be registered. */
    protected double gauge(String name) {
        Gauge gauge = meters.find(name).gauge();
        assertThat(gauge).as(name).isNotNull();
        return gauge.value();
    }

    /** A counter's count so far, 0 before it first counts. */
    protected double counter(String name) {
        Counter counter = meters.find(name).counter();
        return counter == null ? 0 : counter.count();
    }
}
