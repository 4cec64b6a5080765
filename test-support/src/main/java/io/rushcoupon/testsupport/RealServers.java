package io.rushcoupon.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.NewTopic;
import org.testcontainers.postgresql.PostgreSQLContainer;

import com.redis.testcontainers.RedisContainer;

import io.rushcoupon.harness.kafka.KraftBroker;
import io.rushcoupon.harness.servers.Docker;

/**
 * The real servers integration tests talk to, decided once per test JVM: Testcontainers when a
 * Docker engine answers, otherwise the machine's own PostgreSQL and Redis (overridable with
 * {@code RUSHCOUPON_TEST_PG_URL}, {@code RUSHCOUPON_TEST_PG_USER}, {@code RUSHCOUPON_TEST_REDIS_HOST},
 * {@code RUSHCOUPON_TEST_REDIS_PORT}). Kafka is always a real in-process KRaft broker, started the
 * first time a test asks for it.
 *
 * <p>Each Maven module gets its own PostgreSQL schema and Redis database, so modules can run their
 * suites side by side on the same servers; tests clean their own rows and keys. Which module this
 * is, and its Redis database, come from the build: the root pom passes the module's
 * {@code rushcoupon.test.module} and {@code rushcoupon.test.redis-database} to Surefire and Failsafe
 * as system properties (docs/testing.md).
 */
public final class RealServers {

    /** The one instance per test JVM; JUnit and Spring share it through this holder. */
    private static final RealServers INSTANCE = new RealServers();

    private static final String MODULE_PROPERTY = "rushcoupon.test.module";
    private static final String REDIS_DATABASE_PROPERTY = "rushcoupon.test.redis-database";

    private final boolean docker;
    private final String module;
    private final Map<String, Object> lazy = new ConcurrentHashMap<>();

    private RealServers() {
        this.docker = Docker.available();
        this.module = buildProperty(MODULE_PROPERTY);
        if (!docker) {
            holdModuleLock();
        }
    }

    /**
     * Two test JVMs of the same module (two checkouts built at once on one machine) would share
     * this module's schema and Redis database and wipe each other's data. The second waits for the
     * first: an exclusive lock on a file per module, held until this JVM exits.
     */
    private void holdModuleLock() {
        Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "rushcoupon-tests-" + module + ".lock");
        try {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                System.out.println("Waiting for another test run of " + module + " on this machine (" + lockFile + ")");
                lock = channel.lock();
            }
            lazy.put("module lock", lock);
        } catch (IOException e) {
            throw new UncheckedIOException("could not lock " + lockFile, e);
        }
    }

    public static RealServers get() {
        return INSTANCE;
    }

    /** {@code true} when the servers are Testcontainers, {@code false} for the local servers. */
    public boolean containers() {
        return docker;
    }

    /** The PostgreSQL schema of this module's tests, e.g. {@code it_admin_service}. */
    public String schema() {
        return "it_" + module.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
    }

    /** This module's Redis database, as its pom sets {@code rushcoupon.test.redis-database}. */
    public int redisDatabase() {
        String database = buildProperty(REDIS_DATABASE_PROPERTY);
        try {
            return Integer.parseInt(database);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(REDIS_DATABASE_PROPERTY + " is '" + database
                    + "', not a Redis database number; set it in " + module + "/pom.xml", e);
        }
    }

    /** A value the build gives the test JVM; missing means the test runs outside the project's build. */
    private static String buildProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + name + " is not set. The build sets it: the"
                    + " module's pom declares <" + name + "> and the root pom passes it to Surefire and Failsafe"
                    + " (docs/testing.md). Run the test through ./mvnw, or give the test JVM -D" + name + "=...");
        }
        return value;
    }

    /** JDBC URL of the shared database, without schema selection. */
    public String jdbcUrl() {
        if (docker) {
            return postgresContainer().getJdbcUrl();
        }
        return env("RUSHCOUPON_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    }

    /** JDBC URL whose connections work in this module's schema. */
    public String schemaJdbcUrl() {
        String url = jdbcUrl();
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema();
    }

    public String jdbcUser() {
        return docker ? postgresContainer().getUsername() : env("RUSHCOUPON_TEST_PG_USER", "postgres");
    }

    public String jdbcPassword() {
        return docker ? postgresContainer().getPassword() : env("RUSHCOUPON_TEST_PG_PASSWORD", "");
    }

    public String redisHost() {
        return docker ? redisContainer().getHost() : env("RUSHCOUPON_TEST_REDIS_HOST", "127.0.0.1");
    }

    public int redisPort() {
        return docker ? redisContainer().getFirstMappedPort()
                : Integer.parseInt(env("RUSHCOUPON_TEST_REDIS_PORT", "6379"));
    }

    /** The in-process KRaft broker's bootstrap servers, starting it on first use. */
    public String kafkaBootstrapServers() {
        return kafka().bootstrapServers();
    }

    public KraftBroker kafka() {
        return once("kafka", () -> {
            KraftBroker broker = KraftBroker.start(4, Map.of());
            // the broker lives as long as the test JVM
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-stop"));
            return broker;
        });
    }

    /** Creates those of the topics the embedded broker does not have yet. */
    public void createTopics(NewTopic... topics) {
        kafka().createTopics(topics);
    }

    private PostgreSQLContainer postgresContainer() {
        return once("postgres", () -> {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
            container.start();
            return container;
        });
    }

    private RedisContainer redisContainer() {
        return once("redis", () -> {
            RedisContainer container = new RedisContainer("redis:7.2-alpine");
            container.start();
            return container;
        });
    }

    @SuppressWarnings("unchecked")
    private <T> T once(String name, Supplier<T> start) {
        return (T) lazy.computeIfAbsent(name, key -> start.get());
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
