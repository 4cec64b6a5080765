package io.rushcoupon.gateway.issue;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * Writes the current trace (W3C {@code traceparent}) into an outgoing record's headers, so the
 * worker's lines about a request carry the trace id of the HTTP request that made it.
 *
 * <p>Not the KafkaTemplate's observation ({@code spring.kafka.template.observation-enabled}): on
 * its first send, and again every few minutes while it fails, that one asks the broker for the
 * cluster id, synchronously and under a lock every send shares, for up to the admin's operation
 * timeout (30 s), only to name the producer span. While Kafka is unreachable every admitted request
 * would wait behind it, far beyond the bounded send timeout the rush path promises. Writing the
 * header costs a ThreadLocal read and a string.
 */
@Component
class TraceHeaders {

    private final Tracer tracer;
    private final Propagator propagator;

    @Autowired
    TraceHeaders(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        this(tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP));
    }

    private TraceHeaders(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** Writes nothing: for tests that build the publisher by hand. */
    static TraceHeaders none() {
        return new TraceHeaders(Tracer.NOOP, Propagator.NOOP);
    }

    void write(ProducerRecord<?, ?> record) {
        TraceContext context = tracer.currentTraceContext().context();
        if (context != null) {
            propagator.inject(context, record, (carrier, key, value) ->
                    carrier.headers().remove(key).add(key, value.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
