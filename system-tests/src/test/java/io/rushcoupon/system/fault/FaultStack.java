package io.rushcoupon.system.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import io.rushcoupon.common.event.Topics;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.localstack.bench.PrometheusScrape;
import io.rushcoupon.localstack.process.ServiceProcess;
import io.rushcoupon.localstack.servers.Endpoints;
import io.rushcoupon.localstack.stack.LocalStack;
import io.rushcoupon.localstack.stack.ServiceEnvironment;
import io.rushcoupon.system.Stacks;
import io.rushcoupon.testsupport.FreePorts;
import io.rushcoupon.testsupport.KraftBroker;
import io.rushcoupon.testsupport.KraftBroker.ClientListener;
import io.rushcoupon.testsupport.RealServers;
import io.rushcoupon.testsupport.RedisServerProcess;
import io.rushcoupon.testsupport.TcpProxy;
import io.rushcoupon.testsupport.TestTokens;

/**
 * Gateway and worker from their production jars, wired so that every dependency can fail on its
 * own without touching servers other tests share:
 * <ul>
 *   <li>Redis: a {@code redis-server} process of its own on a free port, killed and restarted empty</li>
 *   <li>Kafka: a KRaft broker of its own, stopped and restarted on the same ports and log; the
 *       gateway reaches it through a listener of its own advertised at a {@link TcpProxy}, so the
 *       gateway's Kafka connection can be cut while the worker keeps its own</li>
 *   <li>PostgreSQL: the test server, schema {@code it_system_tests_fault} (recreated empty); the
 *       workers reach it through a {@link TcpProxy}, the checker directly</li>
 * </ul>
 * The reconciler runs every second and re-sends requests pending for 5 s, and the worker's consumer
 * session times out after 10 s, so recoveries that rely on them finish within a test's patience.
 */
final class FaultStack implements AutoCloseable {

    static final String WORKER_GROUP = "rushcoupon-issuance-worker";
    static final String GATEWAY_LISTENER = "GATEWAY";

    private static final Duration STARTUP = Duration.ofSeconds(150);
    private static final Path PROJECT_ROOT = Path.of("..");
    private static final Path LOGS = Path.of("target", "system-logs", "fault");
    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/([^?]+)(\\?.*)?");

    private final RealServers servers = RealServers.get();
    private final String schema = servers.schema() + "_fault";
    private final RedisServerProcess redis;
    private final TcpProxy gatewayKafka;
    private final KraftBroker kafka;
    private final TcpProxy workerDatabase;
    private final JdbcClient db;
    private final LocalStack.Redis redisClient;
    private final CouponRedis couponRedis;
    private final Map<String, String> workerEnvironment;
    private final Map<String, String> gatewayEnvironment;
    private final int workerPort = FreePorts.free();
    private final int gatewayPort = FreePorts.free();
    private final List<ServiceProcess> extras = new CopyOnWriteArrayList<>();
    private ServiceProcess worker;
    private ServiceProcess gateway;

    private FaultStack() throws Exception {
        Stacks.recreateSchema(servers, schema);
        // child processes (redis-server, the services) outlive a JVM that ends without closing the stack (a killed fork)
        Runtime.getRuntime().addShutdownHook(new Thread(this::killAll, "fault-stack-stop"));
        // whatever started before a later part failed is closed again (close() skips the rest)
        try {
            this.redis = RedisServerProcess.start(LOGS.resolve("redis.log"));
            int gatewayListenerPort = FreePorts.free();
            this.gatewayKafka = new TcpProxy("127.0.0.1", gatewayListenerPort);
            this.kafka = KraftBroker.start(4, Map.of(), List.of(
                    new ClientListener(GATEWAY_LISTENER, gatewayListenerPort, "127.0.0.1:" + gatewayKafka.port())));
            Matcher jdbc = JDBC.matcher(servers.jdbcUrl());
            if (!jdbc.matches()) {
                throw new IllegalStateException("cannot put a proxy in front of " + servers.jdbcUrl());
            }
            this.workerDatabase = new TcpProxy(jdbc.group(1),
                    jdbc.group(2) == null ? 5432 : Integer.parseInt(jdbc.group(2)));
            String proxiedUrl = "jdbc:postgresql://127.0.0.1:" + workerDatabase.port() + "/" + jdbc.group(3)
                    + "?currentSchema=" + schema;
            String directUrl = "jdbc:postgresql://" + jdbc.group(1) + ":" + (jdbc.group(2) == null ? "5432" : jdbc.group(2))
                    + "/" + jdbc.group(3) + "?currentSchema=" + schema;

            this.redisClient = new LocalStack.Redis(redis.host(), redis.port(), 0);
            this.couponRedis = new CouponRedis(redisClient.client());
            this.db = JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(), directUrl,
                    servers.jdbcUser(), servers.jdbcPassword()));

