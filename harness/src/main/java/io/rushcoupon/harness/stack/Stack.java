package io.rushcoupon.harness.stack;

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
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.redisson.api.RedissonClient;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.event.Topics;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.CouponSnapshot;
import io.rushcoupon.harness.host.FreePorts;
import io.rushcoupon.harness.host.HostTools;
import io.rushcoupon.harness.kafka.BrokerAdmin;
import io.rushcoupon.harness.kafka.KafkaCluster;
import io.rushcoupon.harness.kafka.KraftBroker;
import io.rushcoupon.harness.kafka.KraftBroker.ClientListener;
import io.rushcoupon.harness.metrics.PrometheusScrape;
import io.rushcoupon.harness.nginx.Nginx;
import io.rushcoupon.harness.nginx.NginxSite;
import io.rushcoupon.harness.process.ServiceEnvironment;
import io.rushcoupon.harness.process.ServiceProcess;
import io.rushcoupon.harness.proxy.TcpProxy;
import io.rushcoupon.harness.redis.RedisClusterProcess;
import io.rushcoupon.harness.redis.RedisConnection;
import io.rushcoupon.harness.redis.RedisServerProcess;
import io.rushcoupon.harness.servers.Endpoints;
import io.rushcoupon.harness.servers.LocalServers;

/**
 * The whole system on this machine, the one way {@code ./rushcoupon} and the system tests assemble
 * it: PostgreSQL (a database, or a schema of a given server), Redis (a database of a given server,
 * a {@code redis-server} of its own, or a Redis Cluster of its own), an in-process KRaft broker of its own, and worker, gateways,
 * admin and wallet from their production jars; nginx in front when asked. Parts can be broken on
 * purpose ({@link #kafka()}, {@link #redis()}, {@link #gatewayKafka()}, {@link #workerDatabase()}, a
 * service's {@link ServiceProcess#kill()}) and mended ({@link #heal()}).
 *
 * <p>Closing stops everything it started, newest first, also after a start that failed half-way.
 * Child processes outlive a JVM that ends without closing the stack (a killed test fork), so unless
 * the caller stops the stack on exit itself ({@link Builder#killOnJvmExit(boolean)}), a shutdown hook
 * kills them.
 */
public final class Stack implements AutoCloseable {

    /** The worker's consumer group (issuance-worker's application.yml). */
    public static final String WORKER_GROUP = "rushcoupon-issuance-worker";
    /** The broker listener the gateway reaches Kafka through when {@link Builder#proxyGatewayKafka()} is set. */
    public static final String GATEWAY_LISTENER = "GATEWAY";

    /** How long a cluster master may be unreachable before its replica is promoted (Redis's default: 15 s). */
    private static final Duration CLUSTER_NODE_TIMEOUT = Duration.ofSeconds(2);

    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/(.*)");

    /** Told of each step, for a progress line. */
    public interface StepListener {
        void step(String what);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How to run a {@link Stack}; every setting has a default but the token secret and the servers. */
    public static final class Builder {

        private Path projectRoot;
        private Path logs = Path.of("target", "stack-logs");
        private StepListener steps = what -> {
        };
        private String secret;
        private String localDatabase;
        private int localRedisDatabase;
        private String jdbcUrl;
        private String jdbcUser;
        private String jdbcPassword;
        private String schema;
        private String redisHost;
        private int redisPort;
        private int redisDatabase;
        private boolean ownRedis;
        private List<Integer> redisClusterPorts;
        private boolean fresh;
        private int partitions = 8;
        private int kafkaBrokers = 1;
        private boolean proxyGatewayKafka;
        private boolean proxyWorkerDatabase;
        private List<Integer> gatewayPorts = List.of(0);
        private int workerPort;
        private Integer adminPort;
        private Integer walletPort;
        private Integer nginxPort;
        private final Map<String, String> settings = new HashMap<>();
        private final Map<String, String> workerSettings = new HashMap<>();
        private final Map<String, String> gatewaySettings = new HashMap<>();
        private final Map<String, String> adminSettings = new HashMap<>();
        private final Map<String, String> walletSettings = new HashMap<>();
        private Duration startup = Duration.ofMinutes(3);
        private boolean killOnJvmExit = true;
        private String discordWebhookUrls;

