package io.rushcoupon.testsupport;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.redisson.api.RType;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.rushcoupon.common.redis.CouponKeys;

/**
 * Every key of the test's Redis database with its value, to compare before and after a request
 * that must change nothing.
 *
 * <p>The gateway's rate-limit counters ({@link CouponKeys#userRate(long)}) are left out: the
 * test's own setup creates one that expires with its one-second window, so on a slow machine it
 * vanishes between two snapshots although no request touched Redis. They are short-lived
 * bookkeeping, not coupon state.
 */
public final class RedisSnapshot {

    /** Any coupon's, any user's rate counter, derived from the key scheme so the rule lives there. */
    private static final Pattern RATE_COUNTER = rateCounterPattern();

    private RedisSnapshot() {
    }

    public static Map<String, String> of(RedissonClient redisson) {
        Map<String, String> snapshot = new TreeMap<>();
        for (String key : redisson.getKeys().getKeys()) {
            if (RATE_COUNTER.matcher(key).matches()) {
                continue;
            }
            RType type = redisson.getKeys().getType(key);
            String value = switch (type == null ? RType.OBJECT : type) {
                case MAP -> new TreeMap<>(redisson.<String, String>getMap(key, StringCodec.INSTANCE).readAllMap())
                        .toString();
                case ZSET -> redisson.<String>getScoredSortedSet(key, StringCodec.INSTANCE).entryRange(0, -1).stream()
                        .map(entry -> entry.getValue() + "=" + entry.getScore()).toList().toString();
                case SET -> new TreeSet<>(redisson.<String>getSet(key, StringCodec.INSTANCE).readAll()).toString();
                case LIST -> redisson.<String>getList(key, StringCodec.INSTANCE).readAll().toString();
                case OBJECT -> String.valueOf(redisson.<String>getBucket(key, StringCodec.INSTANCE).get());
                // streams and the like are not part of the coupon scheme; their presence still counts
                default -> "?";
            };
            snapshot.put(key, type + " " + value);
        }
        return snapshot;
    }

    private static Pattern rateCounterPattern() {
        long couponMarker = 1357913579L;
        long userMarker = 2468024680L;
        String sample = CouponKeys.of(couponMarker).userRate(userMarker);
        String quoted = Pattern.quote(sample);
        // \Q...\E quoting: end the quote around each id and match any decimal number there
        return Pattern.compile(quoted.replace(Long.toString(couponMarker), "\\E\\d+\\Q")
                .replace(Long.toString(userMarker), "\\E\\d+\\Q"));
    }
}
