package io.rushcoupon.harness.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.rushcoupon.harness.host.HostTools;

/**
 * A Redis Cluster of the harness's own: six {@code redis-server --cluster-enabled yes} processes on
 * 127.0.0.1 (three masters, one replica each), joined by {@code redis-cli --cluster create}. No
 * persistence: a node killed and started again comes back empty and resyncs from the master of its
 * slots, so killing a master loses whatever its replica had not received yet (asynchronous
 * replication; docs/reliability.md F8). Closing stops every node.
 */
public final class RedisClusterProcess implements AutoCloseable {

    /** Masters; each gets one replica. */
    public static final int MASTERS = 3;
    public static final int NODES = MASTERS * 2;
    public static final int SLOTS = 16_384;
    /** The cluster bus listens this far above each node's port (Redis's fixed offset). */
    private static final int BUS_OFFSET = 10_000;
    private static final Duration READY = Duration.ofSeconds(60);

    /** One node as {@code CLUSTER NODES} lists it. */
    public record Node(String id, int port, boolean master, boolean failed, String masterId, List<int[]> slots) {

        public boolean owns(int slot) {
            return slots.stream().anyMatch(range -> slot >= range[0] && slot <= range[1]);
        }

        public String address() {
            return "127.0.0.1:" + port;
        }
    }

    private final Path redisCli;
    private final List<RedisServerProcess> nodes = new ArrayList<>();
    private final Duration nodeTimeout;

    private RedisClusterProcess(Path redisCli, Duration nodeTimeout) {
        this.redisCli = redisCli;
        this.nodeTimeout = nodeTimeout;
    }

    /**
     * Starts six nodes on {@code ports} (six of them; empty: free ones whose bus ports are free too),
     * creates the cluster and waits until every node reports it ok with every replica in sync.
     *
     * @param logs        folder for each node's log and node table (old tables there are removed)
     * @param nodeTimeout {@code cluster-node-timeout}: how long a master may be unreachable before
     *                    its replica takes over
     */
    public static RedisClusterProcess start(List<Integer> ports, Path logs, Duration nodeTimeout) {
        List<Integer> chosen = ports.isEmpty() ? freePorts() : List.copyOf(ports);
        if (chosen.size() != NODES) {
            throw new IllegalArgumentException("a cluster of " + MASTERS + " masters and their replicas needs "
                    + NODES + " ports, not " + chosen.size());
        }
        RedisClusterProcess cluster = new RedisClusterProcess(HostTools.require("redis-cli"), nodeTimeout);
        try {
            Files.createDirectories(logs);
            for (int port : chosen) {
                // a node table of an earlier run would make the node rejoin a cluster that is gone
                Files.deleteIfExists(logs.toAbsolutePath().resolve("nodes-" + port + ".conf"));
                cluster.nodes.add(RedisServerProcess.startClusterNode(port, logs.resolve("redis-" + port + ".log"),
                        nodeTimeout));
            }
            cluster.create();
            cluster.awaitHealthy();
            return cluster;
        } catch (IOException e) {
            cluster.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Six ports p, each with p + 10000 free too (the cluster bus), below 55536. */
    private static List<Integer> freePorts() {
        List<Integer> ports = new ArrayList<>();
        while (ports.size() < NODES) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 45_000);
            if (!ports.contains(port) && free(port) && free(port + BUS_OFFSET)) {
                ports.add(port);
            }
        }
        return ports;
    }

