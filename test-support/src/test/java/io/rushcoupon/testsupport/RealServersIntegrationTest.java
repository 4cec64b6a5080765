package io.rushcoupon.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import io.rushcoupon.harness.servers.Docker;

/** The servers integration tests rely on are real and reachable. */
class RealServersIntegrationTest {

    private final RealServers servers = RealServers.get();

    @Test
    void postgresAnswersInTheModulesOwnSchema() throws Exception {
        try (var connection = DriverManager.getConnection(servers.jdbcUrl(), servers.jdbcUser(), servers.jdbcPassword());
                var statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + servers.schema());
        }
        try (var connection = DriverManager.getConnection(servers.schemaJdbcUrl(), servers.jdbcUser(),
                servers.jdbcPassword()); var result = connection.createStatement().executeQuery("SELECT current_schema()")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).isEqualTo("it_test_support");
        }
    }

    @Test
    void kafkaIsARealBrokerThatCreatesTopics() throws Exception {
        servers.createTopics(new NewTopic("real-servers-check", 2, (short) 1));

        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers.kafkaBootstrapServers()))) {
            var description = admin.describeTopics(List.of("real-servers-check")).allTopicNames()
                    .get().get("real-servers-check");
            assertThat(description.partitions()).hasSize(2);
            assertThat(admin.describeCluster().nodes().get()).hasSize(1);
        }
        assertThat(servers.kafkaBootstrapServers()).matches("(localhost|127\\.0\\.0\\.1):\\d+");
    }

    @Test
    void kafkaListensOnLoopbackOnly() throws Exception {
        int port = Integer.parseInt(servers.kafkaBootstrapServers().replaceFirst(".*:", ""));
        var outside = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .filter(nic -> !nic.getName().startsWith("lo"))
                .flatMap(nic -> java.util.Collections.list(nic.getInetAddresses()).stream())
                .filter(address -> address instanceof java.net.Inet4Address)
                .toList();
        for (var address : outside) {
            try (var socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(address, port), 500);
                throw new AssertionError("the broker answers on " + address + ":" + port);
            } catch (java.io.IOException expected) {
                // refused: not listening there
            }
        }
    }

    @Test
    void usesContainersExactlyWhenADockerEngineAnswersAndTheLocalServersOtherwise() {
        assertThat(servers.containers()).isEqualTo(Docker.available());
        if (!servers.containers()) {
            String url = System.getenv("RUSHCOUPON_TEST_PG_URL");
            assertThat(servers.jdbcUrl()).isEqualTo(url == null || url.isBlank()
                    ? "jdbc:postgresql://127.0.0.1:5432/test" : url);
        }
    }

    @Test
    void usesTheRedisDatabaseThisModulesPomSets() {
        // test-support/pom.xml: rushcoupon.test.redis-database 5, passed on by the root pom's Failsafe
        assertThat(servers.redisDatabase()).isEqualTo(5);
    }
}
