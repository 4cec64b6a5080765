package io.rushcoupon.localstack.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * What a running local stack tells the other commands ({@code token}, {@code demo},
 * {@code bench}): written by {@code up} to {@code .run/current/stack.properties}, readable by the
 * owner only because it holds the token secret.
 */
public record StackInfo(
        String gatewayUrl, String adminUrl, String workerUrl, String jwtSecret, String kafkaBootstrapServers,
        String jdbcUrl, String jdbcUser, String jdbcPassword, String redisHost, int redisPort, int redisDatabase) {

    public static final Path RUNS = Path.of(".run");
    public static final Path CURRENT = RUNS.resolve("current");
    private static final String FILE = "stack.properties";

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
        return new StackInfo(properties.getProperty("gatewayUrl"), properties.getProperty("adminUrl"),
                properties.getProperty("workerUrl"), properties.getProperty("jwtSecret"),
                properties.getProperty("kafkaBootstrapServers"), properties.getProperty("jdbcUrl"),
                properties.getProperty("jdbcUser"), properties.getProperty("jdbcPassword"),
                properties.getProperty("redisHost"), Integer.parseInt(properties.getProperty("redisPort")),
                Integer.parseInt(properties.getProperty("redisDatabase")));
    }
}
