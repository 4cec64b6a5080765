package io.rushcoupon.gateway.issue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.event.Topics;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.gateway.config.GatewayProperties;

/** The "definitely not written vs. maybe written" rule of {@link IssueEventPublisher}. */
class IssueEventPublisherTest {

    private static final Duration SEND_TIMEOUT = Duration.ofMillis(300);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final IssueRequested event = new IssueRequested(RequestId.newFor(5).toString(), 5, 9, null, "ann",
            Instant.parse("2026-12-01T10:00:00Z"));

    @Test
    void anAcknowledgedRecordIsAcked() {
        MockProducer<String, IssueRequested> producer = producer(true);

        assertThat(publisher(producer).publish(event)).isEqualTo(SendOutcome.ACKED);
        assertThat(producer.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo(Topics.ISSUE_REQUESTED);
            assertThat(record.key()).isEqualTo("5");
        });
        assertThat(sendTimerCount("acked")).isEqualTo(1);
    }

    @Test
    void aFailureInsideSendMeansTheRecordNeverLeftTheClient() {
        MockProducer<String, IssueRequested> producer = producer(true);
        // what KafkaProducer throws when the topic's metadata does not arrive within max.block.ms
        producer.sendException = new TimeoutException("Topic coupon.issue.requested not present in metadata after 1000 ms.");

        assertThat(publisher(producer).publish(event)).isEqualTo(SendOutcome.NOT_SENT);
        assertThat(sendTimerCount("failed")).isEqualTo(1);
    }

    @Test
    void aSerializationFailureMeansNotSent() {
        MockProducer<String, IssueRequested> producer = producer(true);
        producer.sendException = new SerializationException("cannot serialize");

        assertThat(publisher(producer).publish(event)).isEqualTo(SendOutcome.NOT_SENT);
    }

    @Test
    void aDeliveryTimeoutAfterBufferingIsAmbiguous() {
        MockProducer<String, IssueRequested> producer = producer(false);

        SendOutcome outcome = publishWhile(producer, p -> p.errorNext(
                new TimeoutException("Expiring 1 record(s) for coupon.issue.requested-0: 2000 ms has passed")));

        assertThat(outcome).isEqualTo(SendOutcome.AMBIGUOUS);
        assertThat(sendTimerCount("ambiguous")).isEqualTo(1);
    }

    @Test
    void errorsThatMayFollowAWrittenAttemptAreAmbiguous() {
        assertThat(publishWhile(producer(false), p -> p.errorNext(new NetworkException("connection reset"))))
                .isEqualTo(SendOutcome.AMBIGUOUS);
        assertThat(publishWhile(producer(false), p -> p.errorNext(new NotEnoughReplicasAfterAppendException("isr"))))
                .isEqualTo(SendOutcome.AMBIGUOUS);
    }

    @Test
    void aRecordTheBrokerRefusesForItsContentIsNotSent() {
        assertThat(publishWhile(producer(false), p -> p.errorNext(new RecordTooLargeException("too large"))))
                .isEqualTo(SendOutcome.NOT_SENT);
    }

    @Test
    void noAcknowledgementWithinTheSendTimeoutIsAmbiguous() {
        MockProducer<String, IssueRequested> producer = producer(false);
        long start = System.nanoTime();

        SendOutcome outcome = publisher(producer).publish(event);

        assertThat(outcome).isEqualTo(SendOutcome.AMBIGUOUS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(SEND_TIMEOUT, SEND_TIMEOUT.multipliedBy(5));
    }

    /**
     * Publishes while another thread answers the pending send the way a broker would: only once the
     * publisher waits for the acknowledgement. Answering earlier would fail the future before
     * {@code KafkaTemplate.send} returns, which KafkaTemplate rethrows at once, as it does for
     * failures before the record was buffered; a broker's answer cannot arrive that fast.
     */
    private SendOutcome publishWhile(MockProducer<String, IssueRequested> producer,
            Consumer<MockProducer<String, IssueRequested>> answer) {
        Thread publisher = Thread.currentThread();
        Thread broker = Thread.ofVirtual().start(() -> {
            while (producer.history().isEmpty() || publisher.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
            answer.accept(producer);
        });
        SendOutcome outcome = publisher(producer).publish(event);
        try {
            broker.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return outcome;
    }

    private IssueEventPublisher publisher(MockProducer<String, IssueRequested> producer) {
        GatewayProperties settings = new GatewayProperties(Duration.ofMillis(100), Duration.ofSeconds(1), SEND_TIMEOUT, Duration.ofSeconds(2), 2, Duration.ofMillis(200), 512, Duration.ofSeconds(1));
        return new IssueEventPublisher(new KafkaTemplate<>(() -> producer), TraceHeaders.none(), settings, meters);
    }

    private static MockProducer<String, IssueRequested> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new StringSerializer(), new JacksonJsonSerializer<>());
    }

    private long sendTimerCount(String result) {
        var timer = meters.find(MetricNames.KAFKA_SEND).tag(MetricNames.RESULT, result).timer();
        return timer == null ? 0 : timer.count();
    }
}
