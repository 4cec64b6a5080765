package io.rushcoupon.localstack.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import io.rushcoupon.localstack.nginx.Nginx;
import io.rushcoupon.localstack.nginx.NginxSite;
import io.rushcoupon.localstack.process.ServiceProcess;
import io.rushcoupon.localstack.servers.Endpoints;
import io.rushcoupon.localstack.servers.LocalServers;
import io.rushcoupon.testsupport.KraftBroker;

/**
 * The whole system on this machine: PostgreSQL and Redis ({@link LocalServers}), an in-process
 * KRaft broker, and worker, admin and gateway from their jars; with more gateways, nginx in front of
 * them (the rules of {@code infra/nginx}). Closing stops all of it, newest first.
 */
public final class LocalStack implements AutoCloseable {

    /**
     * How to run it. {@code fresh} drops the database and flushes the Redis database first.
     * {@code moreGatewayPorts}: a further gateway on each; {@code nginxPort}: when above 0, nginx
     * listens there in front of all gateways and the admin service.
     */
    public record Settings(Path runFolder, String database, int redisDatabase, int partitions, int gatewayPort,
            int adminPort, int workerPort, boolean fresh, Map<String, String> workerSettings,
            List<Integer> moreGatewayPorts, int nginxPort) {

        public Settings {
            moreGatewayPorts = List.copyOf(moreGatewayPorts);
        }

        /** One gateway, no nginx. */
        public Settings(Path runFolder, String database, int redisDatabase, int partitions, int gatewayPort,
                int adminPort, int workerPort, boolean fresh, Map<String, String> workerSettings) {
            this(runFolder, database, redisDatabase, partitions, gatewayPort, adminPort, workerPort, fresh,
                    workerSettings, List.of(), 0);
        }

        public List<Integer> gatewayPorts() {
            List<Integer> ports = new ArrayList<>();
            ports.add(gatewayPort);
            ports.addAll(moreGatewayPorts);
            return ports;
        }
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
    private final List<ServiceProcess> gateways = new ArrayList<>();
    private Nginx nginx;

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
        // before anything starts: a missing nginx is a sentence, not a half-started stack
        Path nginxProgram = settings.nginxPort() > 0 ? Nginx.require() : null;
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

        List<Integer> gatewayPorts = settings.gatewayPorts();
        steps.step("Starting issuance-worker, admin-service and " + (gatewayPorts.size() == 1 ? "gateway-api"
                : gatewayPorts.size() + " gateway-api instances") + " from their jars");
        worker = startService("issuance-worker", "issuance-worker", settings.workerPort(), settings.workerSettings());
        admin = startService("admin-service", "admin-service", settings.adminPort(), Map.of());
        for (int i = 0; i < gatewayPorts.size(); i++) {
            // one gateway keeps its old name (and log file); several are numbered
            String name = gatewayPorts.size() == 1 ? "gateway-api" : "gateway-api-" + (i + 1);
            gateways.add(startService("gateway-api", name, gatewayPorts.get(i), Map.of()));
        }
        for (ServiceProcess service : services()) {
            service.awaitReady(STARTUP);
        }
        if (nginxProgram != null) {
            steps.step("Starting nginx in front of " + gatewayPorts.size() + " gateways and the admin service");
            nginx = Nginx.start(nginxProgram, PROJECT_ROOT, settings.runFolder().resolve("nginx"),
                    NginxSite.local(settings.nginxPort(), gatewayPorts, settings.adminPort()),
                    settings.runFolder().resolve("nginx.log"));
            stopOrder.push(nginx);
            nginx.awaitReady(Duration.ofSeconds(30));
        }
    }

    private ServiceProcess startService(String module, String name, int port, Map<String, String> extra)
            throws Exception {
        Map<String, String> environment = sharedEnvironment();
        environment.putAll(extra);
        ServiceProcess service = ServiceProcess.start(PROJECT_ROOT, settings.runFolder(),
                new ServiceProcess.Spec(module, name, port, environment));
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
        worker = startService("issuance-worker", "issuance-worker", settings.workerPort(), workerSettings);
        worker.awaitReady(STARTUP);
    }

    /** With nginx, its address is the user API's: requests then spread over every gateway. */
    public StackInfo info() {
        String userApi = nginx != null ? nginx.baseUrl() : gateway().baseUrl();
        return new StackInfo(userApi, admin.baseUrl(), worker.baseUrl(), secret, kafka.bootstrapServers(),
                endpoints.jdbcUrl(), endpoints.jdbcUser(), endpoints.jdbcPassword(), endpoints.redisHost(),
                endpoints.redisPort(), endpoints.redisDatabase(),
                gateways.stream().map(ServiceProcess::baseUrl).toList(), nginx != null ? nginx.baseUrl() : null);
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public List<ServiceProcess> services() {
        List<ServiceProcess> services = new ArrayList<>(List.of(worker, admin));
        services.addAll(gateways);
        return services;
    }

    /** The first gateway (the only one unless {@link Settings#moreGatewayPorts()} asked for more). */
    public ServiceProcess gateway() {
        return gateways.getFirst();
    }

    public List<ServiceProcess> gateways() {
        return List.copyOf(gateways);
    }

    /** nginx in front of the gateways, or {@code null} when the stack runs without it. */
    public Nginx nginx() {
        return nginx;
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
