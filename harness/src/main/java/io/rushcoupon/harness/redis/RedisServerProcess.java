package io.rushcoupon.harness.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.rushcoupon.harness.host.FreePorts;
import io.rushcoupon.harness.host.HostTools;

/**
 * A Redis server of a test's own: {@code redis-server} run as a child process on a free loopback
 * port, without persistence, so a test can kill it ({@code kill -9}) and start it again empty
 * — as a Redis without AOF comes back after a crash — without touching the machine's shared Redis.
 * The binary is Debian's package, found on the PATH ({@link HostTools}; {@code infra/install-tools.sh}
 * installs it).
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(20);

    private final Path binary;
    private final int port;
    private final Path log;
    private final List<String> extraArguments;
    private Process process;

    private RedisServerProcess(Path binary, int port, Path log, List<String> extraArguments) {
        this.binary = binary;
        this.port = port;
        this.log = log;
        this.extraArguments = List.copyOf(extraArguments);
    }

    /**
     * Starts an empty Redis on a free loopback port and waits until it answers PING.
     *
     * @param log file the server's output is appended to
     */
    public static RedisServerProcess start(Path log) {
        RedisServerProcess redis = new RedisServerProcess(HostTools.require("redis-server"), FreePorts.free(), log,
                List.of());
        redis.launch();
        return redis;
    }

    /**
     * One node of a Redis Cluster ({@link RedisClusterProcess}) on {@code port}, its cluster bus on
     * {@code port + 10000}, its node table in {@code nodes-<port>.conf} next to the log, so a node
     * killed and started again rejoins the cluster (empty, it resyncs from its master).
     *
     * @param nodeTimeout how long a master may be unreachable before its replica is promoted
     */
    static RedisServerProcess startClusterNode(int port, Path log, Duration nodeTimeout) {
        RedisServerProcess node = new RedisServerProcess(HostTools.require("redis-server"), port, log,
                List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
                        "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis())));
        node.launch();
        return node;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** {@code kill -9}: the data set is gone, clients see their connections drop. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Starts a killed server again on the same port, empty. */
    public synchronized void restartEmpty() {
        if (running()) {
            return;
        }
        launch();
    }

    private synchronized void launch() {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            // no RDB, no AOF: a restart is empty; loopback only; no protected mode needed on 127.0.0.1
            List<String> command = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                    "--dir", log.toAbsolutePath().getParent().toString(), "--dbfilename", "redis-" + port + ".rdb"));
            command.addAll(extraArguments);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + binary, e);
        }
        awaitPong();
    }

    private void awaitPong() {
        Instant deadline = Instant.now().plus(READY);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited with " + process.exitValue()
                        + "; see " + log.toAbsolutePath());
            }
            if (answersPing()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting redis-server", e);
            }
        }
        throw new IllegalStateException("redis-server on port " + port + " not answering within " + READY);
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host(), port), 500);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() {
        kill();
    }
}
