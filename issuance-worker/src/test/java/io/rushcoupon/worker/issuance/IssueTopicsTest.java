package io.rushcoupon.worker.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** The topics the worker creates: durable acks=all on three replicas, and no unclean leader on any. */
class IssueTopicsTest {

    @Test
    void threeReplicasNeedTwoInSyncAndNeverElectAnUncleanLeader() {
        NewTopic topic = IssuanceKafkaConfiguration.topic("issue", 8, 3);

        assertThat(topic.numPartitions()).isEqualTo(8);
        assertThat(topic.replicationFactor()).isEqualTo((short) 3);
        assertThat(topic.configs()).containsEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2")
                .containsEntry(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false");
    }

    @Test
    void oneReplicaKeepsTheBrokersMinInSyncSoASingleBrokerCanTakeWrites() {
        NewTopic topic = IssuanceKafkaConfiguration.topic("issue", 8, 1);

        assertThat(topic.replicationFactor()).isEqualTo((short) 1);
        assertThat(topic.configs()).doesNotContainKey(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)
                .containsEntry(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false");
    }
}
