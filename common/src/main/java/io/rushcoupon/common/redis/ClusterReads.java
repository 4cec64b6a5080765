package io.rushcoupon.common.redis;

import org.redisson.config.Config;
import org.redisson.config.ReadMode;
import org.redisson.config.SubscriptionMode;

/**
 * Every service reads a Redis Cluster's masters only. Redisson's cluster default reads from replicas,
 * which lag behind asynchronously: a replica could miss a request hash the gateway just wrote and a
 * poll would be answered "not found", or miss a user's admission and the user be told SOLD_OUT (I4).
 * The replicas are there for failover, not for read capacity (docs/operations.md, Redis Cluster).
 */
public final class ClusterReads {

    private ClusterReads() {
    }

    /** Reads and subscriptions from masters when {@code config} is a cluster configuration; else nothing. */
    public static void fromMasters(Config config) {
        if (config.isClusterConfig()) {
            config.useClusterServers().setReadMode(ReadMode.MASTER).setSubscriptionMode(SubscriptionMode.MASTER);
        }
    }
}
