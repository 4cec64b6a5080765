package io.rushcoupon.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.rushcoupon.harness.host.HostTools;

/**
 * docker-compose.cluster.yml merged onto docker-compose.yml as {@code docker compose -f … -f …}
 * merges them (mappings key by key, the overlay's values winning): three brokers in one KRaft
 * quorum with replication 3 and min.insync.replicas 2, a Redis Cluster of six nodes, and every
 * service that talks to Redis or Kafka pointed at all of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposeClusterFileTest {

    private static final Path ROOT = HostTools.projectRoot();
    private static final List<String> BROKERS = List.of("kafka", "kafka-2", "kafka-3");
    private static final List<String> REDIS_NODES = IntStream.rangeClosed(1, 6).mapToObj(n -> "redis-node-" + n).toList();

    private Map<String, Object> base;
    private Map<String, Object> overlay;
    private Map<String, Map<String, Object>> services;

    @BeforeAll
    void merge() {
        base = Yamls.loadMap(ROOT.resolve("docker-compose.yml"));
        overlay = Yamls.loadMap(ROOT.resolve("docker-compose.cluster.yml"));
        Map<String, Object> merged = merged(base, overlay);
        services = new TreeMap<>();
        Yamls.map(merged.get("services")).forEach((name, service) -> services.put(name, Yamls.map(service)));
    }

    @Test
    void threeBrokersFormOneQuorumAndReplicateEveryTopicThreeTimes() {
        String voters = BROKERS.stream().map(broker -> (BROKERS.indexOf(broker) + 1) + "@" + broker + ":9093")
                .collect(Collectors.joining(","));
        Set<Object> clusterIds = new TreeSet<>();
        for (String broker : BROKERS) {
            Map<String, Object> environment = environment(broker);
            clusterIds.add(environment.get("CLUSTER_ID"));
            assertThat(environment).as(broker)
                    .containsEntry("KAFKA_NODE_ID", Integer.toString(BROKERS.indexOf(broker) + 1))
                    .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                    .containsEntry("KAFKA_CONTROLLER_QUORUM_VOTERS", voters)
                    .containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
                    .containsEntry("KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE", "false")
                    .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3");
            assertThat(String.valueOf(environment.get("KAFKA_ADVERTISED_LISTENERS"))).contains("PLAINTEXT://" + broker + ":9092");
            assertThat(services.get(broker).get("image")).isEqualTo(services.get("kafka").get("image"));
        }
        assertThat(clusterIds).as("one cluster").hasSize(1);
        assertThat(environment("issuance-worker")).containsEntry("RUSHCOUPON_WORKER_REPLICATION", "3");
    }

    @Test
    void sixRedisNodesAreJoinedIntoThreeMastersWithAReplicaEach() {
        for (String node : REDIS_NODES) {
            Map<String, Object> service = services.get(node);
            assertThat(service).as(node).isNotNull();
            assertThat(service.get("image")).isEqualTo(services.get("redis").get("image"));
            assertThat(String.join(" ", Yamls.list(service.get("command")).stream().map(String::valueOf).toList()))
                    .contains("--cluster-enabled yes");
        }
        Map<String, Object> create = services.get("redis-cluster");
        String command = String.join(" ", Yamls.list(create.get("command")).stream().map(String::valueOf).toList());
        assertThat(command).contains("--cluster create").contains("--cluster-replicas 1").contains("for n in 1 2 3 4 5 6");
        assertThat(Yamls.map(create.get("depends_on"))).containsOnlyKeys(REDIS_NODES.toArray(String[]::new));
        Yamls.map(create.get("depends_on")).values()
                .forEach(condition -> assertThat(Yamls.at(condition, "condition")).isEqualTo("service_healthy"));
    }

    @Test
    void everyServiceOnRedisOrKafkaTalksToTheWholeClusterOnceItIsReady() {
        String nodes = REDIS_NODES.stream().map(node -> node + ":6379").collect(Collectors.joining(","));
        String brokers = BROKERS.stream().map(broker -> broker + ":9092").collect(Collectors.joining(","));
        List<String> problems = new ArrayList<>();
        services.forEach((name, service) -> {
            Map<String, Object> baseEnvironment = Yamls.map(Yamls.at(base, "services", name, "environment"));
            Map<String, Object> environment = environment(name);
            Map<String, Object> dependsOn = Yamls.map(service.get("depends_on"));
            if (baseEnvironment.containsKey("SPRING_DATA_REDIS_HOST")) {
                if (!nodes.equals(environment.get("SPRING_DATA_REDIS_CLUSTER_NODES"))) {
                    problems.add(name + " is not given the six Redis nodes");
                }
                if (!"service_completed_successfully".equals(Yamls.at(dependsOn, "redis-cluster", "condition"))) {
                    problems.add(name + " does not wait for the Redis Cluster to be created");
                }
            }
            if (baseEnvironment.containsKey("SPRING_KAFKA_BOOTSTRAP_SERVERS")) {
                if (!brokers.equals(environment.get("SPRING_KAFKA_BOOTSTRAP_SERVERS"))) {
                    problems.add(name + " is not given the three brokers");
                }
                BROKERS.stream().filter(broker -> !"service_healthy".equals(Yamls.at(dependsOn, broker, "condition")))
                        .forEach(broker -> problems.add(name + " does not wait for " + broker));
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void addedServicesAreCheckedRotatedOnLoopbackAndKeepTheirDataInDeclaredVolumes() {
        Set<String> declared = new TreeSet<>(Yamls.map(overlay.get("volumes")).keySet());
        declared.addAll(Yamls.map(base.get("volumes")).keySet());
        List<String> problems = new ArrayList<>();
        for (String name : Yamls.map(overlay.get("services")).keySet()) {
            Map<String, Object> service = services.get(name);
            if (Yamls.at(service, "healthcheck", "test") == null) {
                problems.add(name + " has no healthcheck");
            }
            if (Yamls.at(service, "logging", "options", "max-size") == null) {
                problems.add(name + " does not rotate its log");
            }
            Yamls.list(service.get("ports")).stream().map(String::valueOf).filter(port -> !port.startsWith("127.0.0.1:"))
                    .forEach(port -> problems.add(name + " publishes " + port + " beyond loopback"));
            Yamls.list(service.get("volumes")).stream().map(String::valueOf).map(volume -> volume.substring(0, volume.indexOf(':')))
                    .filter(volume -> !volume.startsWith(".") && !volume.startsWith("/") && !declared.contains(volume))
                    .forEach(volume -> problems.add(name + " uses undeclared volume " + volume));
        }
        assertThat(problems).isEmpty();
    }

    private Map<String, Object> environment(String service) {
        return Yamls.map(services.get(service).get("environment"));
    }

    /** Compose's merge of an overlay: mappings key by key, anything else the overlay's. */
    private static Map<String, Object> merged(Map<String, Object> base, Map<String, Object> overlay) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        overlay.forEach((key, value) -> {
            Object was = merged.get(key);
            merged.put(key, was instanceof Map<?, ?> && value instanceof Map<?, ?> ? merged(Yamls.map(was), Yamls.map(value)) : value);
        });
        return merged;
    }
}
