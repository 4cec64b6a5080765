package io.rushcoupon.worker.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;

import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.event.Topics;
import io.rushcoupon.common.issue.RequestId;

class PoisonRecordTest {

    @Test
    void findsNothingInAValidBatch() {
        assertThat(PoisonRecord.firstIn(List.of(record(0, valid(1)), record(1, valid(2))))).isNull();
    }

    @Test
    void pointsAtTheFirstInvalidEventWithTheViolationAsReason() {
        IssueRequested invalid = new IssueRequested(RequestId.newFor(1).toString(), 1, -1, null, null, Instant.now());

        PoisonRecord poison = PoisonRecord.firstIn(List.of(record(0, valid(1)), record(1, invalid), record(2, invalid)));

        assertThat(poison).isNotNull();
        assertThat(poison.index()).isEqualTo(1);
        assertThat(poison.reason()).contains("userId must be positive");
        assertThat(poison.cause()).isInstanceOf(InvalidIssueRequestException.class);
    }

    @Test
    void treatsAValueTheDeserializerCouldNotReadAsPoison() {
        ConsumerRecord<String, IssueRequested> unreadable = deserialize("not json at all");

        PoisonRecord poison = PoisonRecord.firstIn(List.of(record(0, valid(1)), unreadable));

        assertThat(poison).isNotNull();
        assertThat(poison.index()).isEqualTo(1);
        assertThat(poison.cause()).isInstanceOf(DeserializationException.class);
    }

    @Test
    void readsTheSharedWireFormatWithoutTypeHeaders() {
        String json = """
                {"requestId":"7-0b9f6d2e-3c1a-4e0b-9a51-2f3d4c5b6a79","couponId":7,"userId":42,
                 "email":"a@b.test","username":"a","requestedAt":"2026-01-01T10:00:00.123Z"}
                """;

        ConsumerRecord<String, IssueRequested> record = deserialize(json);

        assertThat(PoisonRecord.firstIn(List.of(record))).isNull();
        assertThat(record.value().userId()).isEqualTo(42);
        assertThat(record.value().requestedAt()).isEqualTo(Instant.parse("2026-01-01T10:00:00.123Z"));
    }

    private static ConsumerRecord<String, IssueRequested> deserialize(String value) {
        RecordHeaders headers = new RecordHeaders();
        try (Deserializer<IssueRequested> deserializer = new ErrorHandlingDeserializer<>(
                new JacksonJsonDeserializer<>(IssueRequested.class, false))) {
            IssueRequested event = deserializer.deserialize(Topics.ISSUE_REQUESTED, headers,
                    value.getBytes(StandardCharsets.UTF_8));
            return new ConsumerRecord<>(Topics.ISSUE_REQUESTED, 0, 1, 0L, null, 0, 0, "7", event, headers,
                    Optional.empty());
        }
    }

    private static IssueRequested valid(long userId) {
        return new IssueRequested(RequestId.newFor(1).toString(), 1, userId, null, null, Instant.now());
    }

    private static ConsumerRecord<String, IssueRequested> record(long offset, IssueRequested value) {
        return new ConsumerRecord<>(Topics.ISSUE_REQUESTED, 0, offset, "1", value);
    }
}
