package io.rushcoupon.system.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.rushcoupon.common.event.Topics;
import io.rushcoupon.harness.kafka.KafkaCluster;
import io.rushcoupon.harness.stack.Stack;
import io.rushcoupon.system.SystemStack;
import io.rushcoupon.system.fault.FaultChecker.Report;
import io.rushcoupon.system.fault.FaultSuite.JoinAndLeave;
import io.rushcoupon.system.fault.FaultRush.Paced;
import io.rushcoupon.system.fault.FaultRush.Phase;

/**
 * F9 and F10 (docs/reliability.md) on one stack with three KRaft brokers in one controller quorum:
 * the issue topic has three replicas and {@code min.insync.replicas=2}, the gateway produces with
 * {@code acks=all} and idempotence. The same rush, checker and worker settings as
 * {@link FaultInjectionTest} ({@link FaultSuite}), with fewer users so both fit CI's budget.
 */
@Tag("fault")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerFailoverTest {

    private static final int USERS = 2_000;
    private static final int UNITS = 1_000;
    /**
     * A crashed leader is fenced once the broker session (4 s, KafkaCluster) passes without its
     * heartbeats, after a new active controller is elected if it was that too; five broker
     * sessions leave room for a loaded machine.
     */
    private static final Duration LEADER_BOUND = Duration.ofSeconds(20);

    private static FaultSuite suite;
    private static Stack stack;

    @BeforeAll
    static void startStack() throws Exception {
        suite = FaultSuite.start(SystemStack.builder("failover").ownRedis().kafkaBrokers(3), "FAILOVER-WARM-UP", 300);
        stack = suite.stack();
    }

    @AfterEach
    void restoreTheStack() throws Exception {
        stack.heal();
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    @Order(1)
    void losesNoAcceptedRequestWhenTheBrokerLeadingTheCouponsPartitionIsKilledMidRush() throws Exception {
        long coupon = stack.openCoupon("F9-LEADER-KILL", UNITS);
        KafkaCluster kafka = stack.kafkaCluster();
        int partition = stack.partitionOf(coupon);
        int leader = kafka.leaderOf(Topics.ISSUE_REQUESTED, partition).orElseThrow();
        double ambiguousBefore = ambiguousSends();
        double resendsBefore = stack.metric(stack.worker(), "rushcoupon_reconciler_resends_total", Map.of());
        try (FaultRush rush = suite.paced(new Paced(coupon, 1_000_001, USERS, 200))) {
            assertThat(rush.awaitAccepted(200, Duration.ofSeconds(60))).isTrue();
            long killedAt = rush.elapsedMillis();
            kafka.broker(leader).stop();
            long downAt = rush.elapsedMillis();
            OptionalInt successor = kafka.awaitLeaderOtherThan(Topics.ISSUE_REQUESTED, partition, leader, LEADER_BOUND);
            long electedAt = rush.elapsedMillis();
            // as a supervisor would, once the partition has moved
            kafka.broker(leader).restart();
            long backAt = rush.elapsedMillis();
            Report report = suite.finish("F9 Kafka partition leader killed mid-rush (3 brokers)", coupon, rush);
            double ambiguous = ambiguousSends() - ambiguousBefore;
            double resends = stack.metric(stack.worker(), "rushcoupon_reconciler_resends_total", Map.of()) - resendsBefore;
            System.out.printf("F9 timeline: partition %d's leader, node %d, killed at %.1f s (stopped at %.1f s), node %s"
                    + " leads at %.1f s (%.1f s without a leader that answers), node %d back at %.1f s; gateway sends"
                    + " ambiguous %.0f, reconciler re-sent %.0f%n", partition, leader, killedAt / 1000.0,
                    downAt / 1000.0, successor.isPresent() ? successor.getAsInt() : "none", electedAt / 1000.0,
                    (electedAt - killedAt) / 1000.0, leader, backAt / 1000.0, ambiguous, resends);

            assertThat(report.violations()).isEmpty();
            assertThat(successor).as("another broker leads partition %d within %s", partition, LEADER_BOUND).isPresent();
            assertThat(report.unanswered()).as("calls the gateway never answered").isZero();
            assertThat(report.issued()).isEqualTo(UNITS);
            assertThat(ambiguous).as("sends the gateway could not confirm while the leader was gone").isPositive();
            assertThat(resends).as("of those, re-sent by the reconciler").isPositive();
        }
    }

    @Test
    @Order(2)
    void issuesNoDuplicateAndStallsNoRequestPastTheConsumerSessionWhenAWorkerJoinsAndLeavesMidRush() throws Exception {
        long coupon = stack.openCoupon("F10-WORKERS-JOIN-LEAVE", UNITS);
        int membersBefore = stack.workerGroupMembers();
        assertThat(membersBefore).as("consumers of the first worker, before the second starts").isPositive();
        // slow arrivals, fewer than the units, while the second worker starts and while it joins
        // and leaves; then the rest at once
        Paced plan = new Paced(coupon, 1_100_001, List.of(new Phase(600, 40), new Phase(300, 60, true),
                new Phase(USERS - 900, 200)));
        try (FaultRush rush = suite.paced(plan)) {
            long startedAt = rush.elapsedMillis();
            JoinAndLeave worker = suite.joinAndLeave(rush, Duration.ofSeconds(3));
            Report report = suite.finish("F10 a worker joins and leaves mid-rush (3 brokers, cooperative rebalancing)",
                    coupon, rush);
            System.out.printf("F10 timeline: group members %d before, second worker started at %.1f s, ready at %.1f s"
                    + " with %d accepted, up to %d members, left at %.1f s; longest wait for a final status %.1f s%n",
                    membersBefore, startedAt / 1000.0, worker.joinedAtMillis() / 1000.0, worker.acceptedWhenJoined(),
                    worker.mostMembers(), worker.leftAtMillis() / 1000.0, report.maxToFinal().toMillis() / 1000.0);

            assertThat(report.violations()).isEmpty();
            assertThat(report.duplicated()).isZero();
            assertThat(worker.mostMembers()).as("consumers while both workers ran").isGreaterThan(membersBefore);
            assertThat(worker.acceptedWhenJoined()).as("the second worker joined mid-rush").isLessThan(UNITS);
            assertThat(report.issued()).isEqualTo(UNITS);
            // a graceful join or leave never waits for a session to time out
            assertThat(report.maxToFinal()).as("longest wait from 202 to a final status").isLessThan(FaultSuite.CONSUMER_SESSION);
        }
    }

    /** Issue requests the gateway answered 202 without Kafka's acknowledgement (they stay pending for the reconciler). */
    private static double ambiguousSends() {
        return stack.metric(stack.gateway(), "rushcoupon_kafka_send_seconds_count", Map.of("result", "ambiguous"));
    }
}
