package io.rushcoupon.worker.issuance;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * Makes the trace a request's record carries (the gateway's {@code traceparent}, or {@code b3})
 * current around work and log lines about that one request, so they carry the gateway's trace id.
 *
 * <p>Needed because the listener takes batches: spring-kafka 4.1 observes the records of a batch
 * listener one by one just before the batch is handed over (record observations in batch), not
 * while the batch is processed, so nothing of a record's trace is current in the listener. One
 * short child span per request, opened only where a line about that request is written.
 */
@Component
class RequestTraces {

    private final Tracer tracer;
    private final Propagator propagator;

    RequestTraces(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
        this.propagator = propagator.getIfAvailable(() -> Propagator.NOOP);
    }

    /** Runs {@code work} in the record's trace (a new trace when the record carries none). */
    void within(ConsumerRecord<?, ?> record, Runnable work) {
        Span span = propagator.extract(record.headers(), RequestTraces::header)
                .name("issue-request")
                .kind(Span.Kind.CONSUMER)
                .start();
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            work.run();
        } finally {
            span.end();
        }
    }

    private static @Nullable String header(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
