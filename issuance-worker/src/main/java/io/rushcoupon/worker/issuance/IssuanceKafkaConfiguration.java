package io.rushcoupon.worker.issuance;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.util.backoff.ExponentialBackOff;

import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.event.Topics;

/** Topics, deserialization, the batch listener container and its error handling. */
@Configuration(proxyBeanMethods = false)
class IssuanceKafkaConfiguration {

    @Bean
    NewTopic issueRequestedTopic(IssuanceProperties properties) {
        return topic(Topics.ISSUE_REQUESTED, properties.partitions(), properties.replication());
    }

    @Bean
    NewTopic issueRequestedDeadLetterTopic(IssuanceProperties properties) {
        return topic(Topics.ISSUE_REQUESTED_DLT, 1, properties.replication());
    }

    /**
     * A topic as the worker creates it when missing. acks=all (the gateway's producer) is durable
     * only when a write is on more than one replica before the ack: with three replicas or more, two
     * must have it ({@code min.insync.replicas=2}), so one broker may fail without losing a 202's
     * record or stopping writes. A replica that missed writes never becomes leader (unclean leader
     * election off, Kafka's default, stated so a broker-wide override cannot change it).
     */
    static NewTopic topic(String name, int partitions, int replication) {
        TopicBuilder topic = TopicBuilder.name(name).partitions(partitions).replicas(replication)
                .config(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false");
        if (replication >= 3) {
            topic.config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
        }
        return topic.build();
    }

    /**
     * Keys are coupon ids as text; values IssueRequested JSON, read without type headers. A value
     * that cannot be read reaches the listener as null with the failure in a header, so one bad
     * record cannot stall its partition.
     */
    @Bean
    @SuppressWarnings("unchecked")
    DefaultKafkaConsumerFactoryCustomizer issueRequestedDeserializers() {
        return factory -> {
            var typed = (DefaultKafkaConsumerFactory<String, IssueRequested>) factory;
            typed.setKeyDeserializer(new StringDeserializer());
            typed.setValueDeserializerSupplier(() -> new ErrorHandlingDeserializer<>(
                    new JacksonJsonDeserializer<>(IssueRequested.class, false)));
        };
    }

    /**
     * Batch listener with manual acknowledgment: the listener acknowledges after its commits, or
     * nacks to have the batch delivered again. With {@code spring.kafka.listener.observation-enabled}
     * each record of a batch gets its own observation, a child of the trace the gateway put in its
     * headers; it ends before the batch is processed, so {@link RequestTraces} restores the trace
     * where the worker writes about one request.
     */
    @Bean
    ConcurrentKafkaListenerContainerFactory<Object, Object> kafkaListenerContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumerFactory,
            IssuanceProperties properties) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure(factory, consumerFactory);
        factory.setBatchListener(true);
        factory.setConcurrency(properties.concurrency());
        factory.getContainerProperties().setAckMode(AckMode.MANUAL);
        factory.getContainerProperties().setRecordObservationsInBatch(true);
        return factory;
    }

    /**
     * The listener reports only poison records to this handler (as BatchListenerFailedException);
     * their causes are classified not retryable, so they go to the dead-letter topic at once.
     * Should any other exception ever reach it, the back-off has no limit: a batch is never
     * dead-lettered because something it depends on is down.
     */
    @Bean
    DefaultErrorHandler issueErrorHandler(DeadLetters deadLetters, IssuanceProperties properties) {
        return errorHandler(deadLetters, properties.transientRetry());
    }

    static DefaultErrorHandler errorHandler(ConsumerRecordRecoverer recoverer, IssuanceProperties.TransientRetry retry) {
        ExponentialBackOff backOff = new ExponentialBackOff(retry.initialBackoff().toMillis(), 2.0);
        backOff.setMaxInterval(retry.maxBackoff().toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        handler.addNotRetryableExceptions(InvalidIssueRequestException.class);
        // after a dead-letter the handler throws to make the container seek past it; that is
        // routine here (DeadLetters logs each record), not an error
        handler.setLogLevel(KafkaException.Level.INFO);
        return handler;
    }
}
