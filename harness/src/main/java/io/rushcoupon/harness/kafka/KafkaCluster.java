package io.rushcoupon.harness.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

import io.rushcoupon.harness.kafka.KraftBroker.ClientListener;
import io.rushcoupon.harness.kafka.KraftBroker.Node;

/**
 * The stack's Kafka: one {@link KraftBroker}, or several combined broker-and-controller nodes that
 * form one KRaft controller quorum (every node a voter), on loopback ports. With three or more
 * nodes, internal topics get three replicas and {@code min.insync.replicas=2}, unclean leader
 * election stays off, so {@code acks=all} survives the loss of one node.
 *
 * <p>A node of a cluster is {@link KraftBroker#stop() stopped} as close to {@code kill -9} as a
 * server in this JVM can be: {@code controlled.shutdown.enable=false}, so it hands no partition
 * leadership away before it goes and the controller learns of the loss only when the node's
 * heartbeats stop ({@code broker.session.timeout.ms}); its sockets close as a dead process's
 * would. What stays graceful: the log is flushed and the clean-shutdown marker written, and a
 * node that was the active controller resigns from the quorum on its way out.
 */
public final class KafkaCluster implements AutoCloseable {

    /** The controller fences a node whose heartbeats stopped after this; Kafka's default is 9 s. */
    static final Duration BROKER_SESSION = Duration.ofSeconds(4);

    private final List<KraftBroker> nodes;

    private KafkaCluster(List<KraftBroker> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Starts {@code brokers} nodes and waits until each answers.
     *
     * @param partitions      default partition count of new topics
     * @param extra           broker settings on top of the defaults, on every node
     * @param clientListeners further client listeners (see {@link ClientListener}); one node only
     */
    public static KafkaCluster start(int brokers, int partitions, Map<String, String> extra,
            List<ClientListener> clientListeners) {
        if (brokers < 1) {
            throw new IllegalArgumentException("a Kafka cluster needs a broker");
        }
        if (brokers == 1) {
            return new KafkaCluster(List.of(KraftBroker.start(partitions, extra, clientListeners)));
        }
        if (!clientListeners.isEmpty()) {
            // one advertised address per listener would send every node's clients to one proxy
            throw new IllegalArgumentException("client listeners are for a single broker only");
        }
        List<Node> voters = new ArrayList<>();
        for (int id = 0; id < brokers; id++) {
            voters.add(Node.onFreePorts(id));
        }
        String clusterId = Uuid.randomUuid().toString();
        Map<String, String> settings = clusterSettings(brokers, partitions);
        settings.putAll(extra);
        List<KraftBroker> nodes = new ArrayList<>();
        try {
            for (Node node : voters) {
                nodes.add(KraftBroker.format(node, voters, clusterId, settings, List.of()));
            }
            KafkaCluster cluster = new KafkaCluster(nodes);
            cluster.launchAll();
            return cluster;
        } catch (RuntimeException | InterruptedException e) {
            new KafkaCluster(nodes).close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Kafka cluster of " + brokers + " did not start", e);
        }
    }

    private static Map<String, String> clusterSettings(int brokers, int partitions) {
        String replicas = Integer.toString(Math.min(3, brokers));
        // two of three replicas must have a write before acks=all answers; with two nodes, one
        String minInSync = brokers >= 3 ? "2" : "1";
        Map<String, String> settings = new HashMap<>();
        settings.put("num.partitions", Integer.toString(partitions));
        settings.put("default.replication.factor", replicas);
        settings.put("min.insync.replicas", minInSync);
        settings.put("unclean.leader.election.enable", "false");
        settings.put("offsets.topic.replication.factor", replicas);
        settings.put("transaction.state.log.replication.factor", replicas);
        settings.put("transaction.state.log.min.isr", minInSync);
        settings.put("share.coordinator.state.topic.replication.factor", replicas);
        settings.put("share.coordinator.state.topic.min.isr", minInSync);
        // a stop is a crash (see the class comment); a lost node is fenced within a few seconds
        settings.put("controlled.shutdown.enable", "false");
        settings.put("broker.session.timeout.ms", Long.toString(BROKER_SESSION.toMillis()));
        settings.put("broker.heartbeat.interval.ms", "500");
        return settings;
    }

    /**
     * Every node at once: each returns from its start only once the quorum has a leader. Platform
     * threads: on virtual threads the nodes' first class initializations and JMX registrations
     * deadlocked (seen on JDK 25 with three nodes).
     */
    private void launchAll() throws InterruptedException {
        try (ExecutorService starting = Executors.newFixedThreadPool(nodes.size())) {
            List<Future<Object>> launched = nodes.stream().map(node -> starting.submit(() -> {
                node.launch();
                node.awaitReady();
                return null;
            })).toList();
            for (Future<Object> future : launched) {
                try {
                    future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        }
    }

    /** How many nodes the cluster has, running or not. */
    public int size() {
        return nodes.size();
    }

    /** The replication factor the cluster's topics should have: 3 with three nodes or more, else one per node. */
    public int replicationFactor() {
        return Math.min(3, nodes.size());
    }

    /** Every node, by node id (the id is the index). */
    public List<KraftBroker> brokers() {
        return nodes;
    }

    public KraftBroker broker(int nodeId) {
        return nodes.get(nodeId);
    }

    /** Every node's client address, comma-separated: what the services are given. */
    public String bootstrapServers() {
        return nodes.stream().map(KraftBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    /** The node that leads a partition now, as the running nodes' metadata says; empty while none does. */
    public OptionalInt leaderOf(String topic, int partition) {
        try (Admin admin = admin()) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            TopicPartitionInfo info = description.partitions().get(partition);
            return info.leader() == null || info.leader().isEmpty() ? OptionalInt.empty()
                    : OptionalInt.of(info.leader().id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + topic, e);
        } catch (Exception e) {
            throw new IllegalStateException("could not describe " + topic + " partition " + partition, e);
        }
    }

    /**
     * Waits until a running node other than {@code previous} leads the partition; empty when none
     * did within {@code timeout}.
     */
    public OptionalInt awaitLeaderOtherThan(String topic, int partition, int previous, Duration timeout)
            throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            try {
                OptionalInt leader = leaderOf(topic, partition);
                if (leader.isPresent() && leader.getAsInt() != previous && nodes.get(leader.getAsInt()).running()) {
                    return leader;
                }
            } catch (IllegalStateException notNow) {
                // metadata not available from the survivors yet
            }
            Thread.sleep(50);
        }
        return OptionalInt.empty();
    }

    /** Restarts every {@link KraftBroker#stop() stopped} node and waits until each answers. */
    public void restartStopped() {
        nodes.stream().filter(node -> !node.running()).forEach(KraftBroker::restart);
    }

    private Admin admin() {
        String running = nodes.stream().filter(KraftBroker::running).map(KraftBroker::bootstrapServers)
                .collect(Collectors.joining(","));
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, running.isEmpty() ? bootstrapServers() : running,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    }

    /** Stops every node and deletes their log directories. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (KraftBroker node : nodes.reversed()) {
            try {
                node.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
