/** Polling one's own issue request's status from Redis. */
@NullMarked
package io.rushcoupon.gateway.status;

import org.jspecify.annotations.NullMarked;
