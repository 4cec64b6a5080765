package io.rushcoupon.worker.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.listener.ListenerExecutionFailedException;

import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.event.Topics;
import io.rushcoupon.common.issue.RequestId;

/** How the worker's error handler treats what the listener throws at it. */
class IssueErrorHandlerTest {

    private static final TopicPartition PARTITION = new TopicPartition(Topics.ISSUE_REQUESTED, 0);

    private final List<ConsumerRecord<?, ?>> deadLettered = new ArrayList<>();
    private final DefaultErrorHandler handler = IssuanceKafkaConfiguration.errorHandler(
            (record, exception) -> deadLettered.add(record),
            new IssuanceProperties.TransientRetry(Duration.ofMillis(10), Duration.ofMillis(20)));

    @Test
    void deadLettersAnInvalidRecordAtOnceAndOnlyThatRecord() {
        ConsumerRecords<String, IssueRequested> batch = batch(3);
        ConsumerRecord<String, IssueRequested> poison = batch.records(PARTITION).get(1);
        Exception thrown = new ListenerExecutionFailedException("listener failed",
                new BatchListenerFailedException("invalid", new InvalidIssueRequestException("userId must be positive"),
                        poison));

        assertThatThrownBy(() -> handler.handleBatch(thrown, batch, consumer(), container(() -> true), () -> {
        })).isInstanceOf(KafkaException.class).hasMessageContaining("Seek to current");

        assertThat(deadLettered).containsExactly(poison);
    }

    @Test
    void neverDeadLettersABatchThatFailedBecausePostgresIsDown() {
        ConsumerRecords<String, IssueRequested> batch = batch(2);
        AtomicInteger attempts = new AtomicInteger();
        Runnable listenerWhileDatabaseDown = () -> {
            attempts.incrementAndGet();
            throw new DataAccessResourceFailureException("connection refused");
        };

        // retried until the container stops (here after the fifth delivery), never recovered
        assertThatThrownBy(() -> handler.handleBatch(new DataAccessResourceFailureException("connection refused"),
                batch, consumer(), container(() -> attempts.get() < 5), listenerWhileDatabaseDown))
                .isInstanceOf(KafkaException.class).hasMessageContaining("stopped");

        assertThat(attempts).hasValue(5);
        assertThat(deadLettered).isEmpty();
    }

    private static ConsumerRecords<String, IssueRequested> batch(int size) {
        List<ConsumerRecord<String, IssueRequested>> records = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            records.add(new ConsumerRecord<>(Topics.ISSUE_REQUESTED, 0, i, "1",
                    new IssueRequested(RequestId.newFor(1).toString(), 1, i + 1, null, null, Instant.now())));
        }
        return new ConsumerRecords<>(Map.of(PARTITION, records), Map.of());
    }

    @SuppressWarnings("unchecked")
    private static Consumer<String, IssueRequested> consumer() {
        Consumer<String, IssueRequested> consumer = mock(Consumer.class);
        when(consumer.assignment()).thenReturn(Set.of(PARTITION));
        when(consumer.poll(any(Duration.class))).thenReturn(ConsumerRecords.empty());
        return consumer;
    }

    private static MessageListenerContainer container(BooleanSupplier running) {
        MessageListenerContainer container = mock(MessageListenerContainer.class);
        when(container.getContainerProperties()).thenReturn(new ContainerProperties(Topics.ISSUE_REQUESTED));
        when(container.getContainerFor(anyString(), anyInt())).thenReturn(container);
        when(container.isRunning()).thenAnswer(invocation -> running.getAsBoolean());
        return container;
    }
}
