package io.rushcoupon.gateway.issue;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.common.PartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import io.rushcoupon.common.event.Topics;
import io.rushcoupon.common.event.IssueRequested;

/**
 * Fetches the issue topic's metadata once the gateway has started, before users do. Otherwise the
 * first sends of a fresh gateway each wait for it, and on a busy machine that wait passes the
 * producer's {@code max.block.ms}: those requests were answered 503 (seen in the first demo rush
 * after {@code ./rushcoupon up}). Kafka being down or the topic not created yet (the worker creates
 * it) is not fatal: it retries for a while in the background, and sends fetch it themselves anyway.
 */
@Component
class IssueTopicWarmUp {

    private static final Logger log = LoggerFactory.getLogger(IssueTopicWarmUp.class);
    private static final int ATTEMPTS = 30;
    private static final Duration PAUSE = Duration.ofSeconds(1);

    private final KafkaTemplate<String, IssueRequested> kafka;

    IssueTopicWarmUp(KafkaTemplate<String, IssueRequested> kafka) {
        this.kafka = kafka;
    }

    @EventListener(ApplicationReadyEvent.class)
    void fetchTopicMetadata() {
        Thread.ofVirtual().name("issue-topic-warm-up").start(this::untilKnown);
    }

    private void untilKnown() {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                List<PartitionInfo> partitions = kafka.partitionsFor(Topics.ISSUE_REQUESTED);
                if (partitions != null && !partitions.isEmpty()) {
                    log.info("Topic {} known to the producer: {} partitions", Topics.ISSUE_REQUESTED, partitions.size());
                    return;
                }
            } catch (RuntimeException e) {
                log.debug("Topic {} metadata not available yet: {}", Topics.ISSUE_REQUESTED, e.toString());
            }
            try {
                Thread.sleep(PAUSE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.warn("Topic {} still unknown after {} attempts; the first sends will fetch its metadata",
                Topics.ISSUE_REQUESTED, ATTEMPTS);
    }
}
