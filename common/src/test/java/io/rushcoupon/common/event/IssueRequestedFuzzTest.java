package io.rushcoupon.common.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.SerializationUtils;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.CouponKeys;

/**
 * Any bytes on the issue topic, read the way the issuance worker reads them
 * ({@code ErrorHandlingDeserializer} around {@code JacksonJsonDeserializer<IssueRequested>} without
 * type headers, IssuanceKafkaConfiguration), end in exactly one of two ways: an event whose
 * {@link IssueRequested#violations()} can be trusted, or poison (no value, the failure in the
 * header the worker's dead-lettering reads). Nothing may escape as an exception: one would stall
 * the partition.
 *
 * <p>{@code ./mvnw verify} replays the inputs under {@code IssueRequestedFuzzTestInputs}; to fuzz,
 * run with {@code JAZZER_FUZZ=1}: the ci-fuzz profile of this module's pom, active when CI=true.
 */
class IssueRequestedFuzzTest {

    private static final LogAccessor LOG = new LogAccessor(IssueRequestedFuzzTest.class);

    private final ErrorHandlingDeserializer<IssueRequested> deserializer = workersDeserializer();

    private static ErrorHandlingDeserializer<IssueRequested> workersDeserializer() {
        ErrorHandlingDeserializer<IssueRequested> deserializer =
                new ErrorHandlingDeserializer<>(new JacksonJsonDeserializer<>(IssueRequested.class, false));
        // as the consumer does it: value side, no settings beyond the constructor's
        deserializer.configure(Map.of(), false);
        return deserializer;
    }

    @FuzzTest(maxDuration = "20s")
    void readsAnyValueAsAnEventOrAsPoison(byte[] value) {
        RecordHeaders headers = new RecordHeaders();

        IssueRequested event = deserializer.deserialize(Topics.ISSUE_REQUESTED, headers, value);

        if (event == null) {
            ConsumerRecord<String, IssueRequested> record = new ConsumerRecord<>(Topics.ISSUE_REQUESTED, 0, 0L, 0L,
                    TimestampType.CREATE_TIME, 0, value.length, "1", null, headers, java.util.Optional.empty());
            DeserializationException failure = SerializationUtils.getExceptionFromHeader(record,
                    KafkaUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG);
            assertThat(failure).as("an unreadable value carries its failure for the dead-letter topic").isNotNull();
            assertThat(failure.getData()).isEqualTo(value);
            return;
        }
        List<String> violations = event.violations();
        if (violations.isEmpty()) {
            assertIssuable(event);
        }
    }

    /** What the worker relies on for an event without violations: keys, ids and the user row fit. */
    private static void assertIssuable(IssueRequested event) {
        assertThat(event.couponId()).isPositive();
        assertThat(event.userId()).isPositive();
        assertThat(event.requestedAt()).isNotNull();
        RequestId requestId = RequestId.tryParse(event.requestId());
        assertThat(requestId).isNotNull();
        assertThat(requestId.couponId()).isEqualTo(event.couponId());
        assertThat(CouponKeys.of(requestId).request(requestId)).contains("{c:" + event.couponId() + "}");
        // the id the worker stores is the one it finalizes under: no two spellings of one request
        assertThat(requestId.toString()).isEqualTo(event.requestId());
        // PostgreSQL refuses NUL in text: a valid event never carries a control character
        if (event.email() != null) {
            assertThat(event.email().length()).isLessThanOrEqualTo(IssueRequested.MAX_EMAIL_LENGTH);
            assertThat(event.email().codePoints()).noneMatch(Character::isISOControl);
        }
        if (event.username() != null) {
            assertThat(event.username().length()).isLessThanOrEqualTo(IssueRequested.MAX_USERNAME_LENGTH);
            assertThat(event.username().codePoints()).noneMatch(Character::isISOControl);
        }
        // epoch milliseconds are what Redis keeps; the worker times acceptance-to-commit in nanoseconds
        Instant now = Instant.now();
        assertThatCode(() -> event.requestedAt().toEpochMilli()).doesNotThrowAnyException();
        if (event.requestedAt().isBefore(now)) {
            assertThatCode(() -> Duration.between(event.requestedAt(), now).toNanos()).doesNotThrowAnyException();
        }
    }
}