        private Builder() {
        }

        /** The repository root, where the module folders and {@code infra/} are; found upwards by default. */
        public Builder projectRoot(Path projectRoot) {
            this.projectRoot = projectRoot;
            return this;
        }

        /** The folder for every log (services, redis-server, nginx and its prefix). */
        public Builder logs(Path logs) {
            this.logs = logs;
            return this;
        }

        public Builder steps(StepListener steps) {
            this.steps = steps;
            return this;
        }

        /** The HMAC secret the services verify tokens with. */
        public Builder secret(String secret) {
            this.secret = secret;
            return this;
        }

        /**
         * PostgreSQL and Redis found or started on this machine ({@link LocalServers}): database
         * {@code database} (created when missing), Redis database {@code redisDatabase} on a shared server.
         */
        public Builder localServers(String database, int redisDatabase) {
            this.localDatabase = database;
            this.localRedisDatabase = redisDatabase;
            return this;
        }

        /** A schema of a running PostgreSQL; {@code jdbcUrl} names the database, without schema selection. */
        public Builder postgres(String jdbcUrl, String user, String password, String schema) {
            if (!schema.matches("[a-z][a-z0-9_]*")) {
                throw new IllegalArgumentException("schema name must be lower-case letters, digits and _");
            }
            this.jdbcUrl = jdbcUrl;
            this.jdbcUser = user;
            this.jdbcPassword = password;
            this.schema = schema;
            return this;
        }

        /** A database of a running Redis. */
        public Builder redis(String host, int port, int database) {
            this.redisHost = host;
            this.redisPort = port;
            this.redisDatabase = database;
            return this;
        }

        /** A {@code redis-server} of the stack's own, which {@link Stack#redis()} can kill and restart empty. */
        public Builder ownRedis() {
            this.ownRedis = true;
            return this;
        }

        /**
         * A Redis Cluster of the stack's own ({@link RedisClusterProcess}: three masters, three
         * replicas) on {@code ports} (six; empty: free ones) instead of one Redis; every service
         * talks to it in cluster mode, and {@link Stack#redisCluster()} can kill its nodes.
         */
        public Builder redisCluster(List<Integer> ports) {
            this.redisClusterPorts = List.copyOf(ports);
            return this;
        }

        /** Start from nothing: the database or schema dropped and created again, the Redis database flushed. */
        public Builder fresh(boolean fresh) {
            this.fresh = fresh;
            return this;
        }

        /** Partitions of the broker's new topics and of the issue topic the worker creates. */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /**
         * {@code brokers} in-process KRaft nodes forming one controller quorum ({@link KafkaCluster});
         * with three or more, the worker creates its topics with three replicas and
         * {@code min.insync.replicas=2}. Default 1: the single {@link KraftBroker}.
         */
        public Builder kafkaBrokers(int brokers) {
            if (brokers < 1) {
                throw new IllegalArgumentException("a stack needs a Kafka broker");
            }
            this.kafkaBrokers = brokers;
            return this;
        }

        /** The gateway reaches Kafka through a {@link TcpProxy} of its own ({@link Stack#gatewayKafka()}). */
        public Builder proxyGatewayKafka() {
            this.proxyGatewayKafka = true;
            return this;
        }

        /** The workers reach PostgreSQL through a {@link TcpProxy} ({@link Stack#workerDatabase()}). */
        public Builder proxyWorkerDatabase() {
            this.proxyWorkerDatabase = true;
            return this;
        }

        /** {@code count} gateways on free ports. */
        public Builder gateways(int count) {
            return gatewayPorts(java.util.Collections.nCopies(count, 0));
        }

        /** One gateway on each port (0: a free one). */
        public Builder gatewayPorts(List<Integer> ports) {
            if (ports.isEmpty()) {
                throw new IllegalArgumentException("a stack needs a gateway");
            }
            this.gatewayPorts = List.copyOf(ports);
            return this;
        }

        public Builder workerPort(int port) {
            this.workerPort = port;
            return this;
        }

