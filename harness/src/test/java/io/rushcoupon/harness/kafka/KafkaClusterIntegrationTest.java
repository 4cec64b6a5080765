package io.rushcoupon.harness.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Three KRaft nodes in one quorum: a crashed partition leader is replaced, acks=all writes go on, the node comes back. */
class KafkaClusterIntegrationTest {

    private static final String TOPIC = "failover-check";

    @Test
    void anotherNodeLeadsAndTakesAcksAllWritesWhenTheLeaderStopsAndTheLeaderRejoinsOnRestart() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.start(3, 1, Map.of(), List.of())) {
            assertThat(cluster.bootstrapServers().split(",")).hasSize(3);
            assertThat(cluster.replicationFactor()).isEqualTo(3);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3)
                        .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
            }
            send(cluster.bootstrapServers(), "before");
            int leader = cluster.leaderOf(TOPIC, 0).orElseThrow();

            cluster.broker(leader).stop();
            // fenced only once its heartbeats are missed: the broker session, with room for a busy machine
            OptionalInt successor = cluster.awaitLeaderOtherThan(TOPIC, 0, leader,
                    KafkaCluster.BROKER_SESSION.multipliedBy(5));
            assertThat(successor).as("a new leader after node %d stopped", leader).isPresent();
            // two of three replicas in sync: acks=all still answers
            send(cluster.bootstrapServers(), "during");

            cluster.restartStopped();
            assertThat(cluster.brokers()).allMatch(KraftBroker::running);
            assertThat(readAll(cluster.broker(leader).bootstrapServers(), 2)).containsExactly("before", "during");
        }
    }

    private static void send(String bootstrap, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> readAll(String bootstrap, int count) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "failover-check",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < count && System.nanoTime() < until) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
