package io.rushcoupon.gateway.issue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaProducerException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.event.Topics;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.gateway.config.GatewayProperties;

/**
 * Produces {@link IssueRequested} to {@link Topics#ISSUE_REQUESTED} (key = coupon id) and waits,
 * bounded, for the acknowledgement. The producer is idempotent with acks=all (application.yml).
 * The record carries the request's trace in its headers ({@link TraceHeaders}).
 *
 * <h2>Definitely not written, or maybe written?</h2>
 * Undoing an admission that Kafka did take would let the worker issue a request Redis no longer
 * counts; keeping one that Kafka did not take only costs a re-send by the reconciler. So only
 * failures that prove the record never reached a broker count as {@link SendOutcome#NOT_SENT}:
 * <ol>
 *   <li>Anything thrown by {@code send()} itself. {@code KafkaProducer.send} fails synchronously
 *       (and {@code KafkaTemplate} rethrows it) only for work done before the record enters the
 *       producer's buffer: waiting for topic metadata up to {@code max.block.ms} (a
 *       {@code TimeoutException} "not present in metadata" — broker unreachable or topic missing),
 *       serialization, the client-side size check, waiting for buffer memory, a closed producer.
 *       A record that never entered the buffer cannot have been sent. (A producer already in a
 *       fatal state may fail here after buffering, but its sender aborts unsent batches then.)</li>
 *   <li>A later failure whose cause is a content error the broker checks before appending and
 *       that fails identically on every attempt ({@link RecordTooLargeException},
 *       {@link InvalidRecordException}, {@link SerializationException}): no retry can have
 *       written it earlier.</li>
 * </ol>
 * Everything else is {@link SendOutcome#AMBIGUOUS}: the ack wait timing out, a
 * {@code TimeoutException} after the record was buffered ({@code delivery.timeout.ms} expired —
 * it may have been written with the reply lost), {@code NotEnoughReplicasAfterAppend}, network
 * and authorization errors that might follow an attempt that did write, and interruption.
 */
@Component
class IssueEventPublisher {

    private static final Logger log = LoggerFactory.getLogger(IssueEventPublisher.class);

    private final KafkaTemplate<String, IssueRequested> kafka;
    private final TraceHeaders traceHeaders;
    private final Duration sendTimeout;
    private final Timer acked;
    private final Timer failed;
    private final Timer ambiguous;

    IssueEventPublisher(KafkaTemplate<String, IssueRequested> kafka, TraceHeaders traceHeaders,
            GatewayProperties settings, MeterRegistry registry) {
        this.kafka = kafka;
        this.traceHeaders = traceHeaders;
        this.sendTimeout = settings.sendTimeout();
        this.acked = kafkaSend(registry, "acked");
        this.failed = kafkaSend(registry, "failed");
        this.ambiguous = kafkaSend(registry, "ambiguous");
    }

    SendOutcome publish(IssueRequested event) {
        long start = System.nanoTime();
        CompletableFuture<SendResult<String, IssueRequested>> ack;
        try {
            ProducerRecord<String, IssueRequested> record = new ProducerRecord<>(Topics.ISSUE_REQUESTED,
                    Long.toString(event.couponId()), event);
            traceHeaders.write(record);
            ack = kafka.send(record);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            log.warn("Issue request {} was not sent to Kafka: {}", event.requestId(), cause.toString());
            return finish(SendOutcome.NOT_SENT, start);
        }
        try {
            // the timeout covers the whole send, including a metadata wait inside send()
            long left = Math.max(0, sendTimeout.toNanos() - (System.nanoTime() - start));
            ack.get(left, TimeUnit.NANOSECONDS);
            return finish(SendOutcome.ACKED, start);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof KafkaProducerException failure && failure.getCause() != null
                    ? failure.getCause() : e.getCause();
            if (refusedOnEveryAttempt(cause)) {
                log.warn("Kafka refused issue request {}: {}", event.requestId(), String.valueOf(cause));
                return finish(SendOutcome.NOT_SENT, start);
            }
            log.warn("Issue request {} may or may not be in Kafka, it stays pending: {}", event.requestId(),
                    String.valueOf(cause));
            return finish(SendOutcome.AMBIGUOUS, start);
        } catch (TimeoutException e) {
            log.warn("No acknowledgement for issue request {} within {}; it stays pending", event.requestId(),
                    sendTimeout);
            return finish(SendOutcome.AMBIGUOUS, start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return finish(SendOutcome.AMBIGUOUS, start);
        }
    }

    private static boolean refusedOnEveryAttempt(Throwable cause) {
        return cause instanceof RecordTooLargeException
                || cause instanceof InvalidRecordException
                || cause instanceof SerializationException;
    }

    private SendOutcome finish(SendOutcome outcome, long start) {
        Timer timer = switch (outcome) {
            case ACKED -> acked;
            case NOT_SENT -> failed;
            case AMBIGUOUS -> ambiguous;
        };
        timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return outcome;
    }

    private static Timer kafkaSend(MeterRegistry registry, String result) {
        return Timer.builder(MetricNames.KAFKA_SEND)
                .description("Producing an issue request until acknowledged")
                .tag(MetricNames.RESULT, result)
                .register(registry);
    }
}
