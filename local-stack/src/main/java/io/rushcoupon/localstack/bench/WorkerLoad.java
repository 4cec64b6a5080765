package io.rushcoupon.localstack.bench;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.event.Topics;
import io.rushcoupon.common.issue.RequestId;
import tools.jackson.databind.json.JsonMapper;

/** Puts issue requests straight onto the topic, as accepted gateways would, to measure the worker alone. */
final class WorkerLoad {

    private WorkerLoad() {
    }

    /** Sends {@code count} events for one coupon from distinct users, waiting for every acknowledgement. */
    static void send(String bootstrapServers, long couponId, long firstUser, int count) throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            Future<?> last = null;
            String key = Long.toString(couponId);
            for (int i = 0; i < count; i++) {
                long user = firstUser + i;
                IssueRequested event = new IssueRequested(RequestId.newFor(couponId).toString(), couponId, user,
                        null, null, Instant.now());
                last = producer.send(new ProducerRecord<>(Topics.ISSUE_REQUESTED, key, json.writeValueAsBytes(event)));
            }
            producer.flush();
            if (last != null) {
                last.get();
            }
        }
    }
}
