package io.rushcoupon.localstack.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import io.rushcoupon.localstack.process.ServiceProcess;
import io.rushcoupon.localstack.servers.Endpoints;
import io.rushcoupon.localstack.servers.LocalServers;
import io.rushcoupon.testsupport.KraftBroker;

/**
 * The whole system on this machine: PostgreSQL and Redis ({@link LocalServers}), an in-process
 * KRaft broker, and worker, admin and gateway from their jars. Closing stops all of it, newest first.
 */
public final class LocalStack implements AutoCloseable {

    /** How to run it. {@code fresh} drops the database and flushes the Redis database first. */
    public record Settings(Path runFolder, String database, int redisDatabase, int partitions, int gatewayPort,
            int adminPort, int workerPort, boolean fresh, Map<String, String> workerSettings) {
    }

    private static final Duration STARTUP = Duration.ofMinutes(3);
    private static final Path PROJECT_ROOT = Path.of(".");

    private final Deque<AutoCloseable> stopOrder = new ArrayDeque<>();
    private final Settings settings;
    private final String secret;
    private Endpoints endpoints;
    private KraftBroker kafka;
    private ServiceProcess worker;
    private ServiceProcess admin;
    private ServiceProcess gateway;

    private LocalStack(Settings settings, String secret) {
        this.settings = settings;
        this.secret = secret;
    }

    /** Starts everything and waits until every service is ready. */
    public static LocalStack start(Settings settings, String secret, StepListener steps) throws Exception {
        LocalStack stack = new LocalStack(settings, secret);
        try {
            stack.startAll(steps);
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    /** Told of each step, for a progress line. */
    public interface StepListener {
        void step(String what);
    }

    private void startAll(StepListener steps) throws Exception {
        steps.step("Starting PostgreSQL and Redis");
        LocalServers servers = new LocalServers(settings.database(), settings.redisDatabase());
        stopOrder.push(servers);
        endpoints = servers.start();
        if (settings.fresh()) {
            LocalServers.recreateDatabase(endpoints, settings.database());
            try (Redis redis = new Redis(endpoints)) {
                redis.client().getKeys().flushdb();
            }
        }

        steps.step("Starting Kafka (in-process KRaft broker)");
        kafka = KraftBroker.start(settings.partitions(), Map.of());
        stopOrder.push(kafka);

        steps.step("Starting issuance-worker, admin-service and gateway-api from their jars");
        worker = startService("issuance-worker", settings.workerPort(), settings.workerSettings());
        admin = startService("admin-service", settings.adminPort(), Map.of());
        gateway = startService("gateway-api", settings.gatewayPort(), Map.of());
        for (ServiceProcess service : services()) {
            service.awaitReady(STARTUP);
        }
    }

    private ServiceProcess startService(String module, int port, Map<String, String> extra) throws Exception {
        Map<String, String> environment = sharedEnvironment();
        environment.putAll(extra);
        ServiceProcess service = ServiceProcess.start(PROJECT_ROOT, settings.runFolder(),
                new ServiceProcess.Spec(module, module, port, environment));
        stopOrder.push(service);
        return service;
    }

    private Map<String, String> sharedEnvironment() {
        Map<String, String> environment = ServiceEnvironment.of(endpoints, kafka.bootstrapServers(), secret);
        environment.put("RUSHCOUPON_WORKER_PARTITIONS", Integer.toString(settings.partitions()));
        return environment;
    }

    /** Stops the worker and starts a new one with these settings on top of the stack's. */
    public synchronized void restartWorker(Map<String, String> workerSettings) throws Exception {
        stopOrder.remove(worker);
        worker.close();
        worker = startService("issuance-worker", settings.workerPort(), workerSettings);
        worker.awaitReady(STARTUP);
    }

    public StackInfo info() {
        return new StackInfo(gateway.baseUrl(), admin.baseUrl(), worker.baseUrl(), secret, kafka.bootstrapServers(),
                endpoints.jdbcUrl(), endpoints.jdbcUser(), endpoints.jdbcPassword(), endpoints.redisHost(),
                endpoints.redisPort(), endpoints.redisDatabase());
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public List<ServiceProcess> services() {
        return List.of(worker, admin, gateway);
    }

    public ServiceProcess gateway() {
        return gateway;
    }

    public ServiceProcess worker() {
        return worker;
    }

    /** Stops everything started, newest first; safe to call twice (Ctrl-C and a normal end). */
    @Override
    public synchronized void close() {
        while (!stopOrder.isEmpty()) {
            try {
                stopOrder.pop().close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e.getMessage());
            }
        }
    }

    /** A short-lived Redis client for the stack's database. */
    public static final class Redis implements AutoCloseable {

        private final RedissonClient client;

        public Redis(Endpoints endpoints) {
            this(endpoints.redisHost(), endpoints.redisPort(), endpoints.redisDatabase());
        }

        public Redis(String host, int port, int database) {
            Config config = new Config();
            config.useSingleServer().setAddress("redis://" + host + ":" + port).setDatabase(database);
            this.client = Redisson.create(config);
        }

        public RedissonClient client() {
            return client;
        }

        @Override
        public void close() {
            client.shutdown();
        }
    }
}
