/** Finds the host programs the harness runs (nginx, redis-server, prometheus) and free loopback ports. */
@NullMarked
package io.rushcoupon.harness.host;

import org.jspecify.annotations.NullMarked;
