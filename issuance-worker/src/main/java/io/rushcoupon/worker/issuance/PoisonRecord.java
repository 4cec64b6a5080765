package io.rushcoupon.worker.issuance;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.issue.RequestId;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A record of a batch that can never be issued: unreadable (the ErrorHandlingDeserializer left a
 * null value and the failure in a header) or invalid ({@link IssueRequested#violations()}).
 *
 * @param index     its position in the batch
 * @param reason    for the log and the dead-letter headers
 * @param cause     classified as not retryable, so the error handler dead-letters it at once
 * @param requestId the request it carries, when its id can be read (from the raw JSON if need be),
 *                  so the request can be rejected and its user answered
 * @param userId    the user it names, 0 when none can be read
 */
record PoisonRecord(int index, String reason, Exception cause, @Nullable RequestId requestId, long userId) {

    private static final LogAccessor LOG = new LogAccessor(PoisonRecord.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

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
                JsonNode raw = readTree(failure.getData());
                return new PoisonRecord(index, "unreadable IssueRequested: " + failure.getMessage(), failure,
                        raw == null ? null : textRequestId(raw.get("requestId")), raw == null ? 0 : userId(raw));
            }
            return invalid(index, "empty value", null, 0);
        }
        List<String> violations = event.violations();
        return violations.isEmpty() ? null : invalid(index, "invalid IssueRequested: " + String.join(", ", violations),
                RequestId.tryParse(event.requestId()), event.userId());
    }

    private static PoisonRecord invalid(int index, String reason, @Nullable RequestId requestId, long userId) {
        return new PoisonRecord(index, reason, new InvalidIssueRequestException(reason), requestId, userId);
    }

    private static @Nullable JsonNode readTree(byte @Nullable [] data) {
        if (data == null) {
            return null;
        }
        try {
            return JSON.readTree(data);
        } catch (JacksonException | IllegalArgumentException e) {
            return null;
        }
    }

    private static @Nullable RequestId textRequestId(@Nullable JsonNode id) {
        return id != null && id.isString() ? RequestId.tryParse(id.asString()) : null;
    }

    private static long userId(JsonNode raw) {
        JsonNode user = raw.get("userId");
        return user != null && user.isIntegralNumber() && user.canConvertToLong() ? user.longValue() : 0;
    }
}