        /** Runs admin-service too, on {@code port} (0: a free one). */
        public Builder admin(int port) {
            this.adminPort = port;
            return this;
        }

        /** Runs wallet-service too, on {@code port} (0: a free one); it needs PostgreSQL only. */
        public Builder wallet(int port) {
            this.walletPort = port;
            return this;
        }

        /**
         * nginx in front of the gateways (and the admin service and the wallet, each standing for
         * a port nobody listens on without it), with the rules of {@code infra/nginx}, on
         * {@code port} (0: a free one).
         */
        public Builder nginx(int port) {
            this.nginxPort = port;
            return this;
        }

        /** Settings (environment variables) of every service, under each service's own. */
        public Builder settings(Map<String, String> settings) {
            this.settings.putAll(settings);
            return this;
        }

        public Builder workerSettings(Map<String, String> settings) {
            this.workerSettings.putAll(settings);
            return this;
        }

        public Builder gatewaySettings(Map<String, String> settings) {
            this.gatewaySettings.putAll(settings);
            return this;
        }

        public Builder adminSettings(Map<String, String> settings) {
            this.adminSettings.putAll(settings);
            return this;
        }

        public Builder walletSettings(Map<String, String> settings) {
            this.walletSettings.putAll(settings);
            return this;
        }

        /**
         * Discord webhook URLs (comma-separated) the workers' notification dispatchers post to
         * ({@code RUSHCOUPON_DISCORD_WEBHOOK_URL}, issuance-worker/README.md "Notifications"); every
         * worker gets them, extra ones too. Null or blank: none, each notification is logged. The
         * URLs hold secret tokens: the stack never shows them.
         */
        public Builder discordWebhookUrls(String urls) {
            this.discordWebhookUrls = urls == null || urls.isBlank() ? null : urls.strip();
            return this;
        }

        /** How long a service may take to become ready. */
        public Builder startup(Duration startup) {
            this.startup = startup;
            return this;
        }

        /** {@code false} when the caller stops the stack on exit itself (a graceful stop, as {@code up} does). */
        public Builder killOnJvmExit(boolean kill) {
            this.killOnJvmExit = kill;
            return this;
        }

        /** Starts everything and waits until every service (and nginx) is ready. */
        public Stack start() throws Exception {
            if (secret == null) {
                throw new IllegalStateException("a stack needs a token secret");
            }
            if ((localDatabase == null) == (jdbcUrl == null)) {
                throw new IllegalStateException("choose either localServers(…) or postgres(…)");
            }
            if (jdbcUrl != null && redisHost == null && !ownRedis && redisClusterPorts == null) {
                throw new IllegalStateException("choose redis(…), ownRedis() or redisCluster(…)");
            }
            if (proxyGatewayKafka && kafkaBrokers > 1) {
                throw new IllegalStateException("proxyGatewayKafka() cuts a single broker off; not with kafkaBrokers > 1");
            }
            Stack stack = new Stack(this);
            try {
                stack.startAll();
            } catch (Exception | Error e) {
                try {
                    stack.close();
                } catch (Exception closing) {
                    if (closing instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    e.addSuppressed(closing);
                }
                throw e;
            }
            return stack;
        }
    }

    private final Builder settings;
    private final Path projectRoot;
    private final StopList stopOrder = new StopList();
    private final List<ServiceProcess> gateways = new ArrayList<>();
    private final List<ServiceProcess> extras = new ArrayList<>();
    private final Thread killer = new Thread(this::killChildren, "rushcoupon-stack-kill");
    private Endpoints endpoints;
    private String workerJdbcUrl;
    private RedisServerProcess ownRedis;
    private RedisClusterProcess redisCluster;
    private KafkaCluster kafka;
    private TcpProxy gatewayKafka;
    private TcpProxy workerDatabase;
    private ServiceProcess worker;
    private ServiceProcess admin;
    private ServiceProcess wallet;
    private Nginx nginx;
    private int workerPort;
    private int adminPort;
    private JdbcClient db;
    private RedisConnection redisConnection;
    private CouponRedis couponRedis;
    private boolean closed;