    private static boolean free(int port) {
        try (var socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private void create() {
        List<String> command = new ArrayList<>(List.of("--cluster", "create"));
        nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
        command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        String output = cli(nodes.getFirst().port(), command.toArray(String[]::new));
        if (!output.contains("[OK] All " + SLOTS + " slots covered")) {
            throw new IllegalStateException("redis-cli --cluster create did not cover every slot:\n" + output);
        }
    }

    /** Every node's port, in start order. */
    public List<Integer> ports() {
        return nodes.stream().map(RedisServerProcess::port).toList();
    }

    /** {@code host:port,…} of every node, as {@code spring.data.redis.cluster.nodes} takes it. */
    public String nodeAddresses() {
        return String.join(",", nodes.stream().map(node -> node.host() + ":" + node.port()).toList());
    }

    /** The process on {@code port}, to kill or start again. */
    public RedisServerProcess node(int port) {
        return nodes.stream().filter(node -> node.port() == port).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node of this cluster on port " + port));
    }

    /** The cluster as a running node sees it. */
    public List<Node> topology() {
        return parseNodes(cli(anyRunningPort(), "cluster", "nodes"));
    }

    /** The slot of {@code key} as the cluster computes it (CLUSTER KEYSLOT). */
    public int slotOf(String key) {
        return Integer.parseInt(cli(anyRunningPort(), "cluster", "keyslot", key).strip());
    }

    /**
     * The slot of {@code key} computed here, as Redis does: CRC16 (XMODEM) of the hash tag (the text
     * between the first {@code {} and the next {@code }}, when not empty), else of the whole key, mod 16384.
     */
    public static int keySlot(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int start = 0;
        int end = bytes.length;
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                start = key.substring(0, open + 1).getBytes(StandardCharsets.UTF_8).length;
                end = key.substring(0, close).getBytes(StandardCharsets.UTF_8).length;
            }
        }
        int crc = 0;
        for (int i = start; i < end; i++) {
            crc ^= (bytes[i] & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xffff;
        }
        return crc % SLOTS;
    }

    /** The master serving {@code key}'s slot right now, as a running node sees it. */
    public Node masterOf(String key) {
        int slot = slotOf(key);
        return topology().stream().filter(node -> node.master() && !node.failed() && node.owns(slot)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no live master serves slot " + slot));
    }

    /** How many of {@code keys} each master (by port) serves: the spread of coupons over the masters. */
    public Map<Integer, Integer> spread(List<String> keys) {
        List<Node> masters = topology().stream().filter(node -> node.master() && !node.failed()).toList();
        Map<Integer, Integer> spread = new TreeMap<>();
        masters.forEach(master -> spread.put(master.port(), 0));
        for (String key : keys) {
            int slot = keySlot(key);
            masters.stream().filter(master -> master.owns(slot)).findFirst()
                    .ifPresent(master -> spread.merge(master.port(), 1, Integer::sum));
        }
        return spread;
    }

    /** {@code kill -9} of the node on {@code port}; its data set is gone. */
    public void kill(int port) {
        node(port).kill();
    }

    /**
     * Waits until a node other than {@code killedPort} serves {@code key}'s slot as master and the
     * cluster reports ok again: the replica was promoted.
     *
     * @return the new master
     */
    public Node awaitFailover(String key, int killedPort) {
        int slot = slotOf(key);
        Duration wait = nodeTimeout.multipliedBy(10).plus(READY);
        Instant deadline = Instant.now().plus(wait);
        while (Instant.now().isBefore(deadline)) {
            Optional<Node> master = topology().stream()
                    .filter(node -> node.master() && !node.failed() && node.port() != killedPort && node.owns(slot))
                    .findFirst();
            if (master.isPresent() && clusterOk(master.get().port())) {
                return master.get();
            }
            pause();
        }
        throw new IllegalStateException("no replica took over slot " + slot + " within " + wait);
    }

    /**
     * Starts every killed node again, empty (it rejoins as a replica of the master that took over its
     * slots), and waits until the cluster is whole: every node ok, every replica in sync.
     */
    public void heal() {
        boolean restarted = false;
        for (RedisServerProcess node : nodes) {
            if (!node.running()) {
                node.restartEmpty();
                restarted = true;
            }
        }
        if (restarted) {
            awaitHealthy();
        }
    }

    private void awaitHealthy() {
        Instant deadline = Instant.now().plus(READY);
        while (Instant.now().isBefore(deadline)) {
            if (healthy()) {
                return;
            }
            pause();
        }
        throw new IllegalStateException("the Redis Cluster on ports " + ports() + " did not become ok within "
                + READY + ":\n" + cli(anyRunningPort(), "cluster", "nodes"));
    }

    /** Every node ok and knowing all six, three masters with all slots, each replica's link up. */
    private boolean healthy() {
        for (RedisServerProcess node : nodes) {
            if (!clusterOk(node.port())) {
                return false;
            }
        }
        List<Node> topology = topology();
        long masters = topology.stream().filter(node -> node.master() && !node.failed() && !node.slots().isEmpty())
                .count();
        if (topology.size() != NODES || masters != MASTERS) {
            return false;
        }
        for (Node node : topology) {
            if (!node.master() && !cli(node.port(), "info", "replication").contains("master_link_status:up")) {
                return false;
            }
        }
        return true;
    }

    private boolean clusterOk(int port) {
        String info = cli(port, "cluster", "info");
        return info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:" + SLOTS)
                && info.contains("cluster_known_nodes:" + NODES);
    }

    private int anyRunningPort() {
        return nodes.stream().filter(RedisServerProcess::running).findFirst()
                .orElseThrow(() -> new IllegalStateException("no node of the cluster is running")).port();
    }

    /** Lines of {@code CLUSTER NODES}: id, address, flags, master id, pings, epoch, link, slots… */
    static List<Node> parseNodes(String clusterNodes) {
        List<Node> parsed = new ArrayList<>();
        for (String line : clusterNodes.strip().split("\n")) {
            String[] fields = line.strip().split(" ");
            if (fields.length < 8) {
                continue;
            }
            String address = fields[1].split("@")[0];
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            List<String> flags = Arrays.asList(fields[2].split(","));
            List<int[]> slots = new ArrayList<>();
            for (int i = 8; i < fields.length; i++) {
                if (fields[i].startsWith("[")) {
                    continue; // a slot being migrated
                }
                String[] range = fields[i].split("-");
                int from = Integer.parseInt(range[0]);
                slots.add(new int[] {from, range.length > 1 ? Integer.parseInt(range[1]) : from});
            }
            parsed.add(new Node(fields[0], port, flags.contains("master"), flags.contains("fail"), fields[3], slots));
        }
        return parsed;
    }

    private String cli(int port, String... arguments) {
        List<String> command = new ArrayList<>(List.of(redisCli.toString(), "-h", "127.0.0.1", "-p",
                Integer.toString(port)));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end");
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + redisCli, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running redis-cli", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Redis Cluster", e);
        }
    }

    /** {@code kill -9} of every node (nothing is persisted, so there is nothing to flush). */
    public void kill() {
        nodes.forEach(RedisServerProcess::kill);
    }

    @Override
    public void close() {
        kill();
    }
}
