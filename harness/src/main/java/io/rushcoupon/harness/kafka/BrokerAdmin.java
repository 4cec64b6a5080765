package io.rushcoupon.harness.kafka;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * What a broker knows about topics and consumer groups, asked through Kafka's admin client. Each
 * question throws when the broker cannot tell: a guess would let a comparison pass without evidence.
 */
public final class BrokerAdmin {

    private final String bootstrapServers;

    public BrokerAdmin(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Records written to {@code topic} so far: the sum of its partitions' end offsets. */
    public long records(String topic) {
        return ask("could not read the topic " + topic, admin -> {
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(info -> info.offset()).sum();
        });
    }

    /** Members of a consumer group right now (one per listener thread of each consumer process). */
    public int groupMembers(String group) {
        return ask("could not describe the consumer group " + group,
                admin -> admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().size());
    }

    /** How many consumers hold partitions of {@code topic}, over all groups. */
    public int consumersOf(String topic) {
        return ask("could not describe the consumers of " + topic, admin -> {
            var groupIds = admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId).toList();
            return (int) admin.describeConsumerGroups(groupIds).all().get().values().stream()
                    .flatMap(group -> group.members().stream())
                    .filter(member -> member.assignment().topicPartitions().stream()
                            .anyMatch(partition -> partition.topic().equals(topic)))
                    .count();
        });
    }

    /** The partition Kafka's default partitioner puts a record with this key on. */
    public int partitionOf(String topic, String key) {
        return ask("could not describe the topic " + topic, admin -> {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
        });
    }

    private interface Question<T> {
        T ask(Admin admin) throws Exception;
    }

    private <T> T ask(String failure, Question<T> question) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                10_000))) {
            return question.ask(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + failure, e);
        } catch (Exception e) {
            throw new IllegalStateException(failure, e);
        }
    }
}
