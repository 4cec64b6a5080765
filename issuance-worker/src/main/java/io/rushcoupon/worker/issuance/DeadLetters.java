package io.rushcoupon.worker.issuance;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.stereotype.Component;

import io.rushcoupon.common.event.Topics;
import io.rushcoupon.worker.notification.Notifications;

/**
 * Where records that can never be issued end: the dead-letter topic (with spring-kafka's exception
 * headers), a metric and the minute's dead-letter notification. Their requests are decided before (REJECTED VALIDATION_FAILED in
 * PostgreSQL and Redis, by {@link IssueRequestListener}), so a failed publish that makes the
 * record come again only replays that decision.
 */
@Component
class DeadLetters implements ConsumerAwareRecordRecoverer {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final DeadLetterPublishingRecoverer publisher;
    private final IssuanceMetrics metrics;
    private final RequestTraces traces;
    private final Notifications notifications;

    DeadLetters(KafkaTemplate<String, Object> template, IssuanceMetrics metrics, RequestTraces traces,
            Notifications notifications) {
        // partition -1: the producer picks one, so the dead-letter topic may have any partition count
        this.publisher = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(Topics.ISSUE_REQUESTED_DLT, -1));
        this.metrics = metrics;
        this.traces = traces;
        this.notifications = notifications;
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, @Nullable Consumer<?, ?> consumer, @Nullable Exception exception) {
        // in the record's trace, so the warning and the dead-letter record carry the gateway's trace id
        traces.within(record, () -> deadLetter(record, consumer, exception));
    }

    private void deadLetter(ConsumerRecord<?, ?> record, @Nullable Consumer<?, ?> consumer,
            @Nullable Exception exception) {
        // throws when the dead-letter topic does not take the record: the error handler (or the
        // listener, for a record it isolated) then has the record delivered again, so nothing is
        // skipped silently
        publisher.accept(record, consumer, exception);
        metrics.deadLettered();
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        log.warn("Dead-lettered {}: {}", where, reason(exception));
        // after the topic acknowledged it: a record announced is in the topic
        notifications.deadLettered(where, reason(exception));
    }

    /** The poison check's own words, not the listener-invocation wrappers around them. */
    private static String reason(@Nullable Throwable exception) {
        Throwable cause = exception;
        while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == null ? "unknown" : cause.getMessage();
    }
}
