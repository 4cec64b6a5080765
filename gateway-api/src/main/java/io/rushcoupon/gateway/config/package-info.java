/** The gateway's settings and shared beans: security chain, Redis client, clock. */
@NullMarked
package io.rushcoupon.gateway.config;

import org.jspecify.annotations.NullMarked;
