package io.rushcoupon.worker.issuance;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

import io.rushcoupon.common.event.IssueRequested;

/**
 * A record of a batch that can never be issued: unreadable (the ErrorHandlingDeserializer left a
 * null value and the failure in a header) or invalid ({@link IssueRequested#violations()}).
 *
 * @param index  its position in the batch
 * @param reason for the log and the dead-letter headers
 * @param cause  classified as not retryable, so the error handler dead-letters it at once
 */
record PoisonRecord(int index, String reason, Exception cause) {

    private static final LogAccessor LOG = new LogAccessor(PoisonRecord.class);

    /** The first poison record of the batch, or {@code null} when all can be issued. */
    static @Nullable PoisonRecord firstIn(List<ConsumerRecord<String, IssueRequested>> records) {
        for (int i = 0; i < records.size(); i++) {
            PoisonRecord poison = check(i, records.get(i));
            if (poison != null) {
                return poison;
            }
        }
        return null;
    }

    private static @Nullable PoisonRecord check(int index, ConsumerRecord<String, IssueRequested> record) {
        IssueRequested event = record.value();
        if (event == null) {
            DeserializationException failure = SerializationUtils.getExceptionFromHeader(record,
                    KafkaUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG);
            if (failure != null) {
                return new PoisonRecord(index, "unreadable IssueRequested: " + failure.getMessage(), failure);
            }
            return invalid(index, "empty value");
        }
        List<String> violations = event.violations();
        return violations.isEmpty() ? null : invalid(index, "invalid IssueRequested: " + String.join(", ", violations));
    }

    private static PoisonRecord invalid(int index, String reason) {
        return new PoisonRecord(index, reason, new InvalidIssueRequestException(reason));
    }
}
