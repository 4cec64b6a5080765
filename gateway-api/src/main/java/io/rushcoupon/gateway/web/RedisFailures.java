package io.rushcoupon.gateway.web;

import java.io.IOException;

import org.redisson.RedissonShutdownException;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisNodeNotFoundException;
import org.redisson.client.RedisOutOfMemoryException;
import org.redisson.client.RedisReadonlyException;
import org.redisson.client.RedisReconnectedException;
import org.redisson.client.RedisRetryException;
import org.redisson.client.RedisTimeoutException;

/**
 * Which Redisson failures mean "Redis is not reachable or not serving right now" (answer 503 and
 * let the client retry) as opposed to a bug such as a failing script (answer 500).
 */
public final class RedisFailures {

    private RedisFailures() {
    }

    public static boolean isUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RedisConnectionException      // refused, unreachable, no free connection
                    || cause instanceof RedisTimeoutException  // no reply in time, incl. response timeouts
                    || cause instanceof RedisRetryException   // LOADING, BUSY, TRYAGAIN, CLUSTERDOWN, MASTERDOWN
                    || cause instanceof RedisNodeNotFoundException
                    || cause instanceof RedisReadonlyException // failover in progress
                    || cause instanceof RedisReconnectedException
                    || cause instanceof RedisOutOfMemoryException
                    || cause instanceof RedissonShutdownException
                    // Redisson 4.7 wraps a refused connection in a plain RedisException ("Unexpected
                    // exception while processing command"); the socket error underneath tells
                    || cause instanceof IOException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