            Endpoints endpoints = new Endpoints(proxiedUrl, servers.jdbcUser(), servers.jdbcPassword(), "test servers",
                    redis.host(), redis.port(), 0, "redis-server of the fault tests");
            this.workerEnvironment = ServiceEnvironment.of(endpoints, kafka.bootstrapServers(), TestTokens.SECRET);
            workerEnvironment.put("SPRING_FLYWAY_SCHEMAS", schema);
            workerEnvironment.put("SPRING_FLYWAY_DEFAULT_SCHEMA", schema);
            workerEnvironment.put("RUSHCOUPON_WORKER_PARTITIONS", "8");
            workerEnvironment.put("RUSHCOUPON_WORKER_CONCURRENCY", "2");
            workerEnvironment.put("RUSHCOUPON_WORKER_RECONCILER_INTERVAL", "1s");
            workerEnvironment.put("RUSHCOUPON_WORKER_RECONCILER_PENDING_THRESHOLD", "5s");
            // a killed worker's partitions move once the group gives up on it: 10 s instead of Kafka's 45 s
            workerEnvironment.put("SPRING_APPLICATION_JSON",
                    "{\"spring.kafka.consumer.properties.[session.timeout.ms]\": \"10000\"}");
            this.gatewayEnvironment = ServiceEnvironment.of(endpoints, kafka.bootstrapServers(GATEWAY_LISTENER),
                    TestTokens.SECRET);

