package io.rushcoupon.worker.issuance;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;

import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.event.Topics;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.worker.issuance.IssuanceStore.CouponStock;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where poison records end: the dead-letter topic (with spring-kafka's exception headers), a
 * metric, and the request REJECTED in Redis when its id can be read, so its user gets an answer.
 */
@Component
class DeadLetters implements ConsumerAwareRecordRecoverer {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final LogAccessor LOG_ACCESSOR = new LogAccessor(DeadLetters.class);

    private final DeadLetterPublishingRecoverer publisher;
    private final RequestFinalizer finalizer;
    private final IssuanceStore store;
    private final IssuanceMetrics metrics;
    private final RequestTraces traces;
    private final JsonMapper json = JsonMapper.builder().build();

    DeadLetters(KafkaTemplate<String, Object> template, RequestFinalizer finalizer, IssuanceStore store,
            IssuanceMetrics metrics, RequestTraces traces) {
        // partition -1: the producer picks one, so the dead-letter topic may have any partition count
        this.publisher = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(Topics.ISSUE_REQUESTED_DLT, -1));
        this.finalizer = finalizer;
        this.store = store;
        this.metrics = metrics;
        this.traces = traces;
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, @Nullable Consumer<?, ?> consumer, @Nullable Exception exception) {
        // in the record's trace, so the warning and the dead-letter record carry the gateway's trace id
        traces.within(record, () -> deadLetter(record, consumer, exception));
    }

    private void deadLetter(ConsumerRecord<?, ?> record, @Nullable Consumer<?, ?> consumer,
            @Nullable Exception exception) {
        // throws when the dead-letter topic does not take the record: the error handler then
        // seeks back and the record is tried again, so nothing is skipped silently
        publisher.accept(record, consumer, exception);
        metrics.deadLettered();
        metrics.rejected(ErrorCode.VALIDATION_FAILED);
        log.warn("Dead-lettered {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason(exception));
        RequestId requestId = readableRequestId(record);
        if (requestId != null) {
            finalizer.rejectInvalid(requestId, databaseRemaining(requestId.couponId()));
        }
    }

    /** The poison check's own words, not the listener-invocation wrappers around them. */
    private static String reason(@Nullable Throwable exception) {
        Throwable cause = exception;
        while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == null ? "unknown" : cause.getMessage();
    }

    private int databaseRemaining(long couponId) {
        try {
            return store.stock(couponId).map(CouponStock::remaining).orElse(0);
        } catch (RuntimeException e) {
            // unknown stock must not zero Redis's count: the finalize script only acts on <= 0
            return Integer.MAX_VALUE;
        }
    }

    private @Nullable RequestId readableRequestId(ConsumerRecord<?, ?> record) {
        if (record.value() instanceof IssueRequested event) {
            return RequestId.tryParse(event.requestId());
        }
        DeserializationException failure = SerializationUtils.getExceptionFromHeader(record,
                KafkaUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG_ACCESSOR);
        if (failure == null || failure.getData() == null) {
            return null;
        }
        try {
            JsonNode id = json.readTree(failure.getData()).get("requestId");
            return id != null && id.isString() ? RequestId.tryParse(id.asString()) : null;
        } catch (JacksonException | IllegalArgumentException e) {
            return null;
        }
    }
}
