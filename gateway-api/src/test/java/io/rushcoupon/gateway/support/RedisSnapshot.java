package io.rushcoupon.gateway.support;

import java.util.Map;
import java.util.TreeMap;

import org.redisson.api.RType;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** Every key of the test's Redis database with its value, to compare before and after. */
public final class RedisSnapshot {

    private RedisSnapshot() {
    }

    public static Map<String, String> of(RedissonClient redisson) {
        Map<String, String> snapshot = new TreeMap<>();
        for (String key : redisson.getKeys().getKeys()) {
            RType type = redisson.getKeys().getType(key);
            String value = switch (type == null ? RType.OBJECT : type) {
                case MAP -> new TreeMap<>(redisson.<String, String>getMap(key, StringCodec.INSTANCE).readAllMap())
                        .toString();
                case ZSET -> redisson.<String>getScoredSortedSet(key, StringCodec.INSTANCE).entryRange(0, -1).stream()
                        .map(entry -> entry.getValue() + "=" + entry.getScore()).toList().toString();
                case SET -> new java.util.TreeSet<>(redisson.<String>getSet(key, StringCodec.INSTANCE).readAll())
                        .toString();
                case LIST -> redisson.<String>getList(key, StringCodec.INSTANCE).readAll().toString();
                case OBJECT -> String.valueOf(redisson.<String>getBucket(key, StringCodec.INSTANCE).get());
                // streams and the like are not part of the coupon scheme; their presence still counts
                default -> "?";
            };
            snapshot.put(key, type + " " + value);
        }
        return snapshot;
    }
}
