package io.rushcoupon.system;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.common.utils.Utils;

import io.rushcoupon.common.event.Topics;
import io.rushcoupon.testsupport.RealServers;

/** What the embedded broker knows about the rush topic's partitions and consumers. */
final class KafkaGroups {

    private KafkaGroups() {
    }

    /** The partition Kafka's default partitioner puts a coupon's records on. */
    static int partitionOf(long couponId) {
        try (AdminClient admin = admin()) {
            int partitions = admin.describeTopics(java.util.List.of(Topics.ISSUE_REQUESTED)).allTopicNames().get()
                    .get(Topics.ISSUE_REQUESTED).partitions().size();
            byte[] key = Long.toString(couponId).getBytes(StandardCharsets.UTF_8);
            return Utils.toPositive(Utils.murmur2(key)) % partitions;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many consumers hold partitions of {@code topic}, over all groups. */
    static int consumersOf(String topic) {
        try (AdminClient admin = admin()) {
            var groupIds = admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId).toList();
            return admin.describeConsumerGroups(groupIds).all().get().values().stream()
                    .flatMap(group -> group.members().stream())
                    .filter(member -> member.assignment().topicPartitions().stream()
                            .anyMatch(partition -> partition.topic().equals(topic)))
                    .mapToInt(member -> 1).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static AdminClient admin() {
        return AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                RealServers.get().kafkaBootstrapServers()));
    }
}
