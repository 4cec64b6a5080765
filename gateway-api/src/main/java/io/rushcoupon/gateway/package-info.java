/** The gateway: the rush path users call, on Redis and Kafka only, never PostgreSQL. */
@NullMarked
package io.rushcoupon.gateway;

import org.jspecify.annotations.NullMarked;