    private Stack(Builder settings) {
        this.settings = settings;
        this.projectRoot = settings.projectRoot != null ? settings.projectRoot : HostTools.projectRoot();
    }

    private void startAll() throws Exception {
        // before anything starts: a missing jar or nginx is a sentence, not a half-started stack
        List<String> modules = new ArrayList<>(List.of("issuance-worker", "gateway-api"));
        if (settings.adminPort != null) {
            modules.add("admin-service");
        }
        if (settings.walletPort != null) {
            modules.add("wallet-service");
        }
        for (String module : modules) {
            ServiceProcess.executableJar(projectRoot, module);
        }
        Path nginxProgram = settings.nginxPort != null ? HostTools.require("nginx") : null;
        if (settings.killOnJvmExit) {
            Runtime.getRuntime().addShutdownHook(killer);
        }

        settings.steps.step("Starting PostgreSQL and Redis");
        startServers();

        settings.steps.step(settings.kafkaBrokers == 1 ? "Starting Kafka (in-process KRaft broker)"
                : "Starting Kafka (" + settings.kafkaBrokers + " in-process KRaft brokers, one controller quorum)");
        List<ClientListener> listeners = new ArrayList<>();
        if (settings.proxyGatewayKafka) {
            int listenerPort = FreePorts.free();
            gatewayKafka = stopOrder.push(new TcpProxy("127.0.0.1", listenerPort));
            listeners.add(new ClientListener(GATEWAY_LISTENER, listenerPort, "127.0.0.1:" + gatewayKafka.port()));
        }
        kafka = stopOrder.push(KafkaCluster.start(settings.kafkaBrokers, settings.partitions, Map.of(), listeners));

        int gatewayCount = settings.gatewayPorts.size();
        settings.steps.step("Starting issuance-worker" + (settings.adminPort != null ? ", admin-service" : "")
                + (settings.walletPort != null ? ", wallet-service" : "") + " and "
                + (gatewayCount == 1 ? "gateway-api" : gatewayCount + " gateway-api instances")
                + " from their jars");
        workerPort = portOrFree(settings.workerPort);
        worker = startWorker("issuance-worker", workerPort, Map.of());
        if (settings.adminPort != null) {
            adminPort = portOrFree(settings.adminPort);
            admin = startService("admin-service", "admin-service", adminPort, adminEnvironment());
        }
        if (settings.walletPort != null) {
            wallet = startService("wallet-service", "wallet-service", portOrFree(settings.walletPort),
                    walletEnvironment());
        }
        for (int i = 0; i < gatewayCount; i++) {
            // one gateway keeps its plain name (and log file); several are numbered
            String name = gatewayCount == 1 ? "gateway-api" : "gateway-api-" + (i + 1);
            gateways.add(startGateway(name, portOrFree(settings.gatewayPorts.get(i)), Map.of()));
        }
        awaitReady();
        if (nginxProgram != null) {
            settings.steps.step("Starting nginx in front of " + gatewayCount + " gateways"
                    + (admin != null ? ", the admin service" : "") + (wallet != null ? ", the wallet" : ""));
            // without an admin service or wallet, its upstream stands for one that is down
            nginx = stopOrder.push(Nginx.start(nginxProgram, projectRoot, settings.logs.resolve("nginx"),
                    NginxSite.local(portOrFree(settings.nginxPort), gateways.stream().map(ServiceProcess::port).toList(),
                            portOrClosed(admin), portOrClosed(wallet)),
                    settings.logs.resolve("nginx.log")));
            nginx.awaitReady(Duration.ofSeconds(30));
        }
    }