            this.worker = startWorker("worker", workerPort);
            this.gateway = startGateway("gateway", gatewayPort, Map.of());
            worker.awaitReady(STARTUP);
            gateway.awaitReady(STARTUP);
        } catch (Exception | Error e) {
            Stacks.closeAfterFailedStart(this, e);
            throw e;
        }
    }

    static FaultStack start() throws Exception {
        return new FaultStack();
    }

    private ServiceProcess startWorker(String name, int port) throws Exception {
        return ServiceProcess.start(PROJECT_ROOT, LOGS,
                new ServiceProcess.Spec("issuance-worker", name, port, workerEnvironment));
    }

    private ServiceProcess startGateway(String name, int port, Map<String, String> settings) throws Exception {
        Map<String, String> environment = new HashMap<>(gatewayEnvironment);
        environment.putAll(settings);
        return ServiceProcess.start(PROJECT_ROOT, LOGS, new ServiceProcess.Spec("gateway-api", name, port, environment));
    }

    /** A coupon open for the next hour, as an admin would publish it: row first, then Redis. */
    long openCoupon(String code, int units) {
        return Stacks.openCoupon(db, couponRedis, code, "Fault " + code, units);
    }

    // --- the faults -------------------------------------------------------------------------

    /** {@code kill -9} of the worker process: no shutdown hook, no offset commit, no goodbye to the group. */
    void killWorker() throws InterruptedException {
        worker.kill();
    }

    /** A new worker process on the same port, with the same settings; waits until it is ready. */
    void restartWorker() throws Exception {
        if (worker.alive()) {
            return;
        }
        worker = startWorker("worker", workerPort);
        worker.awaitReady(STARTUP);
    }

    /** A second worker process that joins the consumer group; not waited for. */
    ServiceProcess startSecondWorker() throws Exception {
        ServiceProcess second = startWorker("worker-2", FreePorts.free());
        extras.add(second);
        return second;
    }

    void killGateway() throws InterruptedException {
        gateway.kill();
    }

    void restartGateway() throws Exception {
        if (gateway.alive()) {
            return;
        }
        gateway = startGateway("gateway", gatewayPort, Map.of());
        gateway.awaitReady(STARTUP);
    }

    /** Another gateway process on a port of its own, with settings on top of the stack's; ready when returned. */
    ServiceProcess startExtraGateway(String name, Map<String, String> settings) throws Exception {
        ServiceProcess extra = startGateway(name, FreePorts.free(), settings);
        extras.add(extra);
        try {
            extra.awaitReady(STARTUP);
        } catch (RuntimeException | InterruptedException e) {
            extra.close();
            throw e;
        }
        return extra;
    }

    KraftBroker kafka() {
        return kafka;
    }

    RedisServerProcess redis() {
        return redis;
    }

    /** The gateway's Kafka connection (and only the gateway's). */
    TcpProxy gatewayKafka() {
        return gatewayKafka;
    }

    /** The workers' PostgreSQL connection (and only theirs). */
    TcpProxy workerDatabase() {
        return workerDatabase;
    }

    /**
     * Undoes whatever a scenario may have left broken when it failed half-way, so the next one
     * starts on a whole stack: servers up, connections restored, services running and ready.
     */
    void heal() throws Exception {
        for (ServiceProcess extra : extras) {
            extra.close();
        }
        extras.clear();
        redis.restartEmpty();
        kafka.restart();
        gatewayKafka.open();
        workerDatabase.open();
        restartWorker();
        restartGateway();
        worker.awaitReady(STARTUP);
        gateway.awaitReady(STARTUP);
    }

    // --- what the checks read -----------------------------------------------------------------

    JdbcClient db() {
        return db;
    }

    CouponRedis couponRedis() {
        return couponRedis;
    }

    ServiceProcess gateway() {
        return gateway;
    }

    ServiceProcess worker() {
        return worker;
    }

    /** Records in the dead-letter topic so far. */
    long deadLetters() {
        try (Admin admin = admin()) {
            var partitions = admin.describeTopics(List.of(Topics.ISSUE_REQUESTED_DLT)).allTopicNames().get()
                    .get(Topics.ISSUE_REQUESTED_DLT).partitions().stream()
                    .map(info -> new TopicPartition(Topics.ISSUE_REQUESTED_DLT, info.partition()))
                    .toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(info -> info.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("could not read the dead-letter topic", e);
        }
    }

    /**
     * Members of the worker's consumer group right now (one per listener thread of each worker).
     * Throws when the broker cannot tell: a guess would let a comparison pass without evidence.
     */
    int workerGroupMembers() {
        try (Admin admin = admin()) {
            return admin.describeConsumerGroups(List.of(WORKER_GROUP)).all().get().get(WORKER_GROUP).members().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing group " + WORKER_GROUP, e);
        } catch (Exception e) {
            throw new IllegalStateException("could not describe the consumer group " + WORKER_GROUP, e);
        }
    }

    /** A counter or gauge from a service's {@code /actuator/prometheus}: the sum over its series. */
    double metric(ServiceProcess service, String name, Map<String, String> labels) {
        try {
            return PrometheusScrape.of(service.baseUrl()).sum(name, labels);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + service.baseUrl() + "'s metrics", e);
        } catch (Exception e) {
            throw new IllegalStateException("could not read " + service.baseUrl() + "'s metrics", e);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                10_000));
    }

    private void killAll() {
        List<ServiceProcess> services = new ArrayList<>(extras);
        services.add(gateway);
        services.add(worker);
        Stacks.killAll(services);
        if (redis != null) {
            redis.kill();
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<AutoCloseable> parts = new ArrayList<>(extras);
        parts.addAll(Arrays.asList(gateway, worker, redisClient, kafka, gatewayKafka, workerDatabase, redis));
        Stacks.closeAll(parts);
    }
}
