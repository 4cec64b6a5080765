package io.rushcoupon.system.nginx;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.CouponSnapshot;
import io.rushcoupon.localstack.nginx.Nginx;
import io.rushcoupon.localstack.nginx.NginxSite;
import io.rushcoupon.localstack.process.ServiceProcess;
import io.rushcoupon.localstack.servers.Endpoints;
import io.rushcoupon.localstack.stack.LocalStack;
import io.rushcoupon.localstack.stack.ServiceEnvironment;
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
    private static final Pattern SAMPLE = Pattern.compile(
            "^" + MetricNames.ISSUE_REQUESTS.replace('.', '_') + "_total(\\{[^}]*})?\\s+(\\S+)$", Pattern.MULTILINE);

    private final RealServers servers = RealServers.get();
    private final String schema = servers.schema() + "_nginx";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final KraftBroker kafka;
    private final LocalStack.Redis redis;
    private final CouponRedis couponRedis;
    private final JdbcClient db;
    private final List<ServiceProcess> gateways = new ArrayList<>();
    private ServiceProcess worker;
    private Nginx nginx;

    private NginxStack(int gatewayCount, Map<String, String> gatewaySettings, Map<String, String> workerSettings)
            throws Exception {
        recreateSchema();
        String schemaUrl = servers.jdbcUrl() + (servers.jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema;
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

        // child processes outlive a JVM that ends without closing the stack (a killed fork)
        Runtime.getRuntime().addShutdownHook(new Thread(this::killAll, "nginx-stack-stop"));
        try {
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
            close();
            throw e;
        }
    }

    static NginxStack start(int gateways, Map<String, String> gatewaySettings, Map<String, String> workerSettings)
            throws Exception {
        return new NginxStack(gateways, gatewaySettings, workerSettings);
    }

    private void recreateSchema() throws SQLException {
        try (var connection = DriverManager.getConnection(servers.jdbcUrl(), servers.jdbcUser(), servers.jdbcPassword());
                var statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            statement.execute("CREATE SCHEMA " + schema);
        }
    }

    /** A coupon open for the next hour, as an admin would publish it: row first, then Redis. */
    long openCoupon(String code, int units) {
        Instant startsAt = Instant.now().minusSeconds(60);
        Instant endsAt = Instant.now().plusSeconds(3600);
        long id = db.sql("""
                INSERT INTO coupon (code, name, type, discount_value, total_quantity, remaining_quantity, state,
                                    issue_starts_at, issue_ends_at, valid_days)
                VALUES (:code, :name, 'FIXED_AMOUNT', 1000, :units, :units, 'ACTIVE', :startsAt, :endsAt, 30)
                RETURNING id""")
                .param("code", code).param("name", "Rush " + code).param("units", units)
                .param("startsAt", Timestamp.from(startsAt)).param("endsAt", Timestamp.from(endsAt))
                .query(Long.class).single();
        couponRedis.publish(new CouponSnapshot(id, "Rush " + code, CouponState.ACTIVE, startsAt, endsAt, units, units));
        return id;
    }

    /** Issue requests a gateway has answered so far, every outcome together, from its own actuator. */
    long issueRequestsAnswered(ServiceProcess gateway) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(10)).build();
        String text = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        Matcher sample = SAMPLE.matcher(text);
        while (sample.find()) {
            sum += Double.parseDouble(sample.group(2));
        }
        return Math.round(sum);
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
        for (ServiceProcess service : services) {
            try {
                if (service != null) {
                    service.kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
        try {
            if (nginx != null) {
                nginx.close();
            }
            for (ServiceProcess gateway : gateways) {
                gateway.close();
            }
            if (worker != null) {
                worker.close();
            }
        } finally {
            kafka.close();
            redis.close();
        }
    }
}