    private void startServers() throws Exception {
        if (settings.localDatabase != null) {
            LocalServers servers = stopOrder.push(
                    new LocalServers(settings.localDatabase, settings.localRedisDatabase, settings.logs));
            endpoints = servers.start();
            if (settings.fresh) {
                LocalServers.recreateDatabase(endpoints, settings.localDatabase);
            }
        } else {
            prepareSchema();
            String schemaUrl = settings.jdbcUrl + (settings.jdbcUrl.contains("?") ? "&" : "?") + "currentSchema="
                    + settings.schema;
            String redisHost = settings.redisHost;
            int redisPort = settings.redisPort;
            int redisDatabase = settings.redisDatabase;
            String redisOrigin = "server " + redisHost + ":" + redisPort;
            if (settings.ownRedis) {
                ownRedis = stopOrder.push(RedisServerProcess.start(settings.logs.resolve("redis.log")));
                redisHost = ownRedis.host();
                redisPort = ownRedis.port();
                redisDatabase = 0;
                redisOrigin = "redis-server of the stack's own on port " + redisPort;
            }
            endpoints = new Endpoints(schemaUrl, settings.jdbcUser, settings.jdbcPassword,
                    "server " + settings.jdbcUrl + ", schema " + settings.schema, redisHost, redisPort, redisDatabase,
                    redisOrigin);
        }
        if (settings.redisClusterPorts != null) {
            redisCluster = stopOrder.push(RedisClusterProcess.start(settings.redisClusterPorts,
                    settings.logs.resolve("redis-cluster"), CLUSTER_NODE_TIMEOUT));
            endpoints = new Endpoints(endpoints.jdbcUrl(), endpoints.jdbcUser(), endpoints.jdbcPassword(),
                    endpoints.postgresOrigin(), "127.0.0.1", redisCluster.ports().getFirst(), 0,
                    "Redis Cluster of the stack's own (3 masters, 3 replicas) on ports " + redisCluster.ports(),
                    List.of(redisCluster.nodeAddresses().split(",")));
        }
        if (settings.fresh) {
            redisson().getKeys().flushdb();
        }
        workerJdbcUrl = endpoints.jdbcUrl();
        if (settings.proxyWorkerDatabase) {
            Matcher jdbc = JDBC.matcher(endpoints.jdbcUrl());
            if (!jdbc.matches()) {
                throw new IllegalStateException("cannot put a proxy in front of " + endpoints.jdbcUrl());
            }
            workerDatabase = stopOrder.push(new TcpProxy(jdbc.group(1),
                    jdbc.group(2) == null ? 5432 : Integer.parseInt(jdbc.group(2))));
            workerJdbcUrl = "jdbc:postgresql://127.0.0.1:" + workerDatabase.port() + "/" + jdbc.group(3);
        }
    }

    /** The schema exists, and with {@link Builder#fresh} it is empty, so the services' Flyway starts from nothing. */
    private void prepareSchema() throws SQLException {
        try (var connection = DriverManager.getConnection(settings.jdbcUrl, settings.jdbcUser, settings.jdbcPassword);
                var statement = connection.createStatement()) {
            if (settings.fresh) {
                statement.execute("DROP SCHEMA IF EXISTS " + settings.schema + " CASCADE");
            }
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + settings.schema);
        } catch (SQLException e) {
            throw new SQLException("PostgreSQL at " + settings.jdbcUrl + " is not reachable; start it"
                    + " (see README, Prerequisites)", e);
        }
    }

    private static int portOrFree(int port) {
        return port > 0 ? port : FreePorts.free();
    }

    private static int portOrClosed(ServiceProcess service) {
        return service != null ? service.port() : FreePorts.closed();
    }

    // --- the services -------------------------------------------------------------------------

    private Map<String, String> sharedEnvironment() {
        Map<String, String> environment = ServiceEnvironment.of(endpoints, kafka.bootstrapServers(), settings.secret);
        environment.put("RUSHCOUPON_WORKER_PARTITIONS", Integer.toString(settings.partitions));
        environment.put("RUSHCOUPON_WORKER_REPLICATION", Integer.toString(kafka.replicationFactor()));
        if (settings.schema != null) {
            // Flyway would otherwise migrate the schema first on the search path, not this one
            environment.put("SPRING_FLYWAY_SCHEMAS", settings.schema);
            environment.put("SPRING_FLYWAY_DEFAULT_SCHEMA", settings.schema);
        }
        environment.putAll(settings.settings);
        return environment;
    }

    private Map<String, String> adminEnvironment() {
        Map<String, String> environment = sharedEnvironment();
        environment.putAll(settings.adminSettings);
        return environment;
    }

