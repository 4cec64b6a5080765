package io.rushcoupon.localstack.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import io.rushcoupon.harness.nginx.Nginx;
import io.rushcoupon.harness.process.ServiceProcess;
import io.rushcoupon.harness.redis.RedisConnection;
import io.rushcoupon.harness.servers.Endpoints;
import io.rushcoupon.harness.stack.Stack;

/**
 * What a running local stack tells the other commands ({@code token}, {@code demo},
 * {@code bench}): written by {@code up} to {@code .run/current/stack.properties}, readable by the
 * owner only because it holds the token secret.
 *
 * @param gatewayUrl          the user API: nginx when it fronts several gateways, else the one gateway
 * @param gatewayInstanceUrls each gateway itself, for its actuator and Swagger UI
 * @param nginxUrl            nginx in front of the gateways, the admin service and the wallet; {@code null} without it
 * @param walletUrl           the wallet service itself ({@code /api/v1/me/}); {@code null} in a file of a stack without one
 * @param redisClusterNodes   {@code host:port} of the Redis Cluster's nodes ({@code up --redis-cluster}); empty for one Redis
 */
public record StackInfo(
        String gatewayUrl, String adminUrl, String workerUrl, String jwtSecret, String kafkaBootstrapServers,
        String jdbcUrl, String jdbcUser, String jdbcPassword, String redisHost, int redisPort, int redisDatabase,
        List<String> gatewayInstanceUrls, String nginxUrl, String walletUrl, List<String> redisClusterNodes) {

    public StackInfo {
        gatewayInstanceUrls = List.copyOf(gatewayInstanceUrls);
        redisClusterNodes = List.copyOf(redisClusterNodes);
    }

    /** One Redis server. */
    public StackInfo(String gatewayUrl, String adminUrl, String workerUrl, String jwtSecret,
            String kafkaBootstrapServers, String jdbcUrl, String jdbcUser, String jdbcPassword, String redisHost,
            int redisPort, int redisDatabase, List<String> gatewayInstanceUrls, String nginxUrl, String walletUrl) {
        this(gatewayUrl, adminUrl, workerUrl, jwtSecret, kafkaBootstrapServers, jdbcUrl, jdbcUser, jdbcPassword,
                redisHost, redisPort, redisDatabase, gatewayInstanceUrls, nginxUrl, walletUrl, List.of());
    }

    /** One gateway, no nginx and no wallet. */
    public StackInfo(String gatewayUrl, String adminUrl, String workerUrl, String jwtSecret,
            String kafkaBootstrapServers, String jdbcUrl, String jdbcUser, String jdbcPassword, String redisHost,
            int redisPort, int redisDatabase) {
        this(gatewayUrl, adminUrl, workerUrl, jwtSecret, kafkaBootstrapServers, jdbcUrl, jdbcUser, jdbcPassword,
                redisHost, redisPort, redisDatabase, List.of(gatewayUrl), null, null);
    }

    /** What a running stack tells: with nginx, its address is the user API's. */
    public static StackInfo of(Stack stack) {
        Endpoints endpoints = stack.endpoints();
        return new StackInfo(stack.userApiUrl(), stack.admin().orElseThrow().baseUrl(), stack.worker().baseUrl(),
                stack.secret(), stack.kafkaBootstrapServers(), endpoints.jdbcUrl(), endpoints.jdbcUser(),
                endpoints.jdbcPassword(), endpoints.redisHost(), endpoints.redisPort(), endpoints.redisDatabase(),
                stack.gateways().stream().map(ServiceProcess::baseUrl).toList(),
                stack.nginx().map(Nginx::baseUrl).orElse(null), stack.wallet().map(ServiceProcess::baseUrl).orElse(null),
                endpoints.redisClusterNodes());
    }

    public static final Path RUNS = Path.of(".run");
    public static final Path CURRENT = RUNS.resolve("current");
    private static final String FILE = "stack.properties";

    /** A Redis client on the stack's Redis (its cluster, with {@code up --redis-cluster}), for checks from outside. */
    public RedisConnection redis() {
        return redisClusterNodes.isEmpty() ? new RedisConnection(redisHost, redisPort, redisDatabase)
                : new RedisConnection(redisClusterNodes);
    }

    /** A JDBC client on the stack's database, for checks from outside the services. */
    public JdbcClient jdbc() {
        return JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(), jdbcUrl, jdbcUser, jdbcPassword));
    }

    public void write(Path runFolder) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("gatewayUrl", gatewayUrl);
        properties.setProperty("adminUrl", adminUrl);
        properties.setProperty("workerUrl", workerUrl);
        properties.setProperty("jwtSecret", jwtSecret);
        properties.setProperty("kafkaBootstrapServers", kafkaBootstrapServers);
        properties.setProperty("jdbcUrl", jdbcUrl);
        properties.setProperty("jdbcUser", jdbcUser);
        properties.setProperty("jdbcPassword", jdbcPassword);
        properties.setProperty("redisHost", redisHost);
        properties.setProperty("redisPort", Integer.toString(redisPort));
        properties.setProperty("redisDatabase", Integer.toString(redisDatabase));
        properties.setProperty("gatewayInstanceUrls", String.join(",", gatewayInstanceUrls));
        if (nginxUrl != null) {
            properties.setProperty("nginxUrl", nginxUrl);
        }
        if (walletUrl != null) {
            properties.setProperty("walletUrl", walletUrl);
        }
        if (!redisClusterNodes.isEmpty()) {
            properties.setProperty("redisClusterNodes", String.join(",", redisClusterNodes));
        }
        Path file = runFolder.resolve(FILE);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer writer = Files.newBufferedWriter(file)) {
            properties.store(writer, "RushCoupon local stack; removed when the stack stops");
        }
    }

    /** The running stack's info, or a sentence saying to start one. */
    public static StackInfo readCurrent() throws IOException {
        Path file = CURRENT.resolve(FILE);
        if (!Files.exists(file)) {
            throw new IllegalStateException("No local stack is running: start one with ./rushcoupon up");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        String gatewayUrl = properties.getProperty("gatewayUrl");
        // a file written before there were several gateways has neither of the last two
        List<String> instances = Arrays.stream(properties.getProperty("gatewayInstanceUrls", gatewayUrl).split(","))
                .filter(url -> !url.isBlank()).toList();
        return new StackInfo(gatewayUrl, properties.getProperty("adminUrl"),
                properties.getProperty("workerUrl"), properties.getProperty("jwtSecret"),
                properties.getProperty("kafkaBootstrapServers"), properties.getProperty("jdbcUrl"),
                properties.getProperty("jdbcUser"), properties.getProperty("jdbcPassword"),
                properties.getProperty("redisHost"), Integer.parseInt(properties.getProperty("redisPort")),
                Integer.parseInt(properties.getProperty("redisDatabase")), instances,
                properties.getProperty("nginxUrl"), properties.getProperty("walletUrl"),
                Arrays.stream(properties.getProperty("redisClusterNodes", "").split(","))
                        .filter(node -> !node.isBlank()).toList());
    }
}
