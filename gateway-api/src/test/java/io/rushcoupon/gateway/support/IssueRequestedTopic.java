package io.rushcoupon.gateway.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.rushcoupon.common.event.Topics;
import io.rushcoupon.testsupport.RealServers;

/** The issue-requested topic on the embedded broker, read raw (string key and JSON text). */
public final class IssueRequestedTopic {

    public static final int PARTITIONS = 4;

    private IssueRequestedTopic() {
    }

    /** Creates the topic once per test JVM (the embedded broker refuses to create it twice). */
    public static synchronized void create() {
        if (!RealServers.get().kafka().topics().contains(Topics.ISSUE_REQUESTED)) {
            RealServers.get().createTopics(new NewTopic(Topics.ISSUE_REQUESTED, PARTITIONS, (short) 1));
        }
    }

    /** Every record of one coupon on the topic so far, read from the beginning. */
    public static List<ConsumerRecord<String, String>> recordsOf(long couponId) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServers.get().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "gateway-test-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        String key = Long.toString(couponId);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                partitions.add(new TopicPartition(Topics.ISSUE_REQUESTED, partition));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + Topics.ISSUE_REQUESTED + " to its end");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        records.add(record);
                    }
                }
            }
        }
        return records;
    }
}