    /** PostgreSQL, the token secret and Flyway's schema; the wallet has no Redis or Kafka to point at. */
    private Map<String, String> walletEnvironment() {
        Map<String, String> environment = sharedEnvironment();
        environment.keySet().removeIf(name -> name.startsWith("SPRING_DATA_REDIS_") || name.startsWith("SPRING_KAFKA_")
                || name.startsWith("RUSHCOUPON_WORKER_"));
        environment.putAll(settings.settings);
        environment.putAll(settings.walletSettings);
        return environment;
    }

    private ServiceProcess startWorker(String name, int port, Map<String, String> extra) throws Exception {
        Map<String, String> environment = sharedEnvironment();
        environment.put("SPRING_DATASOURCE_URL", workerJdbcUrl);
        // also when none: a URL in the caller's own environment must not reach a stack that was given none
        environment.put("RUSHCOUPON_DISCORD_WEBHOOK_URL",
                settings.discordWebhookUrls != null ? settings.discordWebhookUrls : "");
        environment.putAll(settings.workerSettings);
        environment.putAll(extra);
        return startService("issuance-worker", name, port, environment);
    }

    private ServiceProcess startGateway(String name, int port, Map<String, String> extra) throws Exception {
        Map<String, String> environment = sharedEnvironment();
        if (gatewayKafka != null) {
            environment.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", kafka.broker(0).bootstrapServers(GATEWAY_LISTENER));
        }
        environment.putAll(settings.gatewaySettings);
        environment.putAll(extra);
        return startService("gateway-api", name, port, environment);
    }

    private ServiceProcess startService(String module, String name, int port, Map<String, String> environment)
            throws Exception {
        return stopOrder.push(ServiceProcess.start(projectRoot, settings.logs,
                new ServiceProcess.Spec(module, name, port, environment)));
    }

    private void awaitReady() throws InterruptedException {
        for (ServiceProcess service : services()) {
            service.awaitReady(settings.startup);
        }
    }

    /** Stops the worker (gracefully; nothing to stop after a kill) and starts a new one on its port; waits until ready. */
    public synchronized void restartWorker() throws Exception {
        restartWorker(Map.of());
    }

    /** As {@link #restartWorker()}, the new worker with {@code extra} on top of the stack's settings. */
    public synchronized void restartWorker(Map<String, String> extra) throws Exception {
        stopOrder.remove(worker);
        worker.close();
        worker = startWorker(worker.name(), workerPort, extra);
        worker.awaitReady(settings.startup);
    }

    /** Stops the first gateway (gracefully; nothing to stop after a kill) and starts a new one on its port. */
    public synchronized void restartGateway() throws Exception {
        restartGateway(0);
    }

    private void restartGateway(int index) throws Exception {
        ServiceProcess old = gateways.get(index);
        stopOrder.remove(old);
        old.close();
        ServiceProcess restarted = startGateway(old.name(), old.port(), Map.of());
        gateways.set(index, restarted);
        restarted.awaitReady(settings.startup);
    }

    /** Another worker process on a free port that joins the consumer group; not waited for. */
    public synchronized ServiceProcess startExtraWorker() throws Exception {
        ServiceProcess extra = startWorker("issuance-worker-" + (extras.size() + 2), FreePorts.free(), Map.of());
        extras.add(extra);
        return extra;
    }

