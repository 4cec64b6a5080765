package io.rushcoupon.harness.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;

import org.testcontainers.postgresql.PostgreSQLContainer;

import com.redis.testcontainers.RedisContainer;

import io.rushcoupon.harness.host.FreePorts;
import io.rushcoupon.harness.redis.RedisServerProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Finds or starts PostgreSQL and Redis for the local stack, in this order: the machine's own
 * servers when they answer on their standard ports; containers when a Docker engine answers;
 * Debian's {@code redis-server} as a child process ({@link RedisServerProcess}) and an embedded
 * PostgreSQL (which refuses to run as root). Closing stops whatever it started, and only that.
 */
public final class LocalServers implements AutoCloseable {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final String database;
    private final int redisDatabase;
    private final Path logs;

    /**
     * @param database      PostgreSQL database to use (created when missing)
     * @param redisDatabase Redis database number on a shared server
     * @param logs          folder for the log of a Redis started here
     */
    public LocalServers(String database, int redisDatabase, Path logs) {
        if (!database.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name must be lower-case letters, digits and _");
        }
        this.database = database;
        this.redisDatabase = redisDatabase;
        this.logs = logs;
    }

    public Endpoints start() throws Exception {
        Postgres postgres = postgres();
        Redis redis = redis();
        return new Endpoints(postgres.url(), postgres.user(), postgres.password(), postgres.origin(),
                redis.host(), redis.port(), redis.database(), redis.origin());
    }

    private record Postgres(String url, String user, String password, String origin) {
    }

    private record Redis(String host, int port, int database, String origin) {
    }

    /** Drops and recreates the database: a benchmark starts from nothing. */
    public static void recreateDatabase(Endpoints endpoints, String database) throws SQLException {
        String adminUrl = endpoints.jdbcUrl().replaceFirst("/" + database + "(\\?|$)", "/postgres$1");
        try (var connection = DriverManager.getConnection(adminUrl, endpoints.jdbcUser(), endpoints.jdbcPassword());
                var statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + database);
        }
    }

    private Postgres postgres() throws Exception {
        String host = env("RUSHCOUPON_PG_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("RUSHCOUPON_PG_PORT", "5432"));
        String user = env("RUSHCOUPON_PG_USER", "postgres");
        String password = env("RUSHCOUPON_PG_PASSWORD", "");
        if (listening(host, port)) {
            String server = "jdbc:postgresql://" + host + ":" + port + "/";
            createDatabaseIfMissing(server + "postgres", user, password);
            return new Postgres(server + database, user, password, "local server " + host + ":" + port);
        }
        if (Docker.available()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine").withDatabaseName(database);
            container.start();
            started.push(container::stop);
            return new Postgres(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                    "container " + container.getDockerImageName());
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().setPort(FreePorts.free()).start();
            started.push(embedded);
            String url = embedded.getJdbcUrl("postgres", "postgres");
            createDatabaseIfMissing(url, "postgres", "");
            return new Postgres(url.replace("/postgres?", "/" + database + "?"), "postgres", "",
                    "embedded PostgreSQL on port " + embedded.getPort());
        }
        throw new IllegalStateException("No PostgreSQL: install PostgreSQL 15 (apt-get install postgresql) and start it"
                + " on 127.0.0.1:5432, or start a Docker engine, or run as a non-root user for an embedded PostgreSQL.");
    }

    private Redis redis() {
        String host = env("RUSHCOUPON_REDIS_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("RUSHCOUPON_REDIS_PORT", "6379"));
        if (redisAnswers(host, port)) {
            return new Redis(host, port, redisDatabase, "local server " + host + ":" + port);
        }
        if (Docker.available()) {
            RedisContainer container = new RedisContainer("redis:7.2-alpine");
            container.start();
            started.push(container::stop);
            return new Redis(container.getHost(), container.getFirstMappedPort(), 0,
                    "container " + container.getDockerImageName());
        }
        RedisServerProcess process = RedisServerProcess.start(logs.resolve("redis.log"));
        started.push(process);
        return new Redis(process.host(), process.port(), 0, "redis-server on port " + process.port());
    }

    private void createDatabaseIfMissing(String adminUrl, String user, String password) throws SQLException {
        try (var connection = DriverManager.getConnection(adminUrl, user, password);
                var statement = connection.createStatement();
                var exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
            if (!exists.next()) {
                statement.execute("CREATE DATABASE " + database);
            }
        }
    }

    private static boolean listening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean redisAnswers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(5);
            return "+PONG".equals(new String(reply, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("could not stop a server: " + e.getMessage());
            }
        }
    }
}
