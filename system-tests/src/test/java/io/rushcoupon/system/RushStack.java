package io.rushcoupon.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.redisson.api.RedissonClient;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import io.rushcoupon.testsupport.FreePorts;
import io.rushcoupon.localstack.process.ServiceProcess;
import io.rushcoupon.localstack.servers.Endpoints;
import io.rushcoupon.localstack.stack.LocalStack;
import io.rushcoupon.localstack.stack.ServiceEnvironment;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.testsupport.RealServers;
import io.rushcoupon.testsupport.TestTokens;

/**
 * Gateway and worker, each from its production jar, against the real servers of
 * {@link RealServers}: PostgreSQL schema {@code it_system_tests} (recreated empty), this module's
 * Redis database (flushed) and the in-process KRaft broker. Admin-service too when a test asks
 * for it ({@link #startWithAdmin}). Public for the tests in subpackages (e.g. monitoring).
 */
public final class RushStack implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final Path PROJECT_ROOT = Path.of("..");
    private static final Path LOGS = Path.of("target", "system-logs");

    private final RealServers servers = RealServers.get();
    private final JdbcClient db;
    private final LocalStack.Redis redis;
    private final RedissonClient redisson;
    private final CouponRedis couponRedis;
    private final ServiceProcess worker;
    private final ServiceProcess gateway;
    /** Null unless started with {@link #startWithAdmin}. */
    private final ServiceProcess admin;

    private RushStack(Map<String, String> gatewaySettings, Map<String, String> workerSettings,
            Map<String, String> adminSettings) throws Exception {
        if (adminSettings != null) {
            // fails before anything runs when the jar is missing, rather than after two services started
            ServiceProcess.executableJar(PROJECT_ROOT, "admin-service");
        }
        Stacks.recreateSchema(servers, servers.schema());
        // whatever started before a later part failed is closed again (close() skips the rest)
        try {
            this.redis = new LocalStack.Redis(servers.redisHost(), servers.redisPort(), servers.redisDatabase());
            this.redisson = redis.client();
            redisson.getKeys().flushdb();
            this.couponRedis = new CouponRedis(redisson);
            SimpleDriverDataSource dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(),
                    servers.schemaJdbcUrl(), servers.jdbcUser(), servers.jdbcPassword());
            this.db = JdbcClient.create(dataSource);

            Map<String, String> shared = sharedEnvironment();
            Map<String, String> workerEnvironment = new HashMap<>(shared);
            workerEnvironment.putAll(workerSettings);
            Map<String, String> gatewayEnvironment = new HashMap<>(shared);
            gatewayEnvironment.putAll(gatewaySettings);
            this.worker = ServiceProcess.start(PROJECT_ROOT, LOGS,
                    new ServiceProcess.Spec("issuance-worker", "worker", FreePorts.free(), workerEnvironment));
            this.gateway = ServiceProcess.start(PROJECT_ROOT, LOGS,
                    new ServiceProcess.Spec("gateway-api", "gateway", FreePorts.free(), gatewayEnvironment));
            if (adminSettings != null) {
                Map<String, String> adminEnvironment = new HashMap<>(shared);
                adminEnvironment.putAll(adminSettings);
                this.admin = ServiceProcess.start(PROJECT_ROOT, LOGS,
                        new ServiceProcess.Spec("admin-service", "admin", FreePorts.free(), adminEnvironment));
            } else {
                this.admin = null;
            }
            worker.awaitReady(STARTUP);
            gateway.awaitReady(STARTUP);
            if (admin != null) {
                admin.awaitReady(STARTUP);
            }
        } catch (Exception | Error e) {
            Stacks.closeAfterFailedStart(this, e);
            throw e;
        }
    }

    public static RushStack start(Map<String, String> gatewaySettings, Map<String, String> workerSettings)
            throws Exception {
        return new RushStack(gatewaySettings, workerSettings, null);
    }

    /** As {@link #start}, plus admin-service from its jar on the same schema and Redis database. */
    public static RushStack startWithAdmin(Map<String, String> gatewaySettings, Map<String, String> workerSettings,
            Map<String, String> adminSettings) throws Exception {
        return new RushStack(gatewaySettings, workerSettings, Map.copyOf(adminSettings));
    }

    private Map<String, String> sharedEnvironment() {
        Endpoints endpoints = new Endpoints(servers.schemaJdbcUrl(), servers.jdbcUser(), servers.jdbcPassword(),
                "test servers", servers.redisHost(), servers.redisPort(), servers.redisDatabase(), "test servers");
        Map<String, String> environment = ServiceEnvironment.of(endpoints, servers.kafkaBootstrapServers(),
                TestTokens.SECRET);
        // Flyway would otherwise migrate the schema first on the search path, not this module's
        environment.put("SPRING_FLYWAY_SCHEMAS", servers.schema());
        environment.put("SPRING_FLYWAY_DEFAULT_SCHEMA", servers.schema());
        return environment;
    }

    /** A coupon open for the next hour, as an admin would publish it: row first, then Redis. */
    public long openCoupon(String code, int units) {
        return Stacks.openCoupon(db, couponRedis, code, "Rush " + code, units);
    }

    public JdbcClient db() {
        return db;
    }

    public CouponRedis couponRedis() {
        return couponRedis;
    }

    RedissonClient redisson() {
        return redisson;
    }

    public ServiceProcess gateway() {
        return gateway;
    }

    public ServiceProcess worker() {
        return worker;
    }

    /** Admin-service, when started with {@link #startWithAdmin}. */
    public Optional<ServiceProcess> admin() {
        return Optional.ofNullable(admin);
    }

    @Override
    public void close() throws InterruptedException {
        Stacks.closeAll(gateway, admin, worker, redis);
    }
}