    /** Another gateway process on a free port, with {@code extra} on top of the stack's settings; ready when returned. */
    public synchronized ServiceProcess startExtraGateway(String name, Map<String, String> extra) throws Exception {
        ServiceProcess gateway = startGateway(name, FreePorts.free(), extra);
        extras.add(gateway);
        try {
            gateway.awaitReady(settings.startup);
        } catch (RuntimeException | InterruptedException e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    /**
     * Undoes whatever a scenario may have left broken when it failed half-way, so the next one
     * starts on a whole stack: extra services stopped, servers up, connections restored, services
     * running and ready.
     */
    public synchronized void heal() throws Exception {
        for (ServiceProcess extra : extras) {
            stopOrder.remove(extra);
            extra.close();
        }
        extras.clear();
        if (ownRedis != null) {
            ownRedis.restartEmpty();
        }
        if (redisCluster != null) {
            redisCluster.heal();
        }
        kafka.restartStopped();
        for (TcpProxy proxy : new TcpProxy[] {gatewayKafka, workerDatabase}) {
            if (proxy != null) {
                proxy.open();
            }
        }
        if (!worker.alive()) {
            restartWorker();
        }
        for (int i = 0; i < gateways.size(); i++) {
            if (!gateways.get(i).alive()) {
                restartGateway(i);
            }
        }
        awaitReady();
    }

    // --- what callers read ----------------------------------------------------------------------

    public Endpoints endpoints() {
        return endpoints;
    }

    public String secret() {
        return settings.secret;
    }

    /** Whether the workers were given Discord webhooks ({@link Builder#discordWebhookUrls}); never the URLs. */
    public boolean discordConfigured() {
        return settings.discordWebhookUrls != null;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /**
     * The broker, to {@link KraftBroker#stop() stop} and {@link KraftBroker#restart() restart}; a
     * stack of several brokers has {@link #kafkaCluster()} instead.
     */
    public KraftBroker kafka() {
        if (kafka.size() > 1) {
            throw new IllegalStateException("this stack runs " + kafka.size() + " brokers; use kafkaCluster()");
        }
        return kafka.broker(0);
    }

    /** Every broker of the stack (one unless {@link Builder#kafkaBrokers(int)} asked for more). */
    public KafkaCluster kafkaCluster() {
        return kafka;
    }

    /** The stack's own {@code redis-server}, to kill and restart empty; only with {@link Builder#ownRedis()}. */
    public RedisServerProcess redis() {
        if (ownRedis == null) {
            throw new IllegalStateException("this stack uses a shared Redis; start it with ownRedis()");
        }
        return ownRedis;
    }

    /** The stack's own Redis Cluster, to kill nodes of; only with {@link Builder#redisCluster(List)}. */
    public RedisClusterProcess redisCluster() {
        if (redisCluster == null) {
            throw new IllegalStateException("this stack uses one Redis; start it with redisCluster(ports)");
        }
        return redisCluster;
    }

    /** The gateway's Kafka connection (and only the gateway's); only with {@link Builder#proxyGatewayKafka()}. */
    public TcpProxy gatewayKafka() {
        if (gatewayKafka == null) {
            throw new IllegalStateException("this stack's gateway reaches Kafka directly; start it with proxyGatewayKafka()");
        }
        return gatewayKafka;
    }

    /** The workers' PostgreSQL connection (and only theirs); only with {@link Builder#proxyWorkerDatabase()}. */
    public TcpProxy workerDatabase() {
        if (workerDatabase == null) {
            throw new IllegalStateException("this stack's worker reaches PostgreSQL directly; start it with proxyWorkerDatabase()");
        }
        return workerDatabase;
    }

    /** The first gateway (the only one unless more were asked for). */
    public synchronized ServiceProcess gateway() {
        return gateways.getFirst();
    }

    public synchronized List<ServiceProcess> gateways() {
        return List.copyOf(gateways);
    }

    public synchronized ServiceProcess worker() {
        return worker;
    }

    public Optional<ServiceProcess> admin() {
        return Optional.ofNullable(admin);
    }

    /** The wallet service; only with {@link Builder#wallet(int)}. */
    public Optional<ServiceProcess> wallet() {
        return Optional.ofNullable(wallet);
    }

    public Optional<Nginx> nginx() {
        return Optional.ofNullable(nginx);
    }

    /** The user API: nginx when it runs, requests then spread over every gateway; else the first gateway. */
    public String userApiUrl() {
        return nginx != null ? nginx.baseUrl() : gateway().baseUrl();
    }

    /**
     * The wallet API ({@code /api/v1/me/}): nginx when it runs, else the wallet itself; only with
     * {@link Builder#wallet(int)}.
     */
    public String walletApiUrl() {
        if (wallet == null) {
            throw new IllegalStateException("this stack runs no wallet; start it with wallet(port)");
        }
        return nginx != null ? nginx.baseUrl() : wallet.baseUrl();
    }

    /** Worker, admin, wallet, gateways and extra services. */
    public synchronized List<ServiceProcess> services() {
        List<ServiceProcess> services = new ArrayList<>();
        services.add(worker);
        if (admin != null) {
            services.add(admin);
        }
        if (wallet != null) {
            services.add(wallet);
        }
        services.addAll(gateways);
        services.addAll(extras);
        return services;
    }

    /** The stack's database (directly, never through a proxy), for checks from outside the services. */
    public synchronized JdbcClient db() {
        if (db == null) {
            db = JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(), endpoints.jdbcUrl(),
                    endpoints.jdbcUser(), endpoints.jdbcPassword()));
        }
        return db;
    }

    public synchronized RedissonClient redisson() {
        if (redisConnection == null) {
            redisConnection = stopOrder.push(new RedisConnection(endpoints));
            couponRedis = new CouponRedis(redisConnection.client());
        }
        return redisConnection.client();
    }

    public synchronized CouponRedis couponRedis() {
        redisson();
        return couponRedis;
    }

    /** A coupon open for the next hour, as an admin would publish it: row first, then Redis. */
    public long openCoupon(String code, int units) {
        String name = "Rush " + code;
        Instant startsAt = Instant.now().minusSeconds(60);
        Instant endsAt = Instant.now().plusSeconds(3600);
        long id = db().sql("""
                INSERT INTO coupon (code, name, type, discount_value, total_quantity, remaining_quantity, state,
                                    issue_starts_at, issue_ends_at, valid_days)
                VALUES (:code, :name, 'FIXED_AMOUNT', 1000, :units, :units, 'ACTIVE', :startsAt, :endsAt, 30)
                RETURNING id""")
                .param("code", code).param("name", name).param("units", units)
                .param("startsAt", Timestamp.from(startsAt)).param("endsAt", Timestamp.from(endsAt))
                .query(Long.class).single();
        couponRedis().publish(new CouponSnapshot(id, name, CouponState.ACTIVE, startsAt, endsAt, units, units));
        return id;
    }

    /** The broker's topics and consumer groups. */
    public BrokerAdmin brokerAdmin() {
        return new BrokerAdmin(kafka.bootstrapServers());
    }

    /** Records in the dead-letter topic so far. */
    public long deadLetters() {
        return brokerAdmin().records(Topics.ISSUE_REQUESTED_DLT);
    }

    /** Members of the worker's consumer group right now (one per listener thread of each worker). */
    public int workerGroupMembers() {
        return brokerAdmin().groupMembers(WORKER_GROUP);
    }

    /** The partition Kafka's default partitioner puts a coupon's issue requests on. */
    public int partitionOf(long couponId) {
        return brokerAdmin().partitionOf(Topics.ISSUE_REQUESTED, Long.toString(couponId));
    }

    /** A counter or gauge from a service's {@code /actuator/prometheus}: the sum over its series. */
    public double metric(ServiceProcess service, String name, Map<String, String> labels) {
        try {
            return PrometheusScrape.of(service.baseUrl()).sum(name, labels);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + service.baseUrl() + "'s metrics", e);
        } catch (Exception e) {
            throw new IllegalStateException("could not read " + service.baseUrl() + "'s metrics", e);
        }
    }

    // --- stopping -------------------------------------------------------------------------------

    /** For the shutdown hook: {@code kill -9} every child process still running, whatever fails. */
    private void killChildren() {
        for (AutoCloseable part : stopOrder.parts()) {
            try {
                switch (part) {
                    case ServiceProcess service -> service.kill();
                    case RedisServerProcess redis -> redis.kill();
                    case RedisClusterProcess cluster -> cluster.kill();
                    case Nginx server -> server.close();
                    default -> {
                        // in-process parts end with the JVM
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the JVM is going; kill the rest
            }
        }
    }

    /** Stops everything started, newest first; safe to call twice (Ctrl-C and a normal end). */
    @Override
    public synchronized void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        if (settings.killOnJvmExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway; closing first is still right
            }
        }
        stopOrder.closeAll();
    }
}
