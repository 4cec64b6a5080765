package io.rushcoupon.harness.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.redisson.api.RMap;
import org.redisson.client.codec.StringCodec;

import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.harness.redis.RedisClusterProcess.Node;

/** The cluster the F8 fault breaks: coupons spread over three masters, a killed master replaced by its replica. */
class RedisClusterProcessIntegrationTest {

    @Test
    void spreadsCouponsOverThreeMastersAndPromotesTheReplicaOfAKilledMaster() {
        try (RedisClusterProcess cluster = RedisClusterProcess.start(List.of(), Path.of("target", "redis-cluster-check"),
                Duration.ofSeconds(1));
                RedisConnection redis = new RedisConnection(List.of(cluster.nodeAddresses().split(",")))) {
            List<Node> topology = cluster.topology();
            assertThat(topology).hasSize(RedisClusterProcess.NODES);
            assertThat(topology.stream().filter(Node::master)).hasSize(RedisClusterProcess.MASTERS);

            List<String> coupons = LongStream.rangeClosed(1, 300).mapToObj(id -> CouponKeys.of(id).coupon()).toList();
            Map<Integer, Integer> spread = cluster.spread(coupons);
            assertThat(spread).hasSize(RedisClusterProcess.MASTERS);
            assertThat(spread.values()).allMatch(count -> count >= 50);
            // one coupon's keys share a slot, so its scripts run on one master
            CouponKeys hot = CouponKeys.of(7);
            assertThat(cluster.slotOf(hot.users())).isEqualTo(cluster.slotOf(hot.coupon()));
            // the spread is computed here; Redis agrees on every slot
            for (String key : List.of(hot.coupon(), CouponKeys.of(12_345).pending(), "rc:reconciler:leader", "{}x")) {
                assertThat(RedisClusterProcess.keySlot(key)).as(key).isEqualTo(cluster.slotOf(key));
            }

            RMap<String, String> coupon = redis.client().getMap(hot.coupon(), StringCodec.INSTANCE);
            coupon.put("remaining", "10");
            Node master = cluster.masterOf(hot.coupon());
            cluster.kill(master.port());
            Node promoted = cluster.awaitFailover(hot.coupon(), master.port());

            assertThat(promoted.port()).isNotEqualTo(master.port());
            assertThat(promoted.id()).isNotEqualTo(master.id());
            // written long before the kill, so replicated: still there on the promoted replica
            assertThat(coupon.get("remaining")).isEqualTo("10");

            cluster.heal();
            Node rejoined = cluster.topology().stream().filter(node -> node.port() == master.port()).findFirst()
                    .orElseThrow();
            assertThat(rejoined.master()).as("the old master comes back as a replica").isFalse();
            assertThat(cluster.masterOf(hot.coupon()).port()).isEqualTo(promoted.port());
        }
    }
}
