package io.rushcoupon.testsupport;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Points a Spring test context at {@link RealServers}: PostgreSQL (this module's schema), Redis
 * (this module's database), Kafka (started only if a bean reads its address) and the test JWT
 * secret. Applied by {@link RealServerTest}.
 */
public class RealServersInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        RealServers servers = RealServers.get();
        ensureSchema(servers);
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.datasource.url", servers.schemaJdbcUrl());
        properties.put("spring.datasource.username", servers.jdbcUser());
        properties.put("spring.datasource.password", servers.jdbcPassword());
        properties.put("spring.flyway.schemas", servers.schema());
        properties.put("spring.flyway.default-schema", servers.schema());
        properties.put("spring.data.redis.host", servers.redisHost());
        properties.put("spring.data.redis.port", servers.redisPort());
        properties.put("spring.data.redis.database", servers.redisDatabase());
        properties.put("rushcoupon.jwt.secret", TestTokens.SECRET);
        // servers started for tests listen on loopback only
        properties.put("server.address", "127.0.0.1");
        // below a test's own @SpringBootTest(properties = …), so a test can still point somewhere
        // else (a closed port, a proxy); above everything else
        var sources = context.getEnvironment().getPropertySources();
        String inlined = TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME;
        for (PropertySource<?> source : List.of(new LazyKafkaPropertySource(servers),
                new MapPropertySource("rushcoupon-real-servers", properties))) {
            if (sources.contains(inlined)) {
                sources.addAfter(inlined, source);
            } else {
                sources.addFirst(source);
            }
        }
    }

    private static void ensureSchema(RealServers servers) {
        try (var connection = DriverManager.getConnection(servers.jdbcUrl(), servers.jdbcUser(), servers.jdbcPassword());
                var statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + servers.schema());
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + servers.jdbcUrl()
                    + " is not reachable; start it (see README, Prerequisites)", e);
        }
    }

    /** Starts the embedded broker only when something actually asks where Kafka is. */
    private static final class LazyKafkaPropertySource extends PropertySource<RealServers> {

        LazyKafkaPropertySource(RealServers servers) {
            super("rushcoupon-embedded-kafka", servers);
        }

        @Override
        public Object getProperty(String name) {
            if ("spring.kafka.bootstrap-servers".equals(name)) {
                return getSource().kafkaBootstrapServers();
            }
            return null;
        }
    }
}
