package io.rushcoupon.system.nginx;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.localstack.bench.PrometheusScrape;
import io.rushcoupon.localstack.nginx.Nginx;
import io.rushcoupon.localstack.nginx.NginxSite;
import io.rushcoupon.localstack.process.ServiceProcess;
import io.rushcoupon.localstack.servers.Endpoints;
import io.rushcoupon.localstack.stack.LocalStack;
import io.rushcoupon.localstack.stack.ServiceEnvironment;
import io.rushcoupon.system.Stacks;
import io.rushcoupon.testsupport.FreePorts;
import io.rushcoupon.testsupport.HostTools;
import io.rushcoupon.testsupport.KraftBroker;
import io.rushcoupon.testsupport.RealServers;
import io.rushcoupon.testsupport.TestTokens;

/**
 * Two gateways and a worker from their production jars behind a real nginx with the rules of
 * infra/nginx, started the way {@code ./rushcoupon up --gateways 2} starts it. It keeps out of the
 * other system tests' way: schema {@code it_system_tests_nginx} (recreated empty), Redis database
 * 12 (flushed; system-tests' own is 4), and a KRaft broker of its own. The reconciler runs every
 * second and re-sends requests pending for 5 s, so what a killed gateway left pending is settled
 * within a test's patience. The admin service is not run: its upstream stands for one that is down.
 */
final class NginxStack implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(150);
    private static final Path PROJECT_ROOT = Path.of("..");
    private static final Path LOGS = Path.of("target", "system-logs", "nginx");
    private static final int REDIS_DATABASE = 12;

    private final RealServers servers = RealServers.get();
    private final String schema = servers.schema() + "_nginx";
    private final KraftBroker kafka;
    private final LocalStack.Redis redis;
    private final CouponRedis couponRedis;
    private final JdbcClient db;
    private final List<ServiceProcess> gateways = new ArrayList<>();
    private ServiceProcess worker;
    private Nginx nginx;

    private NginxStack(int gatewayCount, Map<String, String> gatewaySettings, Map<String, String> workerSettings)
            throws Exception {
        Stacks.recreateSchema(servers, schema);
        String schemaUrl = servers.jdbcUrl() + (servers.jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema;
        // child processes outlive a JVM that ends without closing the stack (a killed fork)
        Runtime.getRuntime().addShutdownHook(new Thread(this::killAll, "nginx-stack-stop"));
        // whatever started before a later part failed is closed again (close() skips the rest)
        try {
            this.redis = new LocalStack.Redis(servers.redisHost(), servers.redisPort(), REDIS_DATABASE);
            redis.client().getKeys().flushdb();
            this.couponRedis = new CouponRedis(redis.client());
            this.db = JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(), schemaUrl,
                    servers.jdbcUser(), servers.jdbcPassword()));
            this.kafka = KraftBroker.start(8, Map.of());

            Endpoints endpoints = new Endpoints(schemaUrl, servers.jdbcUser(), servers.jdbcPassword(), "test servers",
                    servers.redisHost(), servers.redisPort(), REDIS_DATABASE, "test servers");
            Map<String, String> shared = ServiceEnvironment.of(endpoints, kafka.bootstrapServers(), TestTokens.SECRET);
            // Flyway would otherwise migrate the schema first on the search path, not this one
            shared.put("SPRING_FLYWAY_SCHEMAS", schema);
            shared.put("SPRING_FLYWAY_DEFAULT_SCHEMA", schema);

            Map<String, String> workerEnvironment = new HashMap<>(shared);
            workerEnvironment.putAll(Map.of("RUSHCOUPON_WORKER_PARTITIONS", "8", "RUSHCOUPON_WORKER_CONCURRENCY", "2",
                    "RUSHCOUPON_WORKER_RECONCILER_INTERVAL", "1s", "RUSHCOUPON_WORKER_RECONCILER_PENDING_THRESHOLD", "5s"));
            workerEnvironment.putAll(workerSettings);
            this.worker = ServiceProcess.start(PROJECT_ROOT, LOGS,
                    new ServiceProcess.Spec("issuance-worker", "worker", FreePorts.free(), workerEnvironment));
            Map<String, String> gatewayEnvironment = new HashMap<>(shared);
            gatewayEnvironment.putAll(gatewaySettings);
            for (int i = 1; i <= gatewayCount; i++) {
                gateways.add(ServiceProcess.start(PROJECT_ROOT, LOGS,
                        new ServiceProcess.Spec("gateway-api", "gateway-" + i, FreePorts.free(), gatewayEnvironment)));
            }
            worker.awaitReady(STARTUP);
            for (ServiceProcess gateway : gateways) {
                gateway.awaitReady(STARTUP);
            }
            this.nginx = Nginx.start(HostTools.require("nginx"), PROJECT_ROOT, LOGS.resolve("prefix"),
                    NginxSite.local(FreePorts.free(), gateways.stream().map(ServiceProcess::port).toList(),
                            FreePorts.closed()),
                    LOGS.resolve("nginx.log"));
            nginx.awaitReady(Duration.ofSeconds(30));
        } catch (Exception | Error e) {
            Stacks.closeAfterFailedStart(this, e);
            throw e;
        }
    }

    static NginxStack start(int gateways, Map<String, String> gatewaySettings, Map<String, String> workerSettings)
            throws Exception {
        return new NginxStack(gateways, gatewaySettings, workerSettings);
    }

    /** A coupon open for the next hour, as an admin would publish it: row first, then Redis. */
    long openCoupon(String code, int units) {
        return Stacks.openCoupon(db, couponRedis, code, "Rush " + code, units);
    }

    /** Issue requests a gateway has answered so far, every outcome together, from its own actuator. */
    long issueRequestsAnswered(ServiceProcess gateway) throws Exception {
        return Math.round(PrometheusScrape.of(gateway.baseUrl())
                .sum(MetricNames.ISSUE_REQUESTS.replace('.', '_') + "_total", Map.of()));
    }

    String nginxUrl() {
        return nginx.baseUrl();
    }

    List<ServiceProcess> gateways() {
        return List.copyOf(gateways);
    }

    JdbcClient db() {
        return db;
    }

    CouponRedis couponRedis() {
        return couponRedis;
    }

    private void killAll() {
        List<ServiceProcess> services = new ArrayList<>(gateways);
        services.add(worker);
        Stacks.killAll(services);
        try {
            if (nginx != null) {
                nginx.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<AutoCloseable> parts = new ArrayList<>();
        parts.add(nginx);
        parts.addAll(gateways);
        parts.addAll(Arrays.asList(worker, kafka, redis));
        Stacks.closeAll(parts);
    }
}
