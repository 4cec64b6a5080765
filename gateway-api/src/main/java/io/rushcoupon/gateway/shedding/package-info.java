/** Load shedding: caps the issue requests in flight, ahead of security and Redis (503 OVERLOADED). */
@NullMarked
package io.rushcoupon.gateway.shedding;

import org.jspecify.annotations.NullMarked;
