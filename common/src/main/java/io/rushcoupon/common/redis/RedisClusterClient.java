package io.rushcoupon.common.redis;

import org.redisson.config.Config;
import org.redisson.config.ReadMode;
import org.redisson.config.SubscriptionMode;

/**
 * How every service's Redisson client uses a Redis Cluster (docs/operations.md, Redis Cluster):
 * <ul>
 *   <li>reads and subscriptions from the masters only. Redisson's cluster default reads from
 *       replicas, which lag behind asynchronously: a replica could miss a request hash the gateway
 *       just wrote, and a poll would be answered "not found", or miss a user's admission, and the
 *       user be told SOLD_OUT (I4). The replicas are there for failover, not for read capacity;</li>
 *   <li>the cluster's topology read every second instead of Redisson's 5 s, so after a failover
 *       commands reach the promoted replica about as soon as the cluster has promoted it.</li>
 * </ul>
 */
public final class RedisClusterClient {

    /** How often Redisson reads CLUSTER NODES. */
    public static final int SCAN_INTERVAL_MILLIS = 1_000;

    private RedisClusterClient() {
    }

    /** Applies the above when {@code config} is a cluster configuration; else changes nothing. */
    public static void configure(Config config) {
        if (config.isClusterConfig()) {
            config.useClusterServers().setReadMode(ReadMode.MASTER).setSubscriptionMode(SubscriptionMode.MASTER)
                    .setScanInterval(SCAN_INTERVAL_MILLIS);
        }
    }
}
