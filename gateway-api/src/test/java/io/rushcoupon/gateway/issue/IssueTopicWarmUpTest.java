package io.rushcoupon.gateway.issue;

import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;

import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.event.Topics;

class IssueTopicWarmUpTest {

    @SuppressWarnings("unchecked")
    private final KafkaTemplate<String, IssueRequested> kafka = mock(KafkaTemplate.class);

    @Test
    void asksAgainUntilTheTopicIsKnownThenStops() throws InterruptedException {
        // the worker has not created the topic yet, then it has
        when(kafka.partitionsFor(Topics.ISSUE_REQUESTED))
                .thenThrow(new TimeoutException("Topic not present in metadata after 1000 ms."))
                .thenReturn(List.of(new PartitionInfo(Topics.ISSUE_REQUESTED, 0, null, null, null)));

        new IssueTopicWarmUp(kafka).fetchTopicMetadata();

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> verify(kafka, times(2)).partitionsFor(Topics.ISSUE_REQUESTED));
        Thread.sleep(1_500);
        verify(kafka, times(2)).partitionsFor(Topics.ISSUE_REQUESTED);
    }
}
