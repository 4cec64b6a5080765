package io.rushcoupon.harness.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import io.rushcoupon.harness.host.FreePorts;
import io.rushcoupon.harness.proxy.TcpProxy;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real Kafka node in KRaft mode (combined broker and controller), run in-process from Kafka's own
 * server classes, listening on loopback ports only: a single-node broker ({@link #start}), or one
 * node of a {@link KafkaCluster}. Kafka's test kit, which spring-kafka's embedded broker uses,
 * pre-binds its sockets on every interface; servers started for tests and for the local stack
 * stay on 127.0.0.1.
 */
public final class KraftBroker implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(60);

    private final int nodeId;
    private final Path logDir;
    private final KafkaConfig config;
    private final String bootstrapServers;
    private final Map<String, String> listenerBootstrap;
    /** Replaced by {@link #restart()}; null until {@link #launch() launched} and while {@link #stop() stopped}. */
    private KafkaRaftServer server;

    private KraftBroker(int nodeId, Path logDir, KafkaConfig config, String bootstrapServers,
            Map<String, String> listenerBootstrap) {
        this.nodeId = nodeId;
        this.logDir = logDir;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.listenerBootstrap = listenerBootstrap;
    }

    /**
     * A second client listener for some clients only, advertised at another address, e.g. a
     * {@link TcpProxy} to {@code 127.0.0.1:port}: those clients then reach the broker only through
     * the proxy (Kafka answers each listener's clients with that listener's advertised address), so
     * a test can cut them off while every other client keeps its connection.
     *
     * @param name       listener name, e.g. {@code GATEWAY}
     * @param port       loopback port the broker listens on for it
     * @param advertised {@code host:port} the broker tells those clients to connect to
     */
    public record ClientListener(String name, int port, String advertised) {
    }

    /**
     * Formats a fresh log directory, starts the broker and waits until it answers.
     *
     * @param partitions default partition count of new topics
     * @param extra      broker settings on top of the single-node defaults
     */
    public static KraftBroker start(int partitions, Map<String, String> extra) {
        return start(partitions, extra, List.of());
    }

    /**
     * As {@link #start(int, Map)}, with further client listeners; see {@link ClientListener}.
     * {@link #bootstrapServers(String)} names each listener's advertised address.
     */
    public static KraftBroker start(int partitions, Map<String, String> extra, List<ClientListener> clientListeners) {
        Node node = Node.onFreePorts(0);
        Map<String, String> settings = new HashMap<>();
        // one node: every internal topic has one replica
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        settings.put("num.partitions", Integer.toString(partitions));
        settings.putAll(extra);
        KraftBroker broker = format(node, List.of(node), Uuid.randomUuid().toString(), settings, clientListeners);
        try {
            broker.launch();
            broker.awaitReady();
            return broker;
        } catch (RuntimeException | InterruptedException e) {
            broker.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Kafka broker did not start", e);
        }
    }

    /**
     * One combined broker and controller of a quorum, on loopback ports.
     *
     * @param id             node id, also its broker id
     * @param brokerPort     the PLAINTEXT client and inter-broker listener
     * @param controllerPort the CONTROLLER listener the quorum talks on
     */
    record Node(int id, int brokerPort, int controllerPort) {

        static Node onFreePorts(int id) {
            return new Node(id, FreePorts.free(), FreePorts.free());
        }

        String voter() {
            return id + "@127.0.0.1:" + controllerPort;
        }
    }

    /**
     * Formats a fresh log directory for {@code node}, one of {@code voters}, all of cluster
     * {@code clusterId}; not started yet ({@link #launch()}).
     *
     * @param settings broker settings on top of the node's own (roles, id, listeners, quorum, log dir)
     */
    static KraftBroker format(Node node, List<Node> voters, String clusterId, Map<String, String> settings,
            List<ClientListener> clientListeners) {
        Path logDir = null;
        try {
            logDir = Files.createTempDirectory("rushcoupon-kraft-" + node.id() + "-");
            StringBuilder listeners = new StringBuilder("PLAINTEXT://127.0.0.1:" + node.brokerPort());
            StringBuilder advertised = new StringBuilder("PLAINTEXT://127.0.0.1:" + node.brokerPort());
            StringBuilder protocols = new StringBuilder("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            Map<String, String> listenerBootstrap = new HashMap<>();
            for (ClientListener listener : clientListeners) {
                listeners.append(',').append(listener.name()).append("://127.0.0.1:").append(listener.port());
                advertised.append(',').append(listener.name()).append("://").append(listener.advertised());
                protocols.append(',').append(listener.name()).append(":PLAINTEXT");
                listenerBootstrap.put(listener.name(), listener.advertised());
            }
            Map<String, Object> config = new HashMap<>();
            config.put("process.roles", "broker,controller");
            config.put("node.id", Integer.toString(node.id()));
            config.put("controller.quorum.voters", String.join(",", voters.stream().map(Node::voter).toList()));
            config.put("listeners", listeners + ",CONTROLLER://127.0.0.1:" + node.controllerPort());
            config.put("advertised.listeners", advertised.toString());
            config.put("controller.listener.names", "CONTROLLER");
            config.put("inter.broker.listener.name", "PLAINTEXT");
            config.put("listener.security.protocol.map", protocols.toString());
            config.put("log.dirs", logDir.toString());
            config.put("offsets.topic.num.partitions", "4");
            config.put("group.initial.rebalance.delay.ms", "0");
            config.put("auto.create.topics.enable", "false");
            config.putAll(settings);
            KafkaConfig kafkaConfig = new KafkaConfig(config, false);

            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(node.id())
                    .setClusterId(clusterId)
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setUnstableFeatureVersionsEnabled(false)
                    .setControllerListenerName("CONTROLLER")
                    .run();
            return new KraftBroker(node.id(), logDir, kafkaConfig, "127.0.0.1:" + node.brokerPort(),
                    Map.copyOf(listenerBootstrap));
        } catch (Exception e) {
            if (logDir != null) {
                deleteTree(logDir);
            }
            throw e instanceof IOException io ? new UncheckedIOException(io)
                    : new IllegalStateException("could not format Kafka node " + node.id(), e);
        }
    }

    /**
     * Starts the server on the formatted log directory. A node of a quorum returns only once the
     * quorum has a leader, so the nodes of a cluster are launched at the same time.
     */
    synchronized void launch() {
        if (server != null) {
            return;
        }
        KafkaRaftServer started = new KafkaRaftServer(config, Time.SYSTEM);
        started.startup();
        server = started;
    }

    /** Until the broker, asked at its own address, lists itself among the cluster's live brokers. */
    void awaitReady() throws InterruptedException {
        Instant deadline = Instant.now().plus(READY);
        while (Instant.now().isBefore(deadline)) {
            try (Admin admin = admin()) {
                if (admin.describeCluster().nodes().get().stream().anyMatch(node -> node.id() == nodeId)) {
                    return;
                }
            } catch (Exception notYet) {
                // not answering yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Kafka node " + nodeId + " not ready within " + READY);
    }

    /** The node id, also the broker id topic metadata names leaders and replicas by. */
    public int nodeId() {
        return nodeId;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The advertised address of a {@link ClientListener} this broker was started with. */
    public String bootstrapServers(String listenerName) {
        String address = listenerBootstrap.get(listenerName);
        if (address == null) {
            throw new IllegalArgumentException("no client listener " + listenerName);
        }
        return address;
    }

    /**
     * Shuts the broker down (a broker outage), keeping its log directory, ports and data:
     * {@link #restart()} brings the same broker back with every topic, record and committed offset.
     * A node of a {@link KafkaCluster} stops without a controlled shutdown, as a crash would (see there).
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    /** Starts a {@link #stop() stopped} broker again on the same ports and log directory, and waits until it answers. */
    public void restart() {
        synchronized (this) {
            if (server != null) {
                return;
            }
            launch();
        }
        try {
            awaitReady();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting the Kafka broker", e);
        }
    }

    public synchronized boolean running() {
        return server != null;
    }

    public Set<String> topics() {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates those of the topics the broker does not have yet. */
    public synchronized void createTopics(NewTopic... topics) {
        Set<String> known = topics();
        List<NewTopic> missing = Arrays.stream(topics).filter(topic -> !known.contains(topic.name())).toList();
        if (missing.isEmpty()) {
            return;
        }
        try (Admin admin = admin()) {
            admin.createTopics(missing).all().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    }

    /** Stops the broker and deletes its log directory. */
    @Override
    public void close() {
        stop();
        deleteTree(logDir);
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp directory; the OS cleans it eventually
        }
    }
}
